// The record a meeting is about (an opportunity, a case or a call): checked when the form is submitted, noted on its timeline.
import type { Tx } from "../../db/outbox.js";
import { callReference } from "../../domain/calls.js";
import { caseReference } from "../../domain/cases.js";
import { leadReference } from "../../domain/leads.js";
import { meetingReference } from "../../domain/meetings.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

export interface MeetingLinks {
  partnerId?: string;
  leadId?: string;
  caseId?: string;
  callId?: string;
}

/** The link a form carries in its context ("leadId", "caseId", "callId"); the record must still exist. */
export async function linkedRecords(db: Reader, context: Record<string, string>): Promise<{ ok: true; value: MeetingLinks } | { ok: false; reason: string }> {
  const isId = (v: string | undefined) => v !== undefined && /^[0-9a-f-]{36}$/i.test(v);
  if (context.leadId) {
    const lead = isId(context.leadId) ? await db.lead.findUnique({ where: { id: context.leadId }, select: { id: true, partnerId: true } }) : null;
    if (!lead) return { ok: false, reason: "The opportunity this meeting was about no longer exists." };
    return { ok: true, value: { leadId: lead.id, partnerId: lead.partnerId ?? undefined } };
  }
  if (context.caseId) {
    const c = isId(context.caseId) ? await db.case.findUnique({ where: { id: context.caseId }, select: { id: true, partnerId: true } }) : null;
    if (!c) return { ok: false, reason: "The case this meeting was about no longer exists." };
    return { ok: true, value: { caseId: c.id, partnerId: c.partnerId ?? undefined } };
  }
  if (context.callId) {
    const call = isId(context.callId) ? await db.phoneCall.findUnique({ where: { id: context.callId }, select: { id: true, partnerId: true, leadId: true } }) : null;
    if (!call) return { ok: false, reason: "The call this meeting was about no longer exists." };
    return { ok: true, value: { callId: call.id, leadId: call.leadId ?? undefined, partnerId: call.partnerId ?? undefined } };
  }
  return { ok: true, value: {} };
}

/** "Meeting planned: …" on the linked opportunity, case and call, with the meeting's reference. */
export async function recordTimeline(tx: Tx, links: MeetingLinks, actorId: string | null, summary: string, meeting: { id: string; number: number }): Promise<void> {
  const data = { meetingId: meeting.id, meeting: meetingReference(meeting.number) };
  const text = `${summary} (${meetingReference(meeting.number)})`.slice(0, 500);
  if (links.leadId) await tx.timelineEntry.create({ data: { recordType: "lead", recordId: links.leadId, kind: "meeting", actorId, summary: text, data } });
  if (links.caseId) await tx.timelineEntry.create({ data: { recordType: "case", recordId: links.caseId, kind: "meeting", actorId, summary: text, data } });
  if (links.callId) await tx.timelineEntry.create({ data: { recordType: "call", recordId: links.callId, kind: "meeting", actorId, summary: text, data } });
}

/** The title a meeting gets when planned from a record's card: "Meeting about OPP-0042: Renewal". */
export async function titleFor(db: Reader, kind: "lead" | "case" | "call", id: string): Promise<{ title: string; partner?: { value: string; label: string } } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const partnerOf = (p: { id: string; name: string } | null) => (p ? { value: p.id, label: p.name } : undefined);
  if (kind === "lead") {
    const l = await db.lead.findUnique({ where: { id }, select: { number: true, type: true, title: true, partner: { select: { id: true, name: true } } } });
    return l ? { title: `Meeting about ${leadReference(l)}: ${l.title}`.slice(0, 200), partner: partnerOf(l.partner) } : undefined;
  }
  if (kind === "case") {
    const c = await db.case.findUnique({ where: { id }, select: { number: true, subject: true, partner: { select: { id: true, name: true } } } });
    return c ? { title: `Meeting about ${caseReference(c.number)}: ${c.subject}`.slice(0, 200), partner: partnerOf(c.partner) } : undefined;
  }
  const call = await db.phoneCall.findUnique({ where: { id }, select: { number: true, subject: true, partner: { select: { id: true, name: true } } } });
  return call ? { title: `Meeting about ${callReference(call.number)}: ${call.subject}`.slice(0, 200), partner: partnerOf(call.partner) } : undefined;
}
