// Contracts as automation rules see them: one snapshot per contract, exactly the catalog's fields (fields.ts).
import type { FieldValue, RecordSnapshot } from "../../domain/automation/fields.js";
import { contractReference, percentUsed } from "../../domain/contracts.js";
import { validIds, type Reader } from "./record-snapshot.js";

const person = { select: { email: true, name: true, role: true } } as const;
const partner = { select: { name: true, email: true, isCustomer: true, isSupplier: true, categoryMembers: { select: { category: { select: { name: true } } } } } } as const;
const team = { select: { name: true, kind: true } } as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Snapshots of the contracts that exist among `ids` (any order; one query). */
export async function loadContractSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const wanted = validIds(ids);
  if (!wanted.length) return [];
  const rows = await db.contract.findMany({ where: { id: { in: wanted } }, include: { partner, team, salesperson: person } });
  return rows.map((c) => {
    const ref = contractReference(c.number);
    const email = c.salesperson ? c.salesperson.email.toLowerCase() : null;
    const fields: Record<string, FieldValue> = {
      ref,
      title: c.name,
      responsible: email,
      team: c.team?.name ?? null,
      partner: c.partner.name,
      created: c.createdAt.toISOString(),
      updated: c.updatedAt.toISOString(),
      start: iso(c.startsAt),
      end: iso(c.endsAt),
      billing: c.billing,
      state: c.state,
      prepaid: c.prepaidUnits,
      used: c.unitsUsed,
      "used-percent": percentUsed(c),
      "partner.name": c.partner.name,
      "partner.email": c.partner.email?.toLowerCase() ?? null,
      "partner.categories": c.partner.categoryMembers.map((m) => m.category.name).sort(),
      "partner.customer": c.partner.isCustomer,
      "partner.supplier": c.partner.isSupplier,
      "team.name": c.team?.name ?? null,
      "team.kind": c.team?.kind ?? null,
      "responsible.email": email,
      "responsible.name": c.salesperson?.name ?? null,
      "responsible.role": c.salesperson?.role ?? null,
    };
    return {
      type: "contract",
      id: c.id,
      ref,
      fields,
      teamId: c.teamId,
      responsibleId: c.salespersonId,
      partnerId: c.partnerId,
      customerEmail: c.partner.email?.trim().toLowerCase() || null,
      watcherUserIds: [],
      watcherEmails: [],
      attendeeUserIds: [],
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  });
}

/** A page of contract ids in id order, after `afterId` (for planning a new time rule over existing contracts). */
export async function contractIdsPage(db: Reader, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db.contract.findMany({ where: afterId ? { id: { gt: afterId } } : {}, orderBy: { id: "asc" }, take: limit, select: { id: true } });
  return rows.map((r) => r.id);
}
