// Message shortcut "Open claim from message": the claim form with the message text and link; its files' ids ride along.
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from "@slack/bolt";
import { formFromMessage } from "../../../dispatch.js";
import { notice } from "../../../views/view.js";
import { fileRefsOf } from "../../files.js";
import { identify } from "../../identity.js";
import { messageShortcut } from "../../payloads.js";
import { permalink } from "../../permalink.js";
import { sendMessage, sendReply, type ReplyTarget } from "../../send-reply.js";
import type { SlackSurface } from "../../slack-surface.js";

export const CLAIM_FROM_MESSAGE = "claim.from-message";

/** Also serves "Import meetings from .ics" (`shortcutId`): both need the message's files. */
export function claimFromMessage(surface: SlackSurface, shortcutId: string = CLAIM_FROM_MESSAGE) {
  return async ({ ack, body, client, context, respond }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    let to: ReplyTarget | undefined;
    await surface.guard.run(
      `shortcut ${shortcutId}`,
      async () => {
        const shortcut = messageShortcut.parse(body);
        to = { client, userId: shortcut.user.id, triggerId: shortcut.trigger_id, respond: shortcut.response_url ? respond : undefined };
        const [who, link] = await Promise.all([identify(surface, client, context, shortcut.user.id), permalink(client, shortcut.channel.id, shortcut.message.ts, surface.logger)]);
        if (!who.ok) return sendMessage(who.view, to, "private");
        await sendReply(await formFromMessage(surface.deps, who, shortcutId, { text: shortcut.message.text, link, files: fileRefsOf(body) }), to);
      },
      async (text) => to && sendMessage(notice(text), to, "private"),
    );
  };
}
