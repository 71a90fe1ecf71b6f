// What every Slack listener shares: handler dependencies, a logger, the request guard and (OAuth) the installations.
import type { webApi } from "@slack/bolt";
import type { Deps } from "../../handlers/deps.js";
import type { Logger } from "../../log.js";
import type { PrismaInstallationStore } from "./installation-store.js";
import type { RequestGuard } from "./request-guard.js";

export type WebClient = webApi.WebClient;

export interface SlackSurface {
  deps: Deps;
  logger: Logger;
  guard: RequestGuard;
  /** Present in OAuth (multi-workspace) mode. */
  installations?: PrismaInstallationStore;
}

/** How commands are written on Slack (help texts show them). */
export const COMMAND_SURFACE = { commandPrefix: "/crm " };
