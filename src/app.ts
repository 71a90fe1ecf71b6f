// Composition root: configuration → database → jobs → HTTP, and the reverse on stop.
import type { Config } from "./config.js";
import { createPrismaClient, type Db } from "./db/client.js";
import { openDatabase, type OpenDatabase } from "./db/database.js";
import type { JobDefinition } from "./jobs/define-job.js";
import { startJobRunner, type JobRunner } from "./jobs/job-runner.js";
import { createHttpApp, finishHttpApp, listen, type RunningHttpServer } from "./http/server.js";
import type { Logger } from "./log.js";

export interface Switchboard {
  config: Config;
  database: OpenDatabase;
  db: Db;
  jobs: JobRunner;
  http: RunningHttpServer;
  /** Stops taking requests, lets running jobs finish up to the timeout, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Jobs to register and work (the application's own arrive with the features that need them; tests add theirs). */
  jobs?: JobDefinition<any>[];
  maintenanceIntervalSeconds?: number;
}

export async function startSwitchboard(config: Config, logger: Logger, opts: StartOptions = {}): Promise<Switchboard> {
  const database = await openDatabase(config, logger);
  const db = createPrismaClient(database.url);
  let jobs: JobRunner | undefined;
  try {
    jobs = await startJobRunner({
      url: database.url,
      logger,
      jobs: [...(opts.jobs ?? [])],
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds,
    });
    const runner = jobs;
    const app = createHttpApp({
      logger,
      readiness: [
        { name: "database", check: async () => void (await db.$queryRaw`SELECT 1`) },
        { name: "jobs", check: async () => assertRunning(runner) },
      ],
    });
    finishHttpApp(app, logger);
    const http = await listen(app, config.port, config.host);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await http.close(Math.min(5000, config.shutdownTimeoutMs));
        await runner.stop(config.shutdownTimeoutMs);
        await db.$disconnect();
        await database.close();
      })());
    return { config, database, db, jobs: runner, http, stop };
  } catch (error) {
    await jobs?.stop(1000).catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

async function assertRunning(jobs: JobRunner): Promise<void> {
  if (!jobs.isRunning()) throw new Error("job runner stopped");
  await jobs.boss.getQueues();
}
