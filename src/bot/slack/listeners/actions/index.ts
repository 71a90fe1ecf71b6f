// Registers the button listener: every button carries its intent in action_id, so one listener routes them all.
import type { App, BlockAction } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { buttonPressed } from "./button-pressed.js";

export function registerActions(app: App, surface: SlackSurface): void {
  app.action<BlockAction>({ type: "block_actions", action_id: /.+/ }, buttonPressed(surface));
}
