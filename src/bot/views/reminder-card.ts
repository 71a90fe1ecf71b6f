// The meeting reminder: a DM card ("⏰ Standup in 15 min (09:00–09:15, Room 2)") and the email text.
import { meetingReference } from "../../domain/meetings.js";
import { formatDateTime, toLocalInput } from "../../domain/time.js";
import { escapeMarkup, notice, truncate, type Action, type MessageView } from "./view.js";

export const SNOOZE_MINUTES = [5, 10] as const;

export interface ReminderFacts {
  number: number;
  title: string;
  location: string | null;
  videoUrl: string | null;
  isAllDay: boolean;
  /** The occurrence (after any move). */
  startAt: Date;
  endAt: Date;
}

/** "in 15 min", "in 1 h 30 min", "in 2 days", "now", "started 3 min ago". */
export function startsIn(startAt: Date, now: Date): string {
  const minutes = Math.round((startAt.getTime() - now.getTime()) / 60_000);
  if (minutes === 0) return "now";
  if (minutes < 0) return `started ${formatSpan(-minutes)} ago`;
  return `in ${formatSpan(minutes)}`;
}

function formatSpan(minutes: number): string {
  const day = 24 * 60;
  if (minutes >= day && minutes % day === 0) return minutes === day ? "1 day" : `${minutes / day} days`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min`;
}

/** "09:00–09:15" on the person's day; with the date when the meeting is not today for them; "all day" for all-day ones. */
/** What a reminder shows of one occurrence: a moved or renamed occurrence (an exception) shows its own title and place. */
export function occurrenceFacts(
  meeting: { number: number; title: string; location: string | null; videoUrl: string | null; isAllDay: boolean; exceptions: { originalStart: Date; title: string | null; location: string | null }[] },
  occurrence: { originalStart: Date; startAt: Date; endAt: Date },
): ReminderFacts {
  const exception = meeting.exceptions.find((e) => e.originalStart.getTime() === occurrence.originalStart.getTime());
  return {
    number: meeting.number,
    title: exception?.title ?? meeting.title,
    location: exception?.location ?? meeting.location,
    videoUrl: meeting.videoUrl,
    isAllDay: meeting.isAllDay,
    startAt: occurrence.startAt,
    endAt: occurrence.endAt,
  };
}

export function whenText(m: Pick<ReminderFacts, "isAllDay" | "startAt" | "endAt">, timeZone: string, now: Date): string {
  if (m.isAllDay) return `all day, ${m.startAt.toISOString().slice(0, 10)}`;
  const start = toLocalInput(m.startAt, timeZone);
  const end = toLocalInput(m.endAt, timeZone);
  const sameDayAsNow = start.slice(0, 10) === toLocalInput(now, timeZone).slice(0, 10);
  const from = sameDayAsNow ? start.slice(11, 16) : formatDateTime(m.startAt, timeZone, now);
  const to = start.slice(0, 10) === end.slice(0, 10) ? end.slice(11, 16) : formatDateTime(m.endAt, timeZone, now);
  return `${from}–${to}`;
}

/** The line both the card and the email start with, in the reader's time zone. */
export function reminderLine(m: ReminderFacts, timeZone: string, now: Date): string {
  const place = m.location ? `, ${truncate(m.location, 100)}` : "";
  return `⏰ ${truncate(m.title, 150)} ${startsIn(m.startAt, now)} (${whenText(m, timeZone, now)}${place})`;
}

/**
 * The DM card. `deliveryId` is the ledger row the Snooze buttons act on; a snoozed reminder's card
 * (`snoozed: true`) has no Snooze buttons: a delivery snoozes once.
 */
export function reminderCard(m: ReminderFacts, deliveryId: string, timeZone: string, now: Date, opts: { snoozed?: boolean } = {}): MessageView {
  const line = reminderLine(m, timeZone, now);
  const actions: Action[] = [];
  if (m.videoUrl) actions.push({ id: "meeting.join", label: "Join", url: m.videoUrl, style: "primary" });
  if (!opts.snoozed) {
    for (const minutes of SNOOZE_MINUTES) actions.push({ id: "reminder.snooze", label: `Snooze ${minutes} min`, value: `${deliveryId}:${minutes}` });
  }
  return {
    text: line,
    blocks: [
      { type: "text", text: escapeMarkup(line) },
      ...(actions.length ? [{ type: "actions" as const, actions }] : []),
      { type: "context", text: `${meetingReference(m.number)}${opts.snoozed ? " · snoozed reminder" : ""} · times in ${timeZone}` },
    ],
  };
}

/** The reminder email (reminder channel "email"; external attendees too). */
export function reminderEmail(m: ReminderFacts, timeZone: string, now: Date): { subject: string; text: string } {
  const subject = `Reminder: ${truncate(m.title, 150)} ${startsIn(m.startAt, now)}`;
  const lines = [
    `${truncate(m.title, 150)} starts ${m.isAllDay ? m.startAt.toISOString().slice(0, 10) : formatDateTime(m.startAt, timeZone, now)} (${timeZone}).`,
    `When: ${whenText(m, timeZone, now)}`,
    ...(m.location ? [`Where: ${m.location}`] : []),
    ...(m.videoUrl ? [`Join: ${m.videoUrl}`] : []),
    "",
    meetingReference(m.number),
  ];
  return { subject, text: lines.join("\n") };
}

export const snoozedNotice = (until: Date, timeZone: string): MessageView =>
  notice(`Snoozed: I will remind you again at ${toLocalInput(until, timeZone).slice(11, 16)}.`);

export const alreadySnoozedNotice = (until: Date, timeZone: string): MessageView =>
  notice(`This reminder is already snoozed until ${toLocalInput(until, timeZone).slice(11, 16)}.`);
