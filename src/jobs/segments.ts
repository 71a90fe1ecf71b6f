// Segmentation jobs: the nightly evaluation of every category (a chain of one job per night), one category after
// its criteria changed, and one partner shortly after its records changed (debounced to one job a minute).
import { z } from "zod";
import type { Deps } from "../handlers/deps.js";
import { uuidFrom } from "../handlers/meetings/plan-reminders.js";
import { evaluateAllCategories, evaluateCategory, reevaluatePartnerNow } from "../handlers/segments/evaluate.js";
import { defineJob, type JobDefinition, type JobSpec } from "./define-job.js";
import { seedChain } from "./seed-chain.js";

/** Nights run at 02:00 UTC: after most working days end, before Europe's start. */
export const NIGHTLY_HOUR_UTC = 2;
const DAY_MS = 86_400_000;

export const segmentsNightlyJob: JobSpec<{ night: number }> = {
  name: "segments-nightly",
  schema: z.object({ night: z.number().int().nonnegative() }),
};

export const segmentsCategoryJob: JobSpec<{ categoryId: string; version: number }> = {
  name: "segments-category",
  schema: z.object({ categoryId: z.string().uuid(), version: z.number().int().nonnegative() }),
};

export const segmentsPartnerJob: JobSpec<{ partnerId: string }> = {
  name: "segments-partner",
  schema: z.object({ partnerId: z.string().uuid() }),
};

/** The night (days since 1970) whose run is the next one at or after `epochMs`. */
export function nextNight(epochMs: number): number {
  const day = Math.floor(epochMs / DAY_MS);
  return epochMs <= nightAt(day) ? day : day + 1;
}

export const nightAt = (night: number): number => night * DAY_MS + NIGHTLY_HOUR_UTC * 3_600_000;

/** One job per night, the same id on every replica (pg-boss inserts an id once), so the chain never multiplies. */
export async function sendNightly(jobs: Deps["jobs"], night: number): Promise<void> {
  await jobs.send(segmentsNightlyJob, { night }, { id: uuidFrom(`segments-nightly|${night}`), startAfter: new Date(nightAt(night)) });
}


export function segmentsJobs(deps: Deps, opts: { seed?: boolean } = {}): JobDefinition<any>[] {
  if (opts.seed !== false) seedChain(() => sendNightly(deps.jobs, nextNight(Date.now())), deps.logger.child({ component: "segments" }), "nightly segmentation");
  return [
    defineJob({
      ...segmentsNightlyJob,
      // Evaluation is idempotent: a run cut short by a crash simply runs again.
      queue: { retryLimit: 3, retryDelay: 60, expireInSeconds: 30 * 60 },
      batchSize: 1,
      pollingIntervalSeconds: 30,
      async handler({ night }, ctx) {
        // The next night first: a long or failing evaluation never breaks the chain.
        await sendNightly(deps.jobs, Math.max(night, nextNight(Date.now()) - 1) + 1);
        const outcomes = await evaluateAllCategories(deps);
        ctx.logger.info({ night, categories: outcomes.length, joined: sum(outcomes, "joined"), left: sum(outcomes, "left") }, "categories evaluated");
      },
    }),
    defineJob({
      ...segmentsCategoryJob,
      queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 15 * 60 },
      batchSize: 1,
      pollingIntervalSeconds: 5,
      async handler({ categoryId }, ctx) {
        const outcome = await evaluateCategory(deps, categoryId);
        ctx.logger.info({ categoryId, outcome }, "category evaluated");
      },
    }),
    defineJob({
      ...segmentsPartnerJob,
      queue: { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 },
      batchSize: 20,
      pollingIntervalSeconds: 10, // debounced to a minute already
      async handler({ partnerId }, ctx) {
        const outcome = await reevaluatePartnerNow(deps, partnerId);
        ctx.logger.debug({ partnerId, outcome }, "partner categories re-evaluated");
      },
    }),
  ];
}

const sum = (list: { joined: number; left: number }[], key: "joined" | "left") => list.reduce((n, o) => n + o[key], 0);
