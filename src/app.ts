// Composition root: configuration → database → jobs → HTTP, and the reverse on stop.
import type { Config } from "./config.js";
import { createPrismaClient, type Db } from "./db/client.js";
import { openDatabase, type OpenDatabase } from "./db/database.js";
import type { MountedSurface } from "./bot/surface.js";
import type { Deps } from "./handlers/deps.js";
import { appJobs } from "./jobs/app-jobs.js";
import type { JobDefinition } from "./jobs/define-job.js";
import { startJobRunner, type JobRunner } from "./jobs/job-runner.js";
import { createHttpApp, finishHttpApp, listen, type RunningHttpServer } from "./http/server.js";
import { mountCalendarRoute } from "./http/calendar-route.js";
import type { Logger } from "./log.js";
import { createEmailTransport } from "./mail/transport.js";
import type { Transport } from "./jobs/transport.js";

export interface Switchboard {
  config: Config;
  database: OpenDatabase;
  db: Db;
  jobs: JobRunner;
  http: RunningHttpServer;
  deps: Deps;
  surfaces: { slack?: MountedSurface; teams?: MountedSurface };
  /** Stops taking requests, lets running jobs finish up to the timeout, closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Jobs to register and work (the application's own arrive with the features that need them; tests add theirs). */
  jobs?: JobDefinition<any>[];
  maintenanceIntervalSeconds?: number;
  /** The clock handlers use (tests pass their own). */
  now?: () => Date;
}

export async function startSwitchboard(config: Config, logger: Logger, opts: StartOptions = {}): Promise<Switchboard> {
  const database = await openDatabase(config, logger);
  const db = createPrismaClient(database.url);
  let jobs: JobRunner | undefined;
  const surfaces: Switchboard["surfaces"] = {};
  const deps: Deps = {
    db,
    now: opts.now ?? (() => new Date()),
    logger,
    settings: { allowedEmailDomains: config.allowedEmailDomains, publicUrl: config.publicUrl },
    // Bound late: the job runner's own handlers need these deps.
    jobs: { send: (job, payload, options) => (jobs ? jobs.send(job, payload, options) : Promise.reject(new Error("job runner not started"))) },
  };
  try {
    const app = createHttpApp({
      logger,
      readiness: [
        { name: "database", check: async () => void (await db.$queryRaw`SELECT 1`) },
        { name: "jobs", check: async () => assertRunning(jobs) },
      ],
    });
    mountCalendarRoute(app, deps);
    if (config.slack.mode !== "off") surfaces.slack = await (await import("./bot/slack/mount-slack.js")).mountSlack({ app, deps, config, logger });
    // botbuilder is loaded only when Teams is enabled: it costs memory the embedded default cannot spare.
    if (config.teams.isEnabled) surfaces.teams = await (await import("./bot/teams/mount-teams.js")).mountTeams({ app, deps, config, logger });
    finishHttpApp(app, logger);
    jobs = await startJobRunner({
      url: database.url,
      logger,
      jobs: [...appJobs(deps, { slack: surfaces.slack?.transport, teams: surfaces.teams?.transport, email: emailTransportFor(config, surfaces, logger) }), ...(opts.jobs ?? [])],
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds,
    });
    const runner = jobs;
    const http = await listen(app, config.port, config.host);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await http.close(Math.min(5000, config.shutdownTimeoutMs));
        await Promise.all(Object.values(surfaces).map((s) => s.stop()));
        await runner.stop(config.shutdownTimeoutMs);
        await db.$disconnect();
        await database.close();
      })());
    return { config, database, db, jobs: runner, http, deps, surfaces, stop };
  } catch (error) {
    await Promise.all(Object.values(surfaces).map((s) => s.stop().catch(() => undefined)));
    await jobs?.stop(1000).catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** Email is written by chat users' actions: without a chat surface (or SMTP) there is none, and no outbox tick runs. */
function emailTransportFor(config: Config, surfaces: Switchboard["surfaces"], logger: Logger): Transport | undefined {
  if (!config.mail.smtpUrl && !surfaces.slack && !surfaces.teams) return undefined;
  return createEmailTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, dataDir: config.dataDir, logger });
}

async function assertRunning(jobs: JobRunner | undefined): Promise<void> {
  if (!jobs?.isRunning()) throw new Error("job runner stopped");
  await jobs.boss.getQueues();
}
