// Accept / Tentative / Decline on an invitation card: once per answer, by the invited person only; the organizer's card follows live.
import { invitationCard } from "../../bot/views/meeting-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference, RESPONSE_LABEL, type AttendeeResponse } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import type { Who } from "../resolve-actor.js";
import { cardContext, cardData, loadMeeting } from "./load-meeting.js";
import { publishMeeting } from "./meeting-notify.js";

const ANSWERS = new Set<AttendeeResponse>(["accepted", "tentative", "declined"]);
const PAST: Record<AttendeeResponse, string> = { accepted: "accepted", tentative: "answered tentative to", declined: "declined", needs_action: "not answered" };

/** Button value "<meetingId>:<attendeeId>:<response>". */
export async function answerInvitation(deps: Deps, who: Who, value: string): Promise<Reply> {
  const [meetingId, attendeeId, response] = value.split(":");
  if (!meetingId || !attendeeId || !ANSWERS.has(response as AttendeeResponse) || !/^[0-9a-f-]{36}$/i.test(attendeeId)) {
    return privateMessage(notice("That button is out of date. Open the meeting again."));
  }
  const answer = response as AttendeeResponse;
  const attendee = await deps.db.meetingAttendee.findUnique({ where: { id: attendeeId }, select: { id: true, meetingId: true, userId: true } });
  if (!attendee || attendee.meetingId !== meetingId) return privateMessage(notice("You are no longer invited to this meeting."));
  const allowed = policy.answerInvitation(who.actor, attendee);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const result = await deps.db.$transaction(async (tx) => {
    const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { status: true, number: true, title: true } });
    if (!meeting) return { kind: "gone" as const };
    if (meeting.status === "cancelled") return { kind: "cancelled" as const, meeting };
    // An answer changes the meeting's attendees as rules see them.
    const watch = await watchRecord(tx, deps, "meeting", meetingId, who.user.id);
    // Conditional update: of two clicks racing, one changes the row and the other sees "already".
    const changed = await tx.meetingAttendee.updateMany({ where: { id: attendeeId, response: { not: answer } }, data: { response: answer, respondedAt: deps.now() } });
    if (changed.count === 0) return { kind: "same" as const, meeting };
    await tx.timelineEntry.create({ data: { recordType: "meeting", recordId: meetingId, kind: "answer", actorId: who.user.id, summary: `${who.user.name}: ${RESPONSE_LABEL[answer]}`.slice(0, 500) } });
    await watch.done();
    await publishMeeting(tx, deps, meetingId, { invite: { attendeeIds: [attendeeId] } });
    return { kind: "answered" as const, meeting };
  });
  if (result.kind === "gone") return privateMessage(notice("That meeting no longer exists."));
  const ref = `${meetingReference(result.meeting.number)} “${result.meeting.title}”`;
  if (result.kind === "cancelled") return privateMessage(notice(`${ref} was cancelled; there is nothing to answer.`));
  if (result.kind === "same") return privateMessage(notice(`You already ${PAST[answer]} ${ref}.`));
  const m = await loadMeeting(deps.db, meetingId);
  const card = m && invitationCard(cardData(m), attendeeId, cardContext(m, who.user.timeZone, deps.now()));
  const line = `You ${PAST[answer]} ${ref}.`;
  return privateMessage(card ? { text: line, blocks: [{ type: "text", text: line }, ...card.blocks.filter((b) => b.type !== "actions")] } : notice(line));
}
