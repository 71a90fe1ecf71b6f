// The Bolt App for each Slack mode: one workspace (HTTP), OAuth for many workspaces (HTTP), or Socket Mode.
import { App, ExpressReceiver, SocketModeReceiver, webApi, type Logger as BoltLogger } from "@slack/bolt";
import type { Express } from "express";
import type { Config } from "../../config.js";
import type { PrismaInstallationStore } from "./installation-store.js";
import { singleWorkspaceAuth, type BotIdentity } from "./single-workspace-auth.js";
import type { BotTokenSource } from "./transport.js";

export const EVENTS_PATH = "/slack/events";
export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";
export const BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "im:write", "users:read", "users:read.email", "files:read", "channels:history", "groups:history"];

export interface BoltSetup {
  app: App;
  botToken: BotTokenSource;
  /** Checks the single bot token with auth.test (absent in OAuth mode: each installation brings its own). */
  verify?: () => Promise<BotIdentity>;
  /** Socket Mode connects on start; HTTP modes are routes on our Express app already. */
  start?: () => Promise<unknown>;
  stop?: () => Promise<unknown>;
}

interface Options {
  config: Config["slack"];
  express: Express;
  logger: BoltLogger;
  clientOptions: webApi.WebClientOptions;
  installations?: PrismaInstallationStore;
}

export function createBoltApp(opts: Options): BoltSetup {
  switch (opts.config.mode) {
    case "oauth":
      return oauthApp(opts);
    case "socket":
      return socketModeApp(opts);
    default:
      return singleWorkspaceApp(opts);
  }
}

/** Shared by every mode: no in-memory conversation store (replicas share nothing in memory). */
function appOptions(opts: Options) {
  return { convoStore: false as const, logger: opts.logger, clientOptions: { ...opts.clientOptions } };
}

function httpReceiver(opts: Options, oauth = {}): ExpressReceiver {
  return new ExpressReceiver({
    app: opts.express,
    signingSecret: required(opts.config.signingSecret, "SLACK_SIGNING_SECRET"),
    endpoints: EVENTS_PATH,
    // Ack is the HTTP response; listeners keep working after it (the 3-second rule).
    processBeforeResponse: false,
    logger: opts.logger,
    ...oauth,
  });
}

function singleWorkspaceApp(opts: Options): BoltSetup {
  const token = required(opts.config.botToken, "SLACK_BOT_TOKEN");
  const auth = singleWorkspaceAuth(new webApi.WebClient(undefined, opts.clientOptions), token);
  const app = new App({ ...appOptions(opts), receiver: httpReceiver(opts), authorize: auth.authorize });
  return { app, botToken: async () => token, verify: auth.verify };
}

function oauthApp(opts: Options): BoltSetup {
  const installations = opts.installations;
  if (!installations) throw new Error("OAuth mode needs an installation store");
  const receiver = httpReceiver(opts, {
    clientId: required(opts.config.clientId, "SLACK_CLIENT_ID"),
    clientSecret: required(opts.config.clientSecret, "SLACK_CLIENT_SECRET"),
    stateSecret: required(opts.config.stateSecret, "SLACK_STATE_SECRET"),
    scopes: BOT_SCOPES,
    installationStore: installations,
    installerOptions: { directInstall: true, installPath: INSTALL_PATH, redirectUriPath: REDIRECT_PATH, clientOptions: { ...opts.clientOptions } },
  });
  const app = new App({ ...appOptions(opts), receiver });
  return { app, botToken: async (scope) => (scope ? installations.botTokenFor(scope) : undefined) };
}

function socketModeApp(opts: Options): BoltSetup {
  const token = required(opts.config.botToken, "SLACK_BOT_TOKEN");
  const auth = singleWorkspaceAuth(new webApi.WebClient(undefined, opts.clientOptions), token);
  const receiver = new SocketModeReceiver({
    appToken: required(opts.config.appToken, "SLACK_APP_TOKEN"),
    logger: opts.logger,
    installerOptions: { clientOptions: { ...opts.clientOptions } },
  });
  const app = new App({ ...appOptions(opts), receiver, authorize: auth.authorize });
  return { app, botToken: async () => token, verify: auth.verify, start: () => app.start(), stop: () => app.stop() };
}

/** config.ts already refuses these combinations; this keeps the types honest. */
function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required for this Slack mode`);
  return value;
}
