// The weekly contract digest job: one job per ISO week, due Monday 08:00 UTC, with a fixed id per week so every
// replica and every restart sends the same one; each run sends the next week's (as the automation catch-up chain).
import { z } from "zod";
import { isoWeek, nextDigestMoment } from "../domain/contracts.js";
import { sendContractDigests } from "../handlers/contracts/digest.js";
import type { Deps } from "../handlers/deps.js";
import { uuidFrom } from "../handlers/meetings/plan-reminders.js";
import { defineJob, type JobDefinition, type JobSpec } from "./define-job.js";
import { seedChain } from "./seed-chain.js";

export const contractDigestJob: JobSpec<{ week: string; at: string }> = {
  name: "contract-digest",
  schema: z.object({ week: z.string().regex(/^\d{4}-W\d{2}$/), at: z.string().datetime() }),
};

const EARLY_TOLERANCE_MS = 5 * 60_000;

/** Sends the job of the first digest moment after `after` (the same id every time for that week). */
export async function sendDigestAfter(jobs: Deps["jobs"], after: Date): Promise<void> {
  const at = nextDigestMoment(after);
  const week = isoWeek(at);
  await jobs.send(contractDigestJob, { week, at: at.toISOString() }, { id: uuidFrom(`contract-digest|${week}`), startAfter: at });
}


export function contractDigestJobs(deps: Deps, opts: { seed?: boolean } = {}): JobDefinition<any>[] {
  if (opts.seed !== false) seedChain(() => sendDigestAfter(deps.jobs, deps.now()), deps.logger.child({ component: "contract-digest" }), "contract digest chain");
  return [
    defineJob({
      ...contractDigestJob,
      // A crash mid-run retries; readers already sent this week are skipped by their dedupe key.
      queue: { retryLimit: 10, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
      batchSize: 1,
      pollingIntervalSeconds: 30,
      async handler({ week, at }, ctx) {
        const due = new Date(at).getTime();
        const now = deps.now().getTime();
        // pg-boss runs jobs by the database's clock; the digest's parts are counted by the app's: a run well before
        // the moment by the app's clock fails and is retried later, rather than sending a digest of the wrong week.
        if (now < due - EARLY_TOLERANCE_MS) throw new Error(`contract digest ${week} ran before its moment by this app's clock; retried later`);
        // After downtime the next moment counts from now, so missed weeks do not run back to back.
        await sendDigestAfter(deps.jobs, new Date(Math.max(due, now)));
        const outcome = await sendContractDigests(deps, week);
        ctx.logger.info({ week, ...outcome }, "contract digests sent");
      },
    }),
  ];
}
