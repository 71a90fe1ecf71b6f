// Registers the Events API listeners (Bolt acks events before they run; retries are dropped by event-dedupe).
import type { App } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { homeOpened } from "./app-home-opened.js";
import { appUninstalled, tokensRevoked } from "./installation-removed.js";
import { threadReplied } from "./thread-reply.js";

export function registerEvents(app: App, surface: SlackSurface): void {
  app.event("app_home_opened", homeOpened(surface));
  app.event("app_uninstalled", appUninstalled(surface));
  app.event("tokens_revoked", tokensRevoked(surface));
  app.event("message", threadReplied(surface));
}
