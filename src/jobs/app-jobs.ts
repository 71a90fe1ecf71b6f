// The application's jobs, with their handlers bound to the handler dependencies.
import type { Deps } from "../handlers/deps.js";
import { notifyCallDue } from "../handlers/notify-call-due.js";
import { handleSlaBreach } from "../handlers/cases/sla-breach.js";
import { sendMeetingReminder } from "../handlers/meetings/send-reminder.js";
import { sendSnoozedReminder } from "../handlers/meetings/snooze-reminder.js";
import { callDueJob } from "./call-due.js";
import { caseSlaJob } from "./case-sla.js";
import { defineJob, type JobDefinition } from "./define-job.js";
import { meetingReminderJob, REMINDER_BATCH_SIZE, REMINDER_POLLING_SECONDS, reminderSnoozeJob } from "./meeting-reminder.js";
import { outboxJobs } from "./outbox-delivery.js";
import { automationJobs } from "./automation-jobs.js";
import { contractDigestJobs } from "./contract-digest.js";
import { segmentsJobs } from "./segments.js";
import { visitPlanJobs } from "./visit-plan-start.js";
import type { Transports } from "./transport.js";

/**
 * Every poll is a query, and on the embedded database a query runs on the main thread: pollers cost the chat
 * acknowledgements time (measured: 2 more queues at 0.5 s took the ack p99 ratio from about 1.4x to 2.5x).
 * Meeting reminders keep 0.5 s (their target is < 2 s late); DMs about due calls, SLA breaches and snoozed
 * reminders may be up to 2 s late.
 */
const RELAXED_POLLING_SECONDS = 2;

export function appJobs(deps: Deps, transports: Transports): JobDefinition<any>[] {
  return [
    defineJob({
      ...callDueJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
      pollingIntervalSeconds: RELAXED_POLLING_SECONDS,
      async handler(payload, ctx) {
        const outcome = await notifyCallDue(deps, payload);
        ctx.logger.debug({ callId: payload.callId, outcome }, "call due");
      },
    }),
    defineJob({
      ...caseSlaJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
      pollingIntervalSeconds: RELAXED_POLLING_SECONDS,
      async handler(payload, ctx) {
        const outcome = await handleSlaBreach(deps, payload);
        ctx.logger.debug({ caseId: payload.caseId, kind: payload.kind, outcome }, "case SLA due");
      },
    }),
    defineJob({
      ...meetingReminderJob,
      queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
      batchSize: REMINDER_BATCH_SIZE,
      pollingIntervalSeconds: REMINDER_POLLING_SECONDS,
      async handler(payload, ctx) {
        const outcome = await sendMeetingReminder(deps, payload);
        ctx.logger.debug({ meetingId: payload.meetingId, reminderId: payload.reminderId, outcome }, "meeting reminder due");
      },
    }),
    defineJob({
      ...reminderSnoozeJob,
      queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
      pollingIntervalSeconds: RELAXED_POLLING_SECONDS,
      async handler(payload, ctx) {
        const outcome = await sendSnoozedReminder(deps, payload);
        ctx.logger.debug({ deliveryId: payload.deliveryId, outcome }, "snoozed reminder due");
      },
    }),
    ...automationJobs(deps),
    ...contractDigestJobs(deps),
    ...segmentsJobs(deps),
    ...visitPlanJobs(deps),
    ...outboxJobs(deps, transports),
  ];
}
