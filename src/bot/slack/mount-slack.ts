// Slack adapter entry: builds the Bolt app for the configured mode, registers the listeners, and gives the outbox its transport.
import { webApi, type Logger as BoltLogger } from "@slack/bolt";
import type { Config } from "../../config.js";
import { resolveActor } from "../../handlers/resolve-actor.js";
import type { Logger } from "../../log.js";
import type { MountedSurface, MountOptions } from "../surface.js";
import { boltLogger } from "./bolt-logger.js";
import { createBoltApp, EVENTS_PATH, type BoltSetup } from "./create-bolt-app.js";
import { dedupeEvents } from "./event-dedupe.js";
import { PrismaInstallationStore } from "./installation-store.js";
import { registerListeners } from "./listeners/index.js";
import { RequestGuard } from "./request-guard.js";
import type { SlackSurface } from "./slack-surface.js";
import { createSlackTransport } from "./transport.js";

const VERIFY_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 5_000;
const SOCKET_RETRY_MS = 30_000;

export async function mountSlack(opts: MountOptions): Promise<MountedSurface> {
  const logger = opts.logger.child({ surface: "slack" });
  const clientOptions = webClientOptions(opts.config, boltLogger(logger));
  const installations = opts.config.slack.mode === "oauth" ? new PrismaInstallationStore(opts.deps.db) : undefined;
  const setup = createBoltApp({ config: opts.config.slack, express: opts.app, logger: boltLogger(logger), clientOptions, installations });
  const surface: SlackSurface = { deps: opts.deps, logger, guard: new RequestGuard(logger), installations };
  setup.app.use(dedupeEvents(opts.deps, logger));
  registerListeners(setup.app, surface);
  setup.app.error(async (error) => {
    logger.error({ err: error }, "Slack request failed before reaching a listener");
  });
  const report = [modeLine(opts.config), ...(await verifyBotToken(setup, logger))];
  void warmUp(surface);
  const connection = setup.start ? keepConnecting(setup.start, logger) : undefined;
  return {
    transport: createSlackTransport({ botToken: setup.botToken, clientOptions }),
    report,
    async stop() {
      connection?.stop();
      await setup.stop?.().catch((error: unknown) => logger.warn({ err: error }, "Slack Socket Mode did not stop cleanly"));
      await surface.guard.drain(DRAIN_TIMEOUT_MS);
    },
  };
}

/**
 * Prisma compiles each query shape on first use (100-500 ms); the person lookup every request makes is compiled now,
 * so the first `/crm call` after a start still opens its modal within Slack's 3 s. Reads only: an unknown id and no profile.
 */
async function warmUp(surface: SlackSurface): Promise<void> {
  const nobody = { platform: "slack" as const, workspaceId: "T-warm-up", userId: "U-warm-up", lookup: async () => ({}) };
  await resolveActor(surface.deps, nobody).catch((error: unknown) => surface.logger.debug({ err: error }, "Slack warm-up query failed"));
}

/**
 * Socket Mode connects in the background: a Slack outage must not stop the HTTP server from starting. The client
 * retries by itself, but gives up on some errors (network, HTTP); then we start it again every 30 s.
 */
function keepConnecting(start: () => Promise<unknown>, logger: Logger): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;
  const attempt = () =>
    start().catch((error: unknown) => {
      logger.error({ err: error }, "Slack Socket Mode could not connect; trying again in 30 s");
      if (!isStopped) timer = setTimeout(attempt, SOCKET_RETRY_MS).unref();
    });
  void attempt();
  return {
    stop() {
      isStopped = true;
      clearTimeout(timer);
    },
  };
}

function webClientOptions(config: Config, logger: BoltLogger): webApi.WebClientOptions {
  return {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    logger,
    timeout: 10_000,
    // Interactive paths answer a person within seconds: fail fast on 429 instead of pausing the client.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  };
}

function modeLine(config: Config): string {
  const where = config.slack.mode === "socket" ? "Socket Mode (no public URL needed)" : `requests at ${config.publicUrl}${EVENTS_PATH}`;
  return `Slack: ${config.slack.mode}, ${where}`;
}

/** A refused token stops start-up (a configuration error); an unreachable Slack only warns and is retried per request. */
async function verifyBotToken(setup: BoltSetup, logger: Logger): Promise<string[]> {
  if (!setup.verify) return [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("auth.test timed out")), VERIFY_TIMEOUT_MS)));
    const bot = await Promise.race([setup.verify(), timeout]);
    return [`Slack: bot user ${bot.botUserId ?? "?"} in workspace ${bot.teamId ?? "?"}`];
  } catch (error) {
    const code = (error as { code?: string; data?: { error?: string } }).code === webApi.ErrorCode.PlatformError ? (error as { data?: { error?: string } }).data?.error : undefined;
    if (code) throw new Error(`Slack refused SLACK_BOT_TOKEN (${code}). Check the token in the app's OAuth & Permissions page.`);
    logger.warn({ err: error }, "could not check the Slack bot token at start; will retry on the first request");
    return ["Slack: could not reach Slack to check the bot token; it is checked again on the first request"];
  } finally {
    clearTimeout(timer);
  }
}
