// The jobs that remind a meeting's attendees at `start − minutesBefore`, and again after a snooze.
import { z } from "zod";
import type { JobSpec } from "./define-job.js";

export interface MeetingReminderPayload {
  meetingId: string;
  reminderId: string;
  /** The occurrence's start as the rule gives it (its RECURRENCE-ID): identifies it across moves. */
  originalStart: string;
  /** The due time this job was planned for: a job whose occurrence is now due at another time is stale. */
  dueAt: string;
}

export const meetingReminderJob: JobSpec<MeetingReminderPayload> = {
  name: "meeting-reminder",
  schema: z.object({ meetingId: z.string().uuid(), reminderId: z.string().uuid(), originalStart: z.string().datetime(), dueAt: z.string().datetime() }),
};

export interface ReminderSnoozePayload {
  deliveryId: string;
  /** The snooze this job was sent for (a delivery snoozes once; kept for the logs and as a check). */
  snoozedUntil: string;
}

export const reminderSnoozeJob: JobSpec<ReminderSnoozePayload> = {
  name: "meeting-reminder-snooze",
  schema: z.object({ deliveryId: z.string().uuid(), snoozedUntil: z.string().datetime() }),
};

/**
 * Polling: a worker fetches one batch per interval (DESIGN.md "Measured": 0.5 s at the least), so a
 * due job waits up to one interval, plus the time to work through the jobs ahead of it in its batch.
 * 0.5 s and 50 jobs a batch (≈ 100 jobs/s) keep a burst of reminders due in one second under 1 s late.
 */
export const REMINDER_POLLING_SECONDS = 0.5;
export const REMINDER_BATCH_SIZE = 50;
