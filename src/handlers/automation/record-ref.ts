// Records named by people ("CASE-42", "opp-7", a partner's name) for rule dry runs, and the card button that opens a record.
import { modelOf, type RecordModel, type RecordType } from "../../domain/automation/definition.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { parseCallReference } from "../../domain/calls.js";
import { parseCaseReference } from "../../domain/cases.js";
import { parseClaimReference } from "../../domain/claims.js";
import { parseContractReference } from "../../domain/contracts.js";
import { parseLeadReference } from "../../domain/leads.js";
import { parseMeetingReference } from "../../domain/meetings.js";
import type { Reader } from "./record-snapshot.js";

/** The number of a reference, with the model its prefix names; the call and meeting parsers take bare numbers too, so the prefix decides. */
function readReference(ref: string): { model: RecordModel; number: number } | undefined {
  const text = ref.trim();
  const prefix = /^([a-z]+)/i.exec(text)?.[1]?.toLowerCase();
  const as = (model: RecordModel, number: number | undefined) => (number === undefined ? undefined : { model, number });
  switch (prefix) {
    case "case":
      return as("case", parseCaseReference(text));
    case "clm":
      return as("claim", parseClaimReference(text));
    case "lead":
    case "opp":
      return as("lead", parseLeadReference(text));
    case "call":
      return as("call", parseCallReference(text));
    case "mtg":
      return as("meeting", parseMeetingReference(text));
    case "ctr":
      return as("contract", parseContractReference(text));
    case "mrg": {
      const m = /^mrg-?0*(\d{1,9})$/i.exec(text);
      return as("merge-request", m ? Number(m[1]) : undefined);
    }
    default:
      return undefined;
  }
}

/** "CASE-42", "case-0042", "CLM-7", "LEAD-3", "OPP-3", "CALL-1", "MTG-2", "MRG-4", "CTR-5" → the record; null when none (or a merged-away lead). */
export async function findRecordByRef(db: Reader, ref: string): Promise<{ model: RecordModel; id: string } | null> {
  const read = readReference(ref);
  if (!read) return null;
  const where = { number: read.number };
  const select = { id: true } as const;
  let row: { id: string } | null;
  switch (read.model) {
    case "case":
      row = await db.case.findUnique({ where, select });
      break;
    case "claim":
      row = await db.claim.findUnique({ where, select });
      break;
    case "lead":
      row = await db.lead.findFirst({ where: { ...where, mergedIntoId: null }, select });
      break;
    case "call":
      row = await db.phoneCall.findUnique({ where, select });
      break;
    case "meeting":
      row = await db.meeting.findUnique({ where, select });
      break;
    case "merge-request":
      row = await db.mergeRequest.findUnique({ where, select });
      break;
    case "contract":
      row = await db.contract.findUnique({ where, select });
      break;
    case "partner":
      return null; // partners have no number: findPartnerByName
  }
  return row ? { model: read.model, id: row.id } : null;
}

export type DryRunRecord = { ok: true; model: RecordModel; id: string } | { ok: false; reason: string };

/** The record a dry run of a rule on `type` names: a reference, or for a partner rule the partner's name or email. */
export async function findDryRunRecord(db: Reader, type: RecordType, ref: string): Promise<DryRunRecord> {
  const text = ref.trim();
  const found = await findRecordByRef(db, text);
  if (type === "partner") {
    if (found) return { ok: false, reason: `${text.toUpperCase()} is a ${found.model}; this rule is about partners: write a partner's name or email.` };
    const partner = await findPartnerByName(db, text);
    return partner.ok ? { ok: true, model: "partner", id: partner.id } : partner;
  }
  if (!found) return { ok: false, reason: `There is no record ${text} (write a reference like CASE-42, CLM-7, LEAD-3, OPP-3, CALL-1, MTG-2, MRG-4 or CTR-5).` };
  if (found.model !== modelOf(type)) return { ok: false, reason: `${text.toUpperCase()} is a ${found.model}; this rule is about ${type} records.` };
  return { ok: true, ...found };
}

/**
 * Partners have no reference: a dry run names one as /crm customer does (resolve-partner.ts matchPartner): its exact
 * name (any case), else its email, else the start of exactly one name. A name several partners share asks for the email.
 */
export async function findPartnerByName(db: Reader, text: string): Promise<{ ok: true; id: string } | { ok: false; reason: string }> {
  const name = text.trim();
  const select = { id: true, email: true } as const;
  const exact = await db.partner.findMany({ where: { name: { equals: name, mode: "insensitive" } }, select, orderBy: { createdAt: "asc" }, take: 4 });
  if (exact.length === 1) return { ok: true, id: exact[0]!.id };
  if (exact.length > 1) {
    const emails = exact.flatMap((p) => (p.email ? [p.email] : []));
    return { ok: false, reason: `Several partners are called “${name}”: write the one's email instead${emails.length ? ` (${emails.join(", ")})` : ""}.` };
  }
  if (name.includes("@")) {
    // As the mail gateway reads a sender: the oldest partner with the address (email-to-record.ts findSenderPartner).
    const byEmail = await db.partner.findFirst({ where: { email: { equals: name, mode: "insensitive" } }, select, orderBy: { createdAt: "asc" } });
    if (byEmail) return { ok: true, id: byEmail.id };
  }
  const starting = await db.partner.findMany({ where: { name: { startsWith: name, mode: "insensitive" } }, select, take: 2 });
  if (starting.length === 1) return { ok: true, id: starting[0]!.id };
  return { ok: false, reason: `No partner is called “${name}”${starting.length ? " (several names start so: write the whole name)" : ""}. Write the partner's name as /crm customer shows it, or its email.` };
}

/** The record card's own "open" button (src/bot/dispatch.ts BUTTONS), so a rule's DM can carry it (a partner: its customer card); calls and merge requests have none. */
export function openButtonOf(snapshot: Pick<RecordSnapshot, "type" | "id">): { actionId: string; value: string } | null {
  switch (snapshot.type) {
    case "case":
      return { actionId: "case.open", value: snapshot.id };
    case "claim":
      return { actionId: "claim.show", value: snapshot.id };
    case "lead":
      return { actionId: "lead.open", value: snapshot.id };
    case "meeting":
      return { actionId: "meeting.show", value: snapshot.id };
    case "contract":
      return { actionId: "contract.show", value: snapshot.id };
    case "partner":
      return { actionId: "customer.show", value: snapshot.id };
    default:
      return null;
  }
}
