// The message action "Log call from message" (composeExtension/fetchTask and /submitAction) on any chat message.
import type { MessagingExtensionActionResponse, TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { formFromMessage } from "../../dispatch.js";
import { MEETING_IMPORT_FROM_MESSAGE } from "../../views/calendar-feed.js";
import { messageActionValue } from "../activity-parts.js";
import { messageAttachments, teamsFileRefs, teamsFileSource } from "../files.js";
import { htmlToText } from "../html-to-text.js";
import { admissionOf } from "../identity.js";
import { readCardSubmission } from "../read-card-values.js";
import { dialogMessage } from "../replies.js";
import { dialogFor, postResult, submitDialog } from "./dialog.js";

export async function onMessageActionFetch(deps: Deps, ctx: TurnContext): Promise<MessagingExtensionActionResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return dialogMessage(admission.view.text);
  const parsed = messageActionValue.safeParse(ctx.activity.value);
  if (!parsed.success) return dialogMessage("Teams sent an action Switchboard cannot read.");
  const { commandId, messagePayload } = parsed.data;
  const body = messagePayload?.body;
  const text = body?.content ? (body.contentType === "text" ? body.content : htmlToText(body.content)) : "";
  const link = messagePayload?.linkToMessage;
  const files = commandId === "claim.from-message" || commandId === MEETING_IMPORT_FROM_MESSAGE ? teamsFileRefs(messageAttachments.safeParse(messagePayload?.attachments).data) : undefined;
  const reply = await formFromMessage(deps, admission.who, commandId, { text, link, files });
  return dialogFor(reply, admission.who, { kind: "message", shortcut: commandId, link });
}

/** `{}` closes the dialog; the result card is posted where the message was (if the app is in that chat). */
export async function onMessageActionSubmit(deps: Deps, ctx: TurnContext): Promise<MessagingExtensionActionResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return dialogMessage(admission.view.text);
  const submission = readCardSubmission(messageActionValue.safeParse(ctx.activity.value).data?.data);
  if (!submission) return dialogMessage("That form is no longer supported. Open it again.");
  const outcome = await submitDialog(deps, admission.who, submission, teamsFileSource(ctx, deps.logger));
  if (!outcome.post) return outcome.response;
  // Message actions work in chats the bot is not part of; posting there does not (403).
  if (await postResult(deps, ctx, outcome.post)) return {};
  return dialogMessage(`${outcome.post.summary ?? "Saved."} (Add Switchboard to this chat to see cards here.)`);
}
