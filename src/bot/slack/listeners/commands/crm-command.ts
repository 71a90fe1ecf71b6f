// `/crm …`: ack at once (no body), then find the person, run the command and answer through response_url or a modal.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { runCommand } from "../../../dispatch.js";
import { identify } from "../../identity.js";
import { slashCommand } from "../../payloads.js";
import { sendMessage, sendReply } from "../../send-reply.js";
import { COMMAND_SURFACE, type SlackSurface } from "../../slack-surface.js";

export function crmCommand(surface: SlackSurface) {
  return async ({ ack, body, client, context, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await surface.guard.run(
      "command /crm",
      async () => {
        const command = slashCommand.parse(body);
        // A modal must open within 3 s of the trigger: the person is one indexed lookup unless this is their first contact.
        const to = { client, userId: command.user_id, triggerId: command.trigger_id, respond };
        const who = await identify(surface, client, context, command.user_id);
        if (!who.ok) return sendMessage(who.view, to, "private");
        await sendReply(await runCommand(surface.deps, who, command.text, COMMAND_SURFACE), to);
      },
      (text) => respond({ response_type: "ephemeral", text }),
    );
  };
}
