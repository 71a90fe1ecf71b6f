// Registers the message shortcuts.
import type { App, MessageShortcut } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";
import { MEETING_IMPORT_FROM_MESSAGE } from "../../../views/calendar-feed.js";
import { claimFromMessage, CLAIM_FROM_MESSAGE } from "./claim-from-message.js";
import { callFromMessage, CALL_FROM_MESSAGE, CASE_FROM_MESSAGE, LEAD_FROM_MESSAGE } from "./call-from-message.js";

export function registerShortcuts(app: App, surface: SlackSurface): void {
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: CALL_FROM_MESSAGE }, callFromMessage(surface));
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: CASE_FROM_MESSAGE }, callFromMessage(surface, CASE_FROM_MESSAGE));
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: CLAIM_FROM_MESSAGE }, claimFromMessage(surface));
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: LEAD_FROM_MESSAGE }, callFromMessage(surface, LEAD_FROM_MESSAGE));
  app.shortcut<MessageShortcut>({ type: "message_action", callback_id: MEETING_IMPORT_FROM_MESSAGE }, claimFromMessage(surface, MEETING_IMPORT_FROM_MESSAGE));
}
