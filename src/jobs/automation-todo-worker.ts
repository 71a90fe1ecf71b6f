// The worker of rules' to-dos: at the due time, DM the person (once) if they may still open the record.
import { deliverTodo } from "../handlers/automation/follow-ups.js";
import type { Deps } from "../handlers/deps.js";
import { todoDueJob } from "./automation-todo.js";
import { defineJob, type JobDefinition } from "./define-job.js";

export function todoDueWorker(deps: Deps): JobDefinition<any> {
  return defineJob({
    ...todoDueJob,
    queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
    // As due calls: a to-do's DM may be up to 2 s late (app-jobs.ts, relaxed polling).
    pollingIntervalSeconds: 2,
    async handler(payload, ctx) {
      const outcome = await deliverTodo(deps, payload);
      // A dropped to-do (record gone, no longer visible, next action changed) is expected: debug only.
      ctx.logger.debug({ model: payload.model, recordId: payload.recordId, userId: payload.userId, outcome }, "automation to-do due");
    },
  });
}
