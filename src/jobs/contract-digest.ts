// The weekly contract digest job: a chain of one job per hour (a fixed id per hour, so every replica and every
// restart sends the same one); each run sends the next hour's, then the digests of the readers whose Monday 08:00
// has come in their own time zone and who have not had this local week's yet.
import { z } from "zod";
import { nextDigestRun } from "../domain/contracts.js";
import { sendContractDigests } from "../handlers/contracts/digest.js";
import type { Deps } from "../handlers/deps.js";
import { uuidFrom } from "../handlers/meetings/plan-reminders.js";
import { defineJob, type JobDefinition, type JobSpec } from "./define-job.js";
import { seedChain } from "./seed-chain.js";

/** Renamed from the weekly "contract-digest" (a UTC Monday for everyone): its jobs left in old databases are not read. */
export const contractDigestJob: JobSpec<{ at: string }> = {
  name: "contract-digest-hourly",
  schema: z.object({ at: z.string().datetime() }),
};

const EARLY_TOLERANCE_MS = 5 * 60_000;

/** Sends the job of the first hour after `after` (the same id every time for that hour). */
export async function sendDigestAfter(jobs: Deps["jobs"], after: Date): Promise<void> {
  const at = nextDigestRun(after);
  await jobs.send(contractDigestJob, { at: at.toISOString() }, { id: uuidFrom(`contract-digest-hourly|${at.toISOString()}`), startAfter: at });
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
      async handler({ at }, ctx) {
        const due = new Date(at).getTime();
        const now = deps.now().getTime();
        // pg-boss runs jobs by the database's clock; readers' local Mondays are judged by the app's: a run well before
        // its hour by the app's clock fails and is retried later.
        if (now < due - EARLY_TOLERANCE_MS) throw new Error(`contract digest run of ${at} ran before its hour by this app's clock; retried later`);
        // After downtime the next run counts from now, so missed hours do not run back to back.
        await sendDigestAfter(deps.jobs, new Date(Math.max(due, now)));
        const outcome = await sendContractDigests(deps);
        if (outcome.sent) ctx.logger.info({ at, ...outcome }, "contract digests sent");
        else ctx.logger.debug({ at, ...outcome }, "no contract digest due");
      },
    }),
  ];
}
