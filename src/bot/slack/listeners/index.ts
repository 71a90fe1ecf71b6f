// Registers every Slack listener, by kind (each kind's index only registers; each listener is its own file).
import type { App } from "@slack/bolt";
import type { SlackSurface } from "../slack-surface.js";
import { registerActions } from "./actions/index.js";
import { registerCommands } from "./commands/index.js";
import { registerEvents } from "./events/index.js";
import { registerOptions } from "./options/index.js";
import { registerShortcuts } from "./shortcuts/index.js";
import { registerViews } from "./views/index.js";

export function registerListeners(app: App, surface: SlackSurface): void {
  registerCommands(app, surface);
  registerActions(app, surface);
  registerViews(app, surface);
  registerOptions(app, surface);
  registerShortcuts(app, surface);
  registerEvents(app, surface);
}
