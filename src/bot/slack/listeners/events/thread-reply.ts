// message.channels / message.groups: a reply in the thread a case was opened from becomes an internal note on it.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { addThreadReply } from "../../../../handlers/cases/thread-replies.js";
import { slackIdentity } from "../../identity.js";
import type { SlackSurface } from "../../slack-surface.js";

/** Plain replies only: edits (message_changed), deletions, joins and bot messages have a subtype or a bot_id. */
const threadReply = z.object({
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string().default(""),
  ts: z.string().min(1),
  thread_ts: z.string().min(1),
  subtype: z.enum(["thread_broadcast", "file_share"]).optional(),
  bot_id: z.string().optional(),
});

export function threadReplied(surface: SlackSurface) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    const reply = threadReply.safeParse(event);
    // Not a reply, not a plain message, or a bot's (ours or another app's).
    if (!reply.success || reply.data.thread_ts === reply.data.ts || reply.data.bot_id) return;
    if (context.botUserId && reply.data.user === context.botUserId) return;
    const workspaceId = context.teamId ?? context.enterpriseId;
    if (!workspaceId) return;
    await surface.guard.run(
      "event message (thread reply)",
      async () => {
        const outcome = await addThreadReply(surface.deps, {
          channel: reply.data.channel,
          threadTs: reply.data.thread_ts,
          ts: reply.data.ts,
          text: reply.data.text,
          author: slackIdentity(client, workspaceId, reply.data.user),
        });
        if (outcome === "noted") surface.logger.debug({ channel: reply.data.channel, threadTs: reply.data.thread_ts }, "thread reply added to a case");
      },
      async () => undefined, // nobody is waiting for an answer to an event
    );
  };
}
