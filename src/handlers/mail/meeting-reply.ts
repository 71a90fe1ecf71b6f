// An attendee's calendar answered an invitation by email (iTIP METHOD:REPLY): the answer is recorded like a button press.
import type { Tx } from "../../db/outbox.js";
import { parseReply } from "../../domain/icalendar.js";
import { RESPONSE_LABEL } from "../../domain/meetings.js";
import type { InboundEmail } from "../../mail/inbound-email.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import { publishMeeting } from "../meetings/meeting-notify.js";
import { storeInboundEmail } from "./store-email.js";

/** Whether the email carries an iTIP REPLY (checked before routing: it answers a meeting, not a record). */
export function isCalendarReply(email: InboundEmail): boolean {
  return Boolean(email.calendar && /^METHOD:\s*REPLY\s*$/im.test(email.calendar));
}

/**
 * Records the answer on the meeting with that UID for the attendee with that email, and refreshes the organizer's card.
 * Returns the meeting id, or null when the answer matches no meeting/attendee (the email is then routed as usual).
 */
export async function applyCalendarReply(tx: Tx, deps: Deps, email: InboundEmail, teamId: string | null): Promise<string | null> {
  const parsed = parseReply(email.calendar ?? "");
  if (!parsed.ok) return null;
  const { uid, email: attendeeEmail, partstat } = parsed.value;
  const meeting = await tx.meeting.findUnique({ where: { uid }, select: { id: true, status: true } });
  if (!meeting) return null;
  const attendee = await tx.meetingAttendee.findFirst({ where: { meetingId: meeting.id, email: { equals: attendeeEmail, mode: "insensitive" } }, select: { id: true } });
  if (!attendee) return null;
  const emailId = await storeInboundEmail(tx, email, { status: "threaded", recordType: "meeting", recordId: meeting.id, teamId }, deps.now());
  if (meeting.status === "cancelled") return meeting.id;
  // An answer changes the meeting's attendees as rules see them.
  const watch = await watchRecord(tx, deps, "meeting", meeting.id, null);
  const changed = await tx.meetingAttendee.updateMany({ where: { id: attendee.id, response: { not: partstat } }, data: { response: partstat, respondedAt: deps.now() } });
  if (changed.count > 0) {
    await tx.timelineEntry.create({
      data: { recordType: "meeting", recordId: meeting.id, kind: "answer", actorId: null, summary: `${attendeeEmail}: ${RESPONSE_LABEL[partstat]} (by email)`.slice(0, 500), data: { emailId } },
    });
    await watch.done();
    await publishMeeting(tx, deps, meeting.id, { invite: "none" });
  }
  return meeting.id;
}
