// Writes a meeting edit in one transaction: an exception (this occurrence), a split (this and following) or the
// series (all). Every change bumps sequence and version, re-sends the invitations and re-plans reminders.
import { randomUUID } from "node:crypto";
import { invitationCard } from "../../bot/views/meeting-card.js";
import { notice } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { meetingReference } from "../../domain/meetings.js";
import { isRuleOccurrence, seriesEnd, splitSeries, type Occurrence } from "../../domain/recurrence.js";
import { formatDateTime } from "../../domain/time.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import { recordCreated, watchRecord } from "../automation/events.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { writeAttendees } from "./create-meeting.js";
import { seriesOf, type LoadedMeeting } from "./load-meeting.js";
import { meetingColumns, type MeetingDraft } from "./meeting-draft.js";
import { meetingIcs } from "./meeting-ics.js";
import { invitationSubjectKey, publishMeeting } from "./meeting-notify.js";

export type EditScope = "this" | "following" | "all";
type EditResult = { ok: true; summary: string } | { ok: false; reason: string };

const STALE = "The meeting changed while you were editing it. Open it again from its card.";

export async function applyEdit(deps: Deps, who: Who, m: LoadedMeeting, draft: MeetingDraft, scope: EditScope, occurrence?: Occurrence): Promise<EditResult> {
  const ref = meetingReference(m.number);
  const line = `✏️ ${who.user.name} changed ${ref}.`;
  if (scope === "this" && occurrence) {
    const ok = await deps.db.$transaction(async (tx) => {
      const watch = await watchRecord(tx, deps, "meeting", m.id, who.user.id);
      if (!(await bump(tx, m))) return false;
      const override = { isCancelled: false, startAt: draft.startAt, endAt: draft.endAt, title: draft.title, location: draft.location, description: draft.description };
      await tx.meetingException.upsert({
        where: { meetingId_originalStart: { meetingId: m.id, originalStart: occurrence.originalStart } },
        create: { meetingId: m.id, originalStart: occurrence.originalStart, ...override },
        update: override,
      });
      await note(tx, m.id, who, `Changed the occurrence of ${formatDateTime(occurrence.originalStart, m.timeZone, deps.now())} (${m.timeZone})`);
      await watch.done();
      await publishMeeting(tx, deps, m.id, { invite: "all", line });
      return true;
    });
    return ok ? { ok: true, summary: `Changed one occurrence of ${ref}. The attendees are told.` } : { ok: false, reason: STALE };
  }
  if (scope === "following" && occurrence && occurrence.originalStart.getTime() !== m.startAt.getTime()) {
    const split = splitSeries(seriesOf(m), occurrence.originalStart, m.exceptions);
    if (!split.ok) return { ok: false, reason: split.reason };
    const { before, after, afterExceptions } = split.value;
    const created = await deps.db.$transaction(async (tx) => {
      const watch = await watchRecord(tx, deps, "meeting", m.id, who.user.id);
      if (!before || !(await bump(tx, m, { rrule: before.rrule, seriesEndAt: seriesEnd(before) }))) return undefined;
      await tx.meetingException.deleteMany({ where: { meetingId: m.id, originalStart: { gte: occurrence.originalStart } } });
      // The repeat rule as it was: keep what the split computed (COUNT reduced by the meetings already past).
      const rrule = draft.rrule === m.rrule ? after.rrule : draft.rrule;
      const isSameTime = draft.startAt.getTime() === occurrence.originalStart.getTime();
      const next = await tx.meeting.create({
        data: {
          ...(await meetingColumns(tx, deps, { ...draft, rrule }, m.organizerId)),
          // A new UID with its own RRULE, as iCalendar clients expect of a split series (RFC 5545 has no "from here on").
          uid: `${randomUUID()}@switchboard`,
          organizerId: m.organizerId,
          leadId: m.leadId,
          caseId: m.caseId,
          callId: m.callId,
          splitFromId: m.id,
        },
      });
      await writeAttendees(tx, next.id, m.organizer, draft, deps.now());
      await tx.meetingReminder.createMany({ data: draft.reminders.map((r) => ({ meetingId: next.id, ...r })) });
      if (isSameTime && rrule === after.rrule) {
        await tx.meetingException.createMany({ data: afterExceptions.map((e) => ({ meetingId: next.id, originalStart: e.originalStart, isCancelled: e.isCancelled, startAt: e.startAt, endAt: e.endAt })) });
      }
      await note(tx, m.id, who, `Split: from ${formatDateTime(occurrence.originalStart, m.timeZone, deps.now())} on, the series continues as ${meetingReference(next.number)}`);
      await note(tx, next.id, who, `Continues ${ref} from ${formatDateTime(occurrence.originalStart, m.timeZone, deps.now())}`);
      await watch.done();
      await recordCreated(tx, deps, "meeting", next.id, who.user.id);
      await publishMeeting(tx, deps, m.id, { invite: "all", line });
      await publishMeeting(tx, deps, next.id, { invite: "all" });
      return next;
    });
    return created ? { ok: true, summary: `${ref} now ends before ${formatDateTime(occurrence.originalStart, who.user.timeZone, deps.now())}; the rest continues as ${meetingReference(created.number)}. The attendees are told.` } : { ok: false, reason: STALE };
  }
  const ok = await deps.db.$transaction(async (tx) => updateSeries(tx, deps, who, m, draft, occurrence, line));
  return ok ? { ok: true, summary: `Saved ${ref}. The attendees are told.` } : { ok: false, reason: STALE };
}

/** "All occurrences": the series takes the form's values; a moved start moves every occurrence by the same amount. */
async function updateSeries(tx: Tx, deps: Deps, who: Who, m: LoadedMeeting, draft: MeetingDraft, occurrence: Occurrence | undefined, line: string): Promise<boolean> {
  const shift = occurrence ? draft.startAt.getTime() - occurrence.originalStart.getTime() : 0;
  const startAt = occurrence ? new Date(m.startAt.getTime() + shift) : draft.startAt;
  const endAt = new Date(startAt.getTime() + (draft.endAt.getTime() - draft.startAt.getTime()));
  const next = { ...draft, startAt, endAt };
  const columns = await meetingColumns(tx, deps, next, m.organizerId);
  const watch = await watchRecord(tx, deps, "meeting", m.id, who.user.id);
  if (!(await bump(tx, m, columns))) return false;
  const isRescheduled = startAt.getTime() !== m.startAt.getTime() || endAt.getTime() !== m.endAt.getTime() || draft.rrule !== m.rrule;
  // Exceptions follow a moved series; those whose start the new rule no longer gives are dropped.
  for (const e of m.exceptions) {
    const moved = new Date(e.originalStart.getTime() + shift);
    if (!isRuleOccurrence({ ...seriesOf(m), ...columns }, moved)) await tx.meetingException.delete({ where: { id: e.id } });
    else if (shift) await tx.meetingException.update({ where: { id: e.id }, data: { originalStart: moved } });
  }
  await syncAttendees(tx, deps, m, draft, isRescheduled);
  await tx.meetingReminder.deleteMany({ where: { meetingId: m.id } });
  await tx.meetingReminder.createMany({ data: draft.reminders.map((r) => ({ meetingId: m.id, ...r })) });
  await note(tx, m.id, who, isRescheduled ? `Rescheduled: ${formatDateTime(startAt, m.timeZone, deps.now())} (${m.timeZone})` : "Details changed");
  await watch.done();
  await publishMeeting(tx, deps, m.id, { invite: "all", line });
  return true;
}

/**
 * New people are invited, removed ones told (a DM replacing their card; guests get METHOD:CANCEL). A new time asks
 * everyone again, as Odoo does on a date change (its "changedate" invitation, notes §1.6).
 */
async function syncAttendees(tx: Tx, deps: Deps, m: LoadedMeeting, draft: MeetingDraft, isRescheduled: boolean): Promise<void> {
  const keepUser = new Set([m.organizerId, ...draft.userIds]);
  const keepEmail = new Set(draft.emails);
  const removed = m.attendees.filter((a) => (a.userId ? !keepUser.has(a.userId) : !keepEmail.has(a.email ?? "")));
  if (removed.some((a) => !a.userId && a.email)) {
    const ics = await meetingIcs(tx, m.id, "CANCEL", deps.now());
    for (const a of removed.filter((x) => !x.userId && x.email)) {
      await enqueueEmail(tx, { to: a.email!, subject: `Removed from: ${m.title}`, text: `${m.organizer.name} removed you from “${m.title}” (${meetingReference(m.number)}).`, ...(ics ? { ics: { method: "CANCEL", content: ics } } : {}), dedupeKey: `meeting:${m.id}:${m.sequence + 1}:removed:${a.email}` });
    }
  }
  for (const a of removed.filter((x) => x.user)) {
    const card = invitationCard({ ...m, status: "cancelled", attendees: [] }, a.id, { timeZone: a.user!.timeZone, now: deps.now() });
    await notifyUser(tx, a.user!, { ...card, text: `You are no longer invited to ${meetingReference(m.number)}`, blocks: [notice(`You are no longer invited to ${meetingReference(m.number)} “${m.title}”.`).blocks[0]!, ...card.blocks] }, { subjectKey: invitationSubjectKey(m.id, a.id) });
  }
  await tx.meetingAttendee.deleteMany({ where: { id: { in: removed.map((a) => a.id) } } });
  const present = new Set(m.attendees.map((a) => a.userId ?? a.email));
  const added = { userIds: draft.userIds.filter((id) => !present.has(id)), emails: draft.emails.filter((e) => !present.has(e)) };
  const users = await tx.user.findMany({ where: { id: { in: added.userIds } }, select: { id: true, email: true, name: true } });
  for (const u of users) await tx.meetingAttendee.create({ data: { meetingId: m.id, userId: u.id, email: u.email, name: u.name } });
  const guests = added.emails.filter((e) => !m.attendees.some((a) => a.email === e) && !users.some((u) => u.email === e));
  if (guests.length) await tx.meetingAttendee.createMany({ data: guests.map((email) => ({ meetingId: m.id, email, name: email })) });
  if (isRescheduled) await tx.meetingAttendee.updateMany({ where: { meetingId: m.id, OR: [{ userId: null }, { userId: { not: m.organizerId } }] }, data: { response: "needs_action", respondedAt: null } });
}

/** Bumps version and sequence only if nobody changed the meeting meanwhile (optimistic lock). */
async function bump(tx: Tx, m: LoadedMeeting, data: object = {}): Promise<boolean> {
  const r = await tx.meeting.updateMany({ where: { id: m.id, version: m.version, status: "confirmed" }, data: { ...data, version: { increment: 1 }, sequence: { increment: 1 } } });
  return r.count === 1;
}

async function note(tx: Tx, meetingId: string, who: Who, summary: string): Promise<void> {
  await tx.timelineEntry.create({ data: { recordType: "meeting", recordId: meetingId, kind: "edited", actorId: who.user.id, summary: summary.slice(0, 500) } });
}
