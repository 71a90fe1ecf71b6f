// Starting a visit plan's series for a large category in the background: the form is answered at once (Slack
// allows 3 seconds), the series are created here, and the planner gets the summary as a DM.
import { z } from "zod";
import type { Deps } from "../handlers/deps.js";
import { finishPlanInBackground } from "../handlers/visits/plan-visits.js";
import { defineJob, type JobDefinition, type JobSpec } from "./define-job.js";

export const visitPlanStartJob: JobSpec<{ planId: string; plannerId: string }> = {
  name: "visit-plan-start",
  schema: z.object({ planId: z.string().uuid(), plannerId: z.string().uuid() }),
};

export function visitPlanJobs(deps: Deps): JobDefinition<any>[] {
  return [
    defineJob({
      ...visitPlanStartJob,
      // Starting a partner's series twice keeps one (visit-series.ts), so a run cut short simply runs again.
      queue: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 30 * 60 },
      batchSize: 1,
      pollingIntervalSeconds: 5,
      async handler(payload, ctx) {
        const outcome = await finishPlanInBackground(deps, payload);
        ctx.logger.info({ planId: payload.planId, outcome }, "visit plan started");
      },
    }),
  ];
}
