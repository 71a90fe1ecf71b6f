// Registers the slash commands.
import type { App } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { crmCommand } from "./crm-command.js";

export function registerCommands(app: App, surface: SlackSurface): void {
  app.command("/crm", crmCommand(surface));
}
