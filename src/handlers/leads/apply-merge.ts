// The writes of an approved merge, inside the approving transaction: the survivor gets the merged values, the others
// are archived with a link to it, their calls and timeline move over, and the survivor's history says where each
// field came from (Odoo's _merge_opportunity and its merge summary note, notes §1.3).
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { leadReference } from "../../domain/leads.js";
import { listRefs, provenanceSummary, type MergePlan } from "../../domain/merge.js";

/** A record changed (or was merged elsewhere) between the check and the write: the whole merge rolls back. */
export class RecordsChanged extends Error {}

export interface AppliedMerge {
  survivorRef: string;
  otherRefs: string[];
}

/**
 * `versions` are the versions the request (or its latest preview) was made with: a record at another version is not merged.
 * `by.request` is the approved merge request; absent when a lead is merged into an opportunity on conversion.
 */
export async function applyMerge(tx: Tx, plan: MergePlan, versions: Map<string, number>, by: { id: string; name: string; now: Date; request?: { id: string; ref: string } }): Promise<AppliedMerge> {
  const { survivor, others, values } = plan;
  if (![survivor, ...others].every((r) => versions.has(r.id))) throw new RecordsChanged();
  const survivorRef = leadReference({ number: survivor.number, type: values.type });
  const otherRefs = others.map((o) => leadReference(o));
  const converted = survivor.type === "lead" && values.type === "opportunity" ? { convertedAt: by.now } : {};
  const restaged = values.stageId !== survivor.stageId ? { stageChangedAt: by.now } : {};
  const kept = await tx.lead.updateMany({
    where: { id: survivor.id, version: versions.get(survivor.id), mergedIntoId: null },
    data: { ...values, ...converted, ...restaged, version: { increment: 1 } },
  });
  if (kept.count !== 1) throw new RecordsChanged();
  for (const other of others) {
    const archived = await tx.lead.updateMany({
      where: { id: other.id, version: versions.get(other.id), mergedIntoId: null },
      data: { isOpen: false, mergedIntoId: survivor.id, mergedAt: by.now, version: { increment: 1 } },
    });
    if (archived.count !== 1) throw new RecordsChanged();
  }
  const otherIds = others.map((o) => o.id);
  await tx.phoneCall.updateMany({ where: { leadId: { in: otherIds } }, data: { leadId: survivor.id } });
  await copyTimelines(tx, survivor.id, others.map((o) => ({ id: o.id, ref: leadReference(o) })));

  const how = by.request ? `(${by.request.ref}), approved by ${by.name}` : `by ${by.name} on conversion`;
  const merged = `Merged ${listRefs(otherRefs)} into ${survivorRef} ${how}`;
  const requestId = by.request?.id ?? null;
  await tx.timelineEntry.create({
    data: {
      recordType: "lead",
      recordId: survivor.id,
      kind: "merged",
      actorId: by.id,
      summary: `${merged}: ${provenanceSummary(plan.provenance)}`.slice(0, 2000),
      data: { requestId, mergedFrom: otherIds, provenance: plan.provenance } as Prisma.InputJsonValue,
    },
  });
  await tx.timelineEntry.createMany({
    data: others.map((o) => ({ recordType: "lead", recordId: o.id, kind: "merged-into", actorId: by.id, summary: `Merged into ${survivorRef} ${how}`, data: { requestId, mergedIntoId: survivor.id } })),
  });
  return { survivorRef, otherRefs };
}

/** Odoo re-parents messages with "From <source>: " in front; we copy them, keeping their time, so both records keep their history. */
async function copyTimelines(tx: Tx, survivorId: string, others: { id: string; ref: string }[]): Promise<void> {
  const refOf = new Map(others.map((o) => [o.id, o.ref]));
  const entries = await tx.timelineEntry.findMany({ where: { recordType: "lead", recordId: { in: [...refOf.keys()] } }, orderBy: { createdAt: "asc" } });
  if (!entries.length) return;
  await tx.timelineEntry.createMany({
    data: entries.map((e) => {
      const from = refOf.get(e.recordId)!;
      const original = e.data && typeof e.data === "object" && !Array.isArray(e.data) ? (e.data as Prisma.JsonObject) : e.data === null ? {} : { original: e.data };
      return {
        recordType: "lead",
        recordId: survivorId,
        kind: e.kind,
        actorId: e.actorId,
        summary: `From ${from}: ${e.summary}`.slice(0, 2000),
        data: { ...original, mergedFrom: from } as Prisma.InputJsonValue,
        createdAt: e.createdAt,
      };
    }),
  });
}
