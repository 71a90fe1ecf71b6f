// Records named by people ("CASE-42", "opp-7") for rule dry runs, and the card button that opens a record.
import type { RecordModel } from "../../domain/automation/definition.js";
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
  }
  return row ? { model: read.model, id: row.id } : null;
}

/** The record card's own "open" button (src/bot/dispatch.ts BUTTONS), so a rule's DM can carry it; calls and merge requests have none. */
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
    default:
      return null;
  }
}
