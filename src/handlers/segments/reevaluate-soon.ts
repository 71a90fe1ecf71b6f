// Re-evaluating a partner's categories shortly after its records change: a job sent through the change's transaction,
// one per partner per minute, so a burst of changes costs one evaluation and a rolled-back change costs none.
import type { Tx } from "../../db/outbox.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import { segmentsPartnerJob } from "../../jobs/segments.js";
import type { Deps } from "../deps.js";
import { uuidFrom } from "../meetings/plan-reminders.js";

const MINUTE_MS = 60_000;

/** The job id for a partner in a minute: sending it again within the minute keeps one job. */
export function partnerJobId(partnerId: string, at: Date): string {
  return uuidFrom(`segments-partner|${partnerId}|${Math.floor(at.getTime() / MINUTE_MS)}`);
}

/** Call from a handler's transaction after a case, lead, call or meeting of the partner changed (null: nothing to do). */
export async function reevaluatePartnerSoon(tx: Tx, deps: Deps, partnerId: string | null | undefined): Promise<void> {
  if (!partnerId) return;
  const now = deps.now();
  // Due at the end of the minute: every change of that minute is committed by then and read by the one job.
  const startAfter = new Date((Math.floor(now.getTime() / MINUTE_MS) + 1) * MINUTE_MS);
  await deps.jobs.send(segmentsPartnerJob, { partnerId }, { id: partnerJobId(partnerId, now), startAfter, db: prismaExecutor(tx) });
}
