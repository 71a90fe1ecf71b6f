// Cancelling a meeting (the organizer or an admin): one occurrence of a series (a cancelled exception) or the whole meeting.
import { cancelMeetingForm } from "../../bot/views/meeting-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import { formatDateTime } from "../../domain/time.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import type { Who } from "../resolve-actor.js";
import { loadMeeting, occurrenceAt } from "./load-meeting.js";
import { publishMeeting } from "./meeting-notify.js";
import { readMeetingButton } from "./edit-meeting.js";

export async function openCancelForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readMeetingButton(value);
  const m = ref && (await loadMeeting(deps.db, ref.id));
  if (!ref || !m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.editMeeting(who.actor, m);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (m.status === "cancelled") return privateMessage(notice(`${meetingReference(m.number)} is already cancelled.`));
  const occurrence = ref.occurrence && m.rrule ? occurrenceAt(m, ref.occurrence) : undefined;
  const context: Record<string, string> = { meetingId: m.id, version: String(m.version) };
  if (occurrence) context.occurrence = String(occurrence.originalStart.getTime());
  return openForm(cancelMeetingForm({ isRecurring: Boolean(occurrence), occurrenceLabel: occurrence && formatDateTime(occurrence.startAt, who.user.timeZone, deps.now()), context }));
}

export async function submitCancel(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(cancelMeetingForm({ isRecurring: Boolean(context.occurrence), context }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const m = context.meetingId ? await loadMeeting(deps.db, context.meetingId) : null;
  if (!m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.editMeeting(who.actor, m);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (m.status === "cancelled") return privateMessage(notice(`${meetingReference(m.number)} is already cancelled.`));
  const isOne = parsed.value.scope === "this" && context.occurrence !== undefined;
  const originalStart = isOne ? new Date(Number(context.occurrence)) : undefined;
  if (originalStart && !occurrenceAt(m, originalStart)) return privateMessage(notice("That occurrence is already cancelled or no longer part of the series."));
  const note = parsed.value.note ? ` “${parsed.value.note}”` : "";
  const done = await deps.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, deps, "meeting", m.id, who.user.id);
    // The version guard makes a second, concurrent cancel a no-op instead of a second round of messages.
    const bumped = await tx.meeting.updateMany({
      where: { id: m.id, version: m.version, status: "confirmed" },
      data: { version: { increment: 1 }, sequence: { increment: 1 }, ...(originalStart ? {} : { status: "cancelled" }) },
    });
    if (bumped.count === 0) return false;
    if (originalStart) {
      await tx.meetingException.upsert({
        where: { meetingId_originalStart: { meetingId: m.id, originalStart } },
        create: { meetingId: m.id, originalStart, isCancelled: true },
        update: { isCancelled: true },
      });
    }
    const what = originalStart ? `the meeting on ${formatDateTime(originalStart, m.timeZone, deps.now())} (${m.timeZone})` : "the meeting";
    await tx.timelineEntry.create({ data: { recordType: "meeting", recordId: m.id, kind: "cancelled", actorId: who.user.id, summary: `Cancelled ${what}`.slice(0, 500) } });
    await watch.done();
    // One occurrence off: the series is re-sent with EXDATE (REQUEST); the whole meeting off: METHOD:CANCEL.
    await publishMeeting(tx, deps, m.id, { invite: "all", method: originalStart ? "REQUEST" : "CANCEL", line: `❌ ${who.user.name} cancelled ${what}.${note}` });
    return true;
  });
  if (!done) return privateMessage(notice("The meeting changed while you were cancelling it. Open it again to see it."));
  return { kind: "done", view: notice(`Cancelled ${originalStart ? "one occurrence of " : ""}${meetingReference(m.number)} “${m.title}”. The attendees are told.`) };
}
