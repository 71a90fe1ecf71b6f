// pg-boss on the application's database: queues, workers, delayed jobs, graceful stop.
import PgBoss from "pg-boss";
import type { Logger } from "../log.js";
import type { JobDefinition, JobSpec } from "./define-job.js";

export interface SendOptions {
  /** A fixed job id: sending the same id twice keeps one job (the outbox tick relies on it). */
  id?: string;
  startAfter?: Date | number;
  singletonKey?: string;
  /** Run the insert through this executor, e.g. the caller's transaction (see prismaExecutor). */
  db?: PgBoss.Db;
}

export interface JobRunner {
  readonly boss: PgBoss;
  send<T>(job: JobSpec<T>, payload: T, options?: SendOptions): Promise<string | null>;
  isRunning(): boolean;
  stop(timeoutMs: number): Promise<void>;
}

export interface JobRunnerOptions {
  url: string;
  logger: Logger;
  jobs: JobDefinition<any>[];
  /** Connections pg-boss may use; keep small on the embedded database. */
  maxConnections?: number;
  /** How often expired active jobs are failed/retried and archives pruned. */
  maintenanceIntervalSeconds?: number;
  /** Start workers (false: only send jobs, e.g. in a CLI). */
  work?: boolean;
}

export async function startJobRunner(opts: JobRunnerOptions): Promise<JobRunner> {
  const log = opts.logger.child({ component: "jobs" });
  const boss = new PgBoss({
    connectionString: opts.url,
    max: opts.maxConnections ?? 4,
    application_name: "switchboard-jobs",
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
    // The first second of every minute is for cron schedules; we keep cron in node-cron.
    schedule: false,
  });
  boss.on("error", (error) => log.error({ err: error }, "job runner error"));
  await boss.start();
  let running = true;
  boss.on("stopped", () => (running = false));

  for (const job of opts.jobs) {
    await boss.createQueue(job.name, { name: job.name, ...job.queue });
    if (opts.work !== false) await work(boss, job, log);
  }

  return {
    boss,
    async send(job, payload, options = {}) {
      const data = job.schema.parse(payload) as object;
      const { db, ...rest } = options;
      return boss.send(job.name, data, { ...rest, ...(db ? { db } : {}) });
    },
    isRunning: () => running,
    async stop(timeoutMs) {
      if (!running) return;
      running = false;
      // Waits for running jobs up to the timeout; jobs still running then are failed and retried later.
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true }).catch((error) => log.error({ err: error }, "job runner did not stop cleanly"));
    },
  };
}

async function work<T>(boss: PgBoss, job: JobDefinition<T>, log: Logger): Promise<void> {
  const options = { batchSize: job.batchSize ?? 20, pollingIntervalSeconds: job.pollingIntervalSeconds ?? 0.5, includeMetadata: true as const };
  await boss.work<T>(job.name, options, async (jobs) => {
    // Jobs of a batch succeed or fail one by one; pg-boss then completes only those still active.
    for (const j of jobs) {
      const jobLog = log.child({ job: job.name, jobId: j.id });
      try {
        const payload = job.schema.parse(j.data);
        await job.handler(payload, { jobId: j.id, retryCount: j.retryCount, logger: jobLog });
        // Completed at once: if a later job of the batch hangs past its expiry or a shutdown
        // cuts the batch off, pg-boss fails only the jobs still active, not this one.
        await boss.complete(job.name, j.id);
      } catch (error) {
        jobLog.warn({ err: error, retryCount: j.retryCount }, "job failed");
        // If even this fails (database gone), the job expires and runs again; never crash the worker.
        await boss.fail(job.name, j.id, { message: (error as Error).message }).catch((failError: unknown) => jobLog.error({ err: failError }, "could not record the job's failure"));
      }
    }
  });
}

/** pg-boss executor running inside a Prisma interactive transaction (no second connection: PGlite-safe). */
export function prismaExecutor(tx: { $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R> }): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...values);
      return { rows };
    },
  };
}
