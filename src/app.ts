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
import { isMailGatewayConfigured, type MailGateway } from "./mail/gateway-config.js";
import type { Transport } from "./jobs/transport.js";
import { createWebhookTransport, WEBHOOK_SECRET_NAME } from "./jobs/webhook-transport.js";
import { appSecret } from "./handlers/mail/app-secret.js";

export interface Switchboard {
  config: Config;
  database: OpenDatabase;
  db: Db;
  jobs: JobRunner;
  http: RunningHttpServer;
  deps: Deps;
  surfaces: { slack?: MountedSurface; teams?: MountedSurface };
  /** The inbound mail gateway, when SMTP_LISTEN_PORT or IMAP_URL is set (its report lines are printed like the surfaces'). */
  mail?: MailGateway;
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
  let mail: MailGateway | undefined;
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
      // Webhooks need no configuration, so they are always delivered (and the outbox tick always runs).
      jobs: [...appJobs(deps, { slack: surfaces.slack?.transport, teams: surfaces.teams?.transport, email: emailTransportFor(config, surfaces, logger), webhook: createWebhookTransport({ loadSecret: () => appSecret(db, WEBHOOK_SECRET_NAME), logger }) }), ...(opts.jobs ?? [])],
      maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds,
    });
    const runner = jobs;
    // After the job runner: acknowledgements and chat posts of received mail are outbox rows its workers deliver.
    // Loaded only when configured: smtp-server, mailparser and imapflow cost memory the embedded default cannot spare.
    if (isMailGatewayConfigured(config.mail)) mail = await (await import("./mail/gateway.js")).startMailGateway(deps, config.mail, logger);
    const gateway = mail;
    const http = await listen(app, config.port, config.host);
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await http.close(Math.min(5000, config.shutdownTimeoutMs));
        await Promise.all(Object.values(surfaces).map((s) => s.stop()));
        await gateway?.stop();
        await runner.stop(config.shutdownTimeoutMs);
        await db.$disconnect();
        await database.close();
      })());
    return { config, database, db, jobs: runner, http, deps, surfaces, ...(gateway ? { mail: gateway } : {}), stop };
  } catch (error) {
    await Promise.all(Object.values(surfaces).map((s) => s.stop().catch(() => undefined)));
    await mail?.stop().catch(() => undefined);
    await jobs?.stop(1000).catch(() => undefined);
    await db.$disconnect().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Email is written by chat users' actions and by the mail gateway (acknowledgements, bounces): without a chat surface,
 * the gateway or SMTP there is none, and no outbox tick runs.
 */
function emailTransportFor(config: Config, surfaces: Switchboard["surfaces"], logger: Logger): Transport | undefined {
  if (!config.mail.smtpUrl && !surfaces.slack && !surfaces.teams && !isMailGatewayConfigured(config.mail)) return undefined;
  return createEmailTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, dataDir: config.dataDir, logger });
}

async function assertRunning(jobs: JobRunner | undefined): Promise<void> {
  if (!jobs?.isRunning()) throw new Error("job runner stopped");
  await jobs.boss.getQueues();
}
