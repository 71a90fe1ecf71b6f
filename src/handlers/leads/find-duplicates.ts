// Duplicate detection (Odoo's duplicate_lead_ids, notes §1.1): open leads and opportunities with the same normalised
// email, the same company email domain (not webmail), the same phone, or the same partner. One indexed query.
import type { Tx } from "../../db/outbox.js";
import { DUPLICATE_LIMIT, type DuplicateReason, type LeadType } from "../../domain/leads.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

export interface DuplicateProbe {
  /** Left out of the answer (the record itself); absent for a lead not stored yet. */
  id?: string;
  emailNormalized: string | null;
  emailDomain: string | null;
  phoneSanitized: string | null;
  partnerId: string | null;
}

export interface Duplicate {
  id: string;
  number: number;
  type: LeadType;
  title: string;
  version: number;
  reason: DuplicateReason;
}

/**
 * Up to DUPLICATE_LIMIT open records that match, the strongest reasons first (email, customer, phone, domain),
 * oldest first within a reason. One small indexed query per reason, so a domain shared by thousands of leads
 * cannot crowd out an exact email match. Odoo hides a match list of 21 or more as too vague; we keep the
 * stronger matches and cut the weaker ones at the limit.
 */
export async function findDuplicates(db: Reader, probe: DuplicateProbe, opts: { includeClosed?: boolean } = {}): Promise<Duplicate[]> {
  const criteria: [DuplicateReason, object | undefined][] = [
    ["email", probe.emailNormalized ? { emailNormalized: probe.emailNormalized } : undefined],
    ["partner", probe.partnerId ? { partnerId: probe.partnerId } : undefined],
    ["phone", probe.phoneSanitized ? { phoneSanitized: probe.phoneSanitized } : undefined],
    ["domain", probe.emailDomain ? { emailDomain: probe.emailDomain } : undefined],
  ];
  const found = new Map<string, Duplicate>();
  for (const [reason, where] of criteria) {
    if (!where || found.size >= DUPLICATE_LIMIT) continue;
    const rows = await db.lead.findMany({
      where: { ...where, ...(opts.includeClosed ? { mergedIntoId: null } : { isOpen: true }), ...(probe.id ? { id: { not: probe.id } } : {}) },
      select: { id: true, number: true, type: true, title: true, version: true },
      orderBy: { number: "asc" },
      take: DUPLICATE_LIMIT,
    });
    for (const r of rows) if (!found.has(r.id) && found.size < DUPLICATE_LIMIT) found.set(r.id, { ...r, reason });
  }
  return [...found.values()];
}
