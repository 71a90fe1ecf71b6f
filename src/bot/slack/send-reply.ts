// Turns a handler's Reply into Slack calls: response_url, a modal, or a DM when there is nothing to respond to.
import type { RespondFn } from "@slack/bolt";
import { notice, type MessageView, type Reply } from "../views/view.js";
import { renderMessage, renderModal } from "./render-block-kit.js";
import type { WebClient } from "./slack-surface.js";

/** Where a reply can go. `respond` is absent on App Home and in modals (no response_url there). */
export interface ReplyTarget {
  client: WebClient;
  userId: string;
  triggerId?: string;
  respond?: RespondFn;
}

export async function sendReply(reply: Reply, to: ReplyTarget): Promise<void> {
  switch (reply.kind) {
    case "message":
      return sendMessage(reply.view, to, reply.visibility);
    case "form":
      if (!to.triggerId) return sendMessage(notice("This form can only be opened from a command, a button or a shortcut."), to, "private");
      await to.client.views.open({ trigger_id: to.triggerId, view: renderModal(reply.form) });
      return;
    case "errors":
      return sendMessage(notice(Object.values(reply.errors).join(" ")), to, "private");
    case "done":
      return sendMessage(reply.view ?? notice("Done."), to, "private");
  }
}

/** Private answers are ephemeral (they never replace the message a button was on); without a response_url, a DM. */
export async function sendMessage(view: MessageView, to: ReplyTarget, visibility: "private" | "public"): Promise<void> {
  const rendered = renderMessage(view);
  if (to.respond) {
    await to.respond({ response_type: visibility === "public" ? "in_channel" : "ephemeral", replace_original: false, ...rendered });
    return;
  }
  await to.client.chat.postMessage({ channel: to.userId, ...rendered });
}
