// Plans a meeting's reminders: one pg-boss job per reminder rule, for its next occurrence still to be reminded of.
import { createHash } from "node:crypto";
import type { Tx } from "../../db/outbox.js";
import { nextOccurrenceAfter, occurrences } from "../../domain/recurrence.js";
import { offsetMinutes } from "../../domain/time.js";
import { meetingReminderJob, type MeetingReminderPayload } from "../../jobs/meeting-reminder.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface ReminderSeries {
  id: string;
  startAt: Date;
  endAt: Date;
  timeZone: string;
  isAllDay: boolean;
  rrule: string | null;
  version: number;
}

export interface ReminderException {
  originalStart: Date;
  isCancelled: boolean;
  startAt: Date | null;
  endAt: Date | null;
}

export interface ReminderOccurrence {
  originalStart: Date;
  startAt: Date;
  endAt: Date;
  isException: boolean;
}

/**
 * (Re)plans the jobs of a meeting's next due reminders. Call it after every create, edit, answer and
 * cancel, inside the change's transaction (the jobs are inserted through it: none for a change that
 * rolls back). Idempotent: the job id is derived from (reminder, occurrence, due time, meeting version),
 * so planning twice in one change sends one job; jobs of an older plan stay queued and do nothing when
 * they fire, because send-reminder re-checks the occurrence and its due time.
 *
 * Rolling, as Odoo 14+ re-arms one trigger per recurrence (notes §1.6): only the next occurrence per
 * rule is planned, and the job plans the following one when it fires. So endless series keep
 * reminding (Odoo's odoo/odoo#133716: no alarms for `forever` recurrences) without a job per occurrence.
 * Reminders whose due time has passed are skipped by design, as Odoo does (attendees had the invitation).
 */
export async function planMeetingReminders(tx: Tx, deps: Pick<Deps, "jobs" | "now">, meetingId: string): Promise<void> {
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, include: { reminders: true, exceptions: true } });
  if (!meeting || meeting.status !== "confirmed") return;
  const now = deps.now();
  for (const reminder of meeting.reminders) {
    await planReminder(tx, deps, meeting, meeting.exceptions, reminder, now);
  }
}

/**
 * Sends the job for the first occurrence whose due time is after `now` and whose start is after
 * `notBefore` (send-reminder passes the occurrence it just reminded of, so a late job never plans the
 * same occurrence again). Returns the payload sent, or undefined when the series has no such occurrence.
 */
export async function planReminder(
  tx: Tx,
  deps: Pick<Deps, "jobs">,
  meeting: ReminderSeries,
  exceptions: ReminderException[],
  reminder: { id: string; minutesBefore: number },
  now: Date,
  notBefore?: Date,
): Promise<MeetingReminderPayload | undefined> {
  const series = seriesOf(meeting);
  // The first occurrence starting after now + lead time is the first one whose due time is after now.
  // (All-day ones are reminded from local midnight, up to 14 h from UTC's: start a day early and step on below.)
  let after = new Date(now.getTime() + reminder.minutesBefore * MINUTE - (meeting.isAllDay ? DAY : 0));
  if (notBefore && notBefore > after) after = notBefore;
  let occurrence = nextOccurrenceAfter(series, exceptions, after);
  // All-day occurrences are reminded from local midnight: step on until one is really still ahead.
  for (let guard = 0; occurrence && guard < 4 && dueAtOf(meeting, occurrence, reminder.minutesBefore) <= now; guard++) {
    occurrence = nextOccurrenceAfter(series, exceptions, occurrence.startAt);
  }
  if (!occurrence) return undefined;
  const dueAt = dueAtOf(meeting, occurrence, reminder.minutesBefore);
  if (dueAt <= now) return undefined;
  const payload: MeetingReminderPayload = {
    meetingId: meeting.id,
    reminderId: reminder.id,
    originalStart: occurrence.originalStart.toISOString(),
    dueAt: dueAt.toISOString(),
  };
  await deps.jobs.send(meetingReminderJob, payload, { id: reminderJobId(payload, meeting.version), startAfter: dueAt, db: prismaExecutor(tx) });
  return payload;
}

/**
 * The occurrence a reminder job was planned for, as the meeting stands now; undefined when it was
 * cancelled, moved, or its reminder is now due at another time (the newer plan's job does it then).
 */
export function findPlannedOccurrence(
  meeting: ReminderSeries,
  exceptions: ReminderException[],
  minutesBefore: number,
  payload: Pick<MeetingReminderPayload, "originalStart" | "dueAt">,
): ReminderOccurrence | undefined {
  const dueAt = new Date(payload.dueAt);
  const originalStart = new Date(payload.originalStart);
  // Around the start the job expects (an all-day shift is at most a day): a moved occurrence is not found here.
  const expected = dueAt.getTime() + minutesBefore * MINUTE;
  const window = { from: new Date(expected - DAY - MINUTE), to: new Date(expected + DAY + MINUTE) };
  const found = occurrences(seriesOf(meeting), exceptions, window);
  const occurrence = found.find((o) => o.originalStart.getTime() === originalStart.getTime());
  return occurrence && dueAtOf(meeting, occurrence, minutesBefore).getTime() === dueAt.getTime() ? occurrence : undefined;
}

/** When a reminder for this occurrence is due: its start minus the lead time (all-day: from local midnight). */
export function dueAtOf(meeting: Pick<ReminderSeries, "isAllDay" | "timeZone">, occurrence: { startAt: Date }, minutesBefore: number): Date {
  return new Date(occurrence.startAt.getTime() - allDayShiftMs(meeting, occurrence.startAt) - minutesBefore * MINUTE);
}

/**
 * All-day meetings are stored from midnight UTC of their date; people expect "1 day before" to mean
 * from midnight where the meeting was planned. Berlin (UTC+1): local midnight is 1 h earlier than UTC's.
 */
function allDayShiftMs(meeting: Pick<ReminderSeries, "isAllDay" | "timeZone">, at: Date): number {
  return meeting.isAllDay ? offsetMinutes(meeting.timeZone, at) * MINUTE : 0;
}

function seriesOf(meeting: ReminderSeries) {
  return { startAt: meeting.startAt, endAt: meeting.endAt, timeZone: meeting.timeZone, isAllDay: meeting.isAllDay, rrule: meeting.rrule };
}

/** A UUID derived from the reminder, the occurrence, its due time and the meeting's version (pg-boss job ids are UUIDs). */
export function reminderJobId(payload: MeetingReminderPayload, version: number): string {
  return uuidFrom(`meeting-reminder|${payload.reminderId}|${payload.originalStart}|${payload.dueAt}|${version}`);
}

export function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
