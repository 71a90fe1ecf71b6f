// The application's jobs, with their handlers bound to the handler dependencies.
import type { Deps } from "../handlers/deps.js";
import { notifyCallDue } from "../handlers/notify-call-due.js";
import { handleSlaBreach } from "../handlers/cases/sla-breach.js";
import { callDueJob } from "./call-due.js";
import { caseSlaJob } from "./case-sla.js";
import { defineJob, type JobDefinition } from "./define-job.js";
import { outboxJobs } from "./outbox-delivery.js";
import type { Transports } from "./transport.js";

export function appJobs(deps: Deps, transports: Transports): JobDefinition<any>[] {
  return [
    defineJob({
      ...callDueJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
      async handler(payload, ctx) {
        const outcome = await notifyCallDue(deps, payload);
        ctx.logger.debug({ callId: payload.callId, outcome }, "call due");
      },
    }),
    defineJob({
      ...caseSlaJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
      async handler(payload, ctx) {
        const outcome = await handleSlaBreach(deps, payload);
        ctx.logger.debug({ caseId: payload.caseId, kind: payload.kind, outcome }, "case SLA due");
      },
    }),
    ...outboxJobs(deps, transports),
  ];
}
