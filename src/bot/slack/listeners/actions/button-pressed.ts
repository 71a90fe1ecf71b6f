// A button on one of our messages, modals or App Home: ack, then run the intent it names with its value.
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { runAction } from "../../../dispatch.js";
import { identify } from "../../identity.js";
import { blockActions } from "../../payloads.js";
import { intentOf } from "../../render-block-kit.js";
import { sendMessage, sendReply, type ReplyTarget } from "../../send-reply.js";
import { notice } from "../../../views/view.js";
import type { SlackSurface } from "../../slack-surface.js";

export function buttonPressed(surface: SlackSurface) {
  return async ({ ack, body, client, context, respond }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    let to: ReplyTarget | undefined;
    await surface.guard.run(
      "block action",
      async () => {
        const payload = blockActions.parse(body);
        const action = payload.actions[0]!;
        if (action.url) return; // a link button: Slack opened the link, nothing to do
        to = { client, userId: payload.user.id, triggerId: payload.trigger_id, respond: payload.response_url ? respond : undefined };
        const who = await identify(surface, client, context, payload.user.id);
        if (!who.ok) return sendMessage(who.view, to, "private");
        await sendReply(await runAction(surface.deps, who, intentOf(action.action_id), action.value ?? ""), to);
      },
      async (text) => to && sendMessage(notice(text), to, "private"),
    );
  };
}
