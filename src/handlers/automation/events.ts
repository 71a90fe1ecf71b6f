// The hooks handlers call so automation rules (and partner categories kept by criteria) see what happens to
// records. Each runs inside the caller's transaction: the rules' effects (outbox rows, field changes, time jobs, the
// firing records) commit or roll back with the change itself, and cost one small query when nothing listens.
import type { Tx } from "../../db/outbox.js";
import type { RecordModel } from "../../domain/automation/definition.js";
import type { Deps } from "../deps.js";
import { reevaluatePartnerSoon } from "../segments/reevaluate-soon.js";
import { afterChange, type EventKind } from "./engine.js";
import { listenersFor } from "./rule-cache.js";
import { loadSnapshot, loadSnapshots } from "./records.js";

export interface ChangeWatch {
  /** Call after the change, still inside the transaction. */
  done(): Promise<void>;
}

const NOTHING: ChangeWatch = { done: async () => {} };

/** Call before changing a record (it reads the record as it was), then `done()` after the change. */
export async function watchRecord(tx: Tx, deps: Deps, model: RecordModel, id: string, actorId: string | null): Promise<ChangeWatch> {
  const { rules, hasSegments } = await listenersFor(tx, model, deps.logger);
  if (rules.length === 0 && !hasSegments) return NOTHING;
  const before = rules.length > 0 ? await loadSnapshot(tx, model, id, deps.now()) : null;
  const partnerBefore = hasSegments ? (before ? before.partnerId : await partnerOf(tx, model, id)) : null;
  return {
    async done() {
      if (rules.length > 0) await afterChange(tx, deps, { kind: "saved", model, id, before, actorId }, undefined, rules);
      if (hasSegments) await reevaluatePartners(tx, deps, [partnerBefore, await partnerOf(tx, model, id)]);
    },
  };
}

/** Call after creating a record, inside the creating transaction. */
export async function recordCreated(tx: Tx, deps: Deps, model: RecordModel, id: string, actorId: string | null): Promise<void> {
  const { rules, hasSegments } = await listenersFor(tx, model, deps.logger);
  if (rules.length > 0) await afterChange(tx, deps, { kind: "created", model, id, before: null, actorId }, undefined, rules);
  if (hasSegments) await reevaluatePartners(tx, deps, [await partnerOf(tx, model, id)]);
}

export interface CategoriesWatch {
  /** Call after the membership rows are written, with the partners whose membership really changed. */
  done(changedPartnerIds: string[]): Promise<void>;
}

/**
 * Call before changing category membership (segmentation: by hand or by criteria). Joining or leaving a category is a
 * change of the partner's `categories`, so partner rules see a "saved" event per partner whose membership changed
 * ("partner joins GOLD" is a field-set rule). The partners are read in one query before; nothing when no rule listens.
 */
export async function watchPartnerCategories(tx: Tx, deps: Deps, partnerIds: string[], actorId: string | null): Promise<CategoriesWatch> {
  const { rules } = partnerIds.length ? await listenersFor(tx, "partner", deps.logger) : { rules: [] };
  if (rules.length === 0) return { done: async () => {} };
  const before = new Map((await loadSnapshots(tx, "partner", partnerIds)).map((s) => [s.id, s]));
  return {
    async done(changedPartnerIds) {
      for (const id of new Set(changedPartnerIds)) {
        const was = before.get(id);
        if (was) await afterChange(tx, deps, { kind: "saved", model: "partner", id, before: was, actorId }, undefined, rules);
      }
    },
  };
}

/** Call after an email about the record was stored (received from outside, or sent from chat). */
export async function recordEmailed(tx: Tx, deps: Deps, model: RecordModel, id: string, direction: "received" | "sent", opts: { automatic: boolean }): Promise<void> {
  const { rules, hasSegments } = await listenersFor(tx, model, deps.logger);
  // A person's email is a contact: "last contact" criteria of the record's partner may change (automatic mail is not).
  if (hasSegments && !opts.automatic) await reevaluatePartners(tx, deps, [await partnerOf(tx, model, id)]);
  if (rules.length === 0) return;
  const kind: EventKind = direction === "received" ? "email-received" : "email-sent";
  await afterChange(tx, deps, { kind, model, id, before: null, actorId: null, automaticEmail: opts.automatic }, undefined, rules);
}

/** Cases, leads, calls and meetings count in a partner's criteria (open cases, won revenue, last contact); a claim's emails do too. */
const PARTNER_FACT_MODELS: readonly RecordModel[] = ["case", "lead", "call", "meeting", "claim"];

async function partnerOf(tx: Tx, model: RecordModel, id: string): Promise<string | null> {
  if (!PARTNER_FACT_MODELS.includes(model)) return null;
  const select = { select: { partnerId: true }, where: { id } } as const;
  const row =
    model === "case"
      ? await tx.case.findUnique(select)
      : model === "lead"
        ? await tx.lead.findUnique(select)
        : model === "call"
          ? await tx.phoneCall.findUnique(select)
          : model === "claim"
            ? await tx.claim.findUnique(select)
            : await tx.meeting.findUnique(select);
  return row?.partnerId ?? null;
}

async function reevaluatePartners(tx: Tx, deps: Deps, partnerIds: (string | null)[]): Promise<void> {
  for (const partnerId of new Set(partnerIds)) await reevaluatePartnerSoon(tx, deps, partnerId);
}
