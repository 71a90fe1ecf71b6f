// The automation workers: moments of time rules, planning a rule's moments, and the catch-up clock.
import type { Deps } from "../handlers/deps.js";
import { catchUpRules, fireRuleMoment, scheduleRule } from "../handlers/automation/rule-moments.js";
import { uuidFrom } from "../handlers/meetings/plan-reminders.js";
import { CATCH_UP_SECONDS, catchUpSlotAt, MOMENT_BATCH_SIZE, MOMENT_POLLING_SECONDS, ruleCatchUpJob, ruleMomentJob, ruleScheduleJob } from "./automation.js";
import { defineJob, type JobDefinition } from "./define-job.js";
import { seedChain } from "./seed-chain.js";
import { todoDueWorker } from "./automation-todo-worker.js";

type Sender = Deps["jobs"];

/** One catch-up job per slot, the same id on every replica (pg-boss inserts an id once), so the chain never multiplies. */
async function sendCatchUp(jobs: Sender, slot: number): Promise<void> {
  await jobs.send(ruleCatchUpJob, { slot }, { id: uuidFrom(`automation-catch-up|${slot}`), startAfter: new Date(slot * CATCH_UP_SECONDS * 1000) });
}


export function automationJobs(deps: Deps, opts: { seed?: boolean } = {}): JobDefinition<any>[] {
  if (opts.seed !== false) seedChain(() => sendCatchUp(deps.jobs, catchUpSlotAt(Date.now())), deps.logger.child({ component: "automation" }), "automation catch-up");
  return [
    defineJob({
      ...ruleMomentJob,
      // A crash mid-firing rolls its transaction back; the job expires and runs again, and fires once.
      queue: { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 },
      batchSize: MOMENT_BATCH_SIZE,
      pollingIntervalSeconds: MOMENT_POLLING_SECONDS,
      async handler(payload, ctx) {
        const outcome = await fireRuleMoment(deps, payload);
        ctx.logger.debug({ ruleId: payload.ruleId, recordId: payload.recordId, outcome }, "automation moment");
      },
    }),
    defineJob({
      ...ruleScheduleJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 },
      batchSize: 1,
      pollingIntervalSeconds: 5, // a rule saved waits up to 5 s to be planned: its moments are minutes to months away
      async handler(payload, ctx) {
        const outcome = await scheduleRule(deps, payload);
        ctx.logger.info({ ruleId: payload.ruleId, version: payload.version, outcome }, "automation rule scheduled");
      },
    }),
    defineJob({
      ...ruleCatchUpJob,
      queue: { retryLimit: 1000, retryDelay: 5, expireInSeconds: 120 },
      batchSize: 1,
      pollingIntervalSeconds: 5,
      async handler({ slot }, ctx) {
        await sendCatchUp(deps.jobs, Math.max(slot, catchUpSlotAt(Date.now())) + 1);
        const behind = await catchUpRules(deps);
        if (behind > 0) ctx.logger.info({ rules: behind }, "automation rules caught up");
      },
    }),
    todoDueWorker(deps),
  ];
}
