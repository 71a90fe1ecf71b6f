// Registers the message shortcuts.
import type { App, MessageShortcut } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { callFromMessage, CALL_FROM_MESSAGE } from "./call-from-message.js";

export function registerShortcuts(app: App, surface: SlackSurface): void {
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: CALL_FROM_MESSAGE }, callFromMessage(surface));
}
