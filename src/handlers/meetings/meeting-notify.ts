// Tells people about a meeting: the organizer's card and each invitation card (updated in place through
// subjectKeys), emails with an .ics to attendees without chat, and the reminder plan. Always inside the change's transaction.
import { invitationCard, meetingCard } from "../../bot/views/meeting-card.js";
import type { MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { meetingReference } from "../../domain/meetings.js";
import { formatDateTime } from "../../domain/time.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { cardContext, cardData, loadMeeting, type LoadedMeeting } from "./load-meeting.js";
import { meetingIcs } from "./meeting-ics.js";
import { planMeetingReminders } from "./plan-reminders.js";

export const organizerSubjectKey = (meetingId: string) => `meeting:${meetingId}:organizer`;
export const invitationSubjectKey = (meetingId: string, attendeeId: string) => `meeting:${meetingId}:invite:${attendeeId}`;

export interface PublishOptions {
  /** Invitations (and emails) to send: all attendees after a change they must hear about, or only some (an answer). */
  invite: "all" | "none" | { attendeeIds: string[] };
  /** The iCalendar method for emailed attendees: REQUEST (new or changed) or CANCEL (the meeting is off). */
  method?: "REQUEST" | "CANCEL";
  /** A line shown above the cards ("Changed by Ana: …"). */
  line?: string;
}

/** Refreshes the organizer's card; re-sends the named invitations; re-plans reminders. */
export async function publishMeeting(tx: Tx, deps: Pick<Deps, "now" | "jobs">, meetingId: string, opts: PublishOptions): Promise<LoadedMeeting | undefined> {
  const m = await loadMeeting(tx, meetingId);
  if (!m) return undefined;
  const now = deps.now();
  const data = cardData(m);
  if (m.organizer.isActive) {
    const card = meetingCard(data, cardContext(m, m.organizer.timeZone, now));
    await notifyUser(tx, m.organizer, opts.line ? withLine(card, opts.line) : card, { subjectKey: organizerSubjectKey(m.id) });
  }
  const invited = opts.invite === "all" ? m.attendees : opts.invite === "none" ? [] : m.attendees.filter((a) => (opts.invite as { attendeeIds: string[] }).attendeeIds.includes(a.id));
  const emails: string[] = [];
  for (const a of invited) {
    if (a.userId === m.organizerId) continue;
    if (a.user) {
      if (!a.user.isActive) continue;
      const card = invitationCard(data, a.id, cardContext(m, a.user.timeZone, now));
      const sent = await notifyUser(tx, a.user, opts.line ? withLine(card, opts.line) : card, { subjectKey: invitationSubjectKey(m.id, a.id) });
      // A colleague on no chat platform yet gets the email instead.
      if (sent === 0) emails.push(a.user.email);
    } else if (a.email) emails.push(a.email);
  }
  if (emails.length) await emailAttendees(tx, m, emails, opts.method ?? "REQUEST", now);
  await planMeetingReminders(tx, deps, m.id);
  return m;
}

async function emailAttendees(tx: Tx, m: LoadedMeeting, to: string[], method: "REQUEST" | "CANCEL", now: Date): Promise<void> {
  const content = await meetingIcs(tx, m.id, method, now);
  const ref = meetingReference(m.number);
  const isCancel = method === "CANCEL" || m.status === "cancelled";
  const subject = `${isCancel ? "Cancelled" : m.sequence > 0 ? "Updated invitation" : "Invitation"}: ${m.title} (${formatDateTime(m.startAt, m.timeZone, now)} ${m.timeZone})`;
  const text = [
    `${m.organizer.name} ${isCancel ? "cancelled" : "invites you to"} “${m.title}”.`,
    `When: ${formatDateTime(m.startAt, m.timeZone, now)} (${m.timeZone})`,
    m.location ? `Where: ${m.location}` : undefined,
    m.videoUrl ? `Video: ${m.videoUrl}` : undefined,
    m.description ? `\n${m.description}` : undefined,
    `\n${ref}. Answer from your calendar (the attached invitation).`,
  ]
    .filter((l) => l !== undefined)
    .join("\n");
  for (const address of to) {
    // One email per change: the sequence names the change, so a retried transaction does not mail twice.
    await enqueueEmail(tx, {
      to: address,
      subject,
      text,
      ...(content ? { ics: { method, content } } : {}),
      dedupeKey: `meeting:${m.id}:${m.sequence}:${method}:${address}`,
      subjectKey: `meeting:${m.id}:email:${address}`,
    });
  }
}

function withLine(card: MessageView, line: string): MessageView {
  return { text: `${line} — ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}
