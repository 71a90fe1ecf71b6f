// Message shortcut "Log call from message": the call form with the message text and its permalink in the notes.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { formFromMessage } from "../../../dispatch.js";
import { notice } from "../../../views/view.js";
import { identify } from "../../identity.js";
import { messageShortcut } from "../../payloads.js";
import { permalink } from "../../permalink.js";
import { sendMessage, sendReply, type ReplyTarget } from "../../send-reply.js";
import type { SlackSurface } from "../../slack-surface.js";

export const CALL_FROM_MESSAGE = "call.from-message";
export const CASE_FROM_MESSAGE = "case.from-message";
export const LEAD_FROM_MESSAGE = "lead.from-message";

/** Also serves "Open case from message" and "Create lead from message" (`shortcutId`); the channel and ts let a case follow the message's thread. */
export function callFromMessage(surface: SlackSurface, shortcutId: string = CALL_FROM_MESSAGE) {
  return async ({ ack, body, client, context, respond }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    let to: ReplyTarget | undefined;
    await surface.guard.run(
      `shortcut ${shortcutId}`,
      async () => {
        const shortcut = messageShortcut.parse(body);
        to = { client, userId: shortcut.user.id, triggerId: shortcut.trigger_id, respond: shortcut.response_url ? respond : undefined };
        // Both before views.open, which must happen within 3 s of the trigger: in parallel.
        const [who, link] = await Promise.all([identify(surface, client, context, shortcut.user.id), permalink(client, shortcut.channel.id, shortcut.message.ts, surface.logger)]);
        if (!who.ok) return sendMessage(who.view, to, "private");
        await sendReply(await formFromMessage(surface.deps, who, shortcutId, { text: shortcut.message.text, link, channel: shortcut.channel.id, ts: shortcut.message.ts }), to);
      },
      async (text) => to && sendMessage(notice(text), to, "private"),
    );
  };
}
