// Dialogs (task modules): open a form from a button (task/fetch), submit it (task/submit) with errors or a result.
import type { TaskModuleResponse, TurnContext } from "botbuilder";
import type { FileSource } from "../../../handlers/claims/attachments.js";
import type { Deps } from "../../../handlers/deps.js";
import { submitForm, type Who } from "../../dispatch.js";
import type { Reply } from "../../views/view.js";
import { opener, taskModuleValue, type Opener } from "../activity-parts.js";
import { admissionOf } from "../identity.js";
import { readCardSubmission, type CardSubmission } from "../read-card-values.js";
import { dialogMessage, dialogResponse, messageActivity } from "../replies.js";
import { refillForm, replyForOpener } from "../reopen-form.js";

const STALE = "That form is no longer supported. Open it again.";

export async function onDialogFetch(deps: Deps, ctx: TurnContext): Promise<TaskModuleResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return dialogMessage(admission.view.text);
  const from = opener.safeParse(taskModuleValue.safeParse(ctx.activity.value).data?.data?.opener);
  if (!from.success) return dialogMessage("That button is no longer supported. Run the command again.");
  return dialogFor(await replyForOpener(deps, admission.who, from.data), admission.who, from.data);
}

export async function onDialogSubmit(deps: Deps, ctx: TurnContext): Promise<TaskModuleResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return dialogMessage(admission.view.text);
  const submission = readCardSubmission(taskModuleValue.safeParse(ctx.activity.value).data?.data);
  if (!submission) return dialogMessage(STALE);
  const outcome = await submitDialog(deps, admission.who, submission);
  if (outcome.post) await postResult(deps, ctx, outcome.post);
  return outcome.response;
}

/** The record is saved whatever happens here; a card that cannot be posted is logged, not an error for the person. */
export async function postResult(deps: Deps, ctx: TurnContext, activity: NonNullable<SubmitOutcome["post"]>): Promise<boolean> {
  try {
    await ctx.sendActivity(activity);
    return true;
  } catch (error) {
    deps.logger.warn({ err: error, conversationType: ctx.activity.conversation?.conversationType }, "saved, but could not post the card into the conversation");
    return false;
  }
}

/** A form opens (or stays open) in the dialog; anything else is a short text that closes it. */
export function dialogFor(reply: Reply, who: Who, from: Opener): TaskModuleResponse {
  if (reply.kind === "form") return dialogResponse(reply.form, who.user.timeZone, from);
  if (reply.kind === "message") return dialogMessage(reply.view.text);
  if (reply.kind === "done") return dialogMessage(reply.view?.text ?? "Done.");
  return dialogMessage(Object.values(reply.errors).join(" "));
}

export interface SubmitOutcome {
  /** The dialog's answer: the form again with errors, or a short text that closes it. */
  response: TaskModuleResponse;
  /** The result card to post into the conversation, when there is one. */
  post?: ReturnType<typeof messageActivity>;
}

/** Shared by dialogs from cards and from the message action: both submit the same `{fieldId: value}` map. */
export async function submitDialog(deps: Deps, who: Who, submission: CardSubmission, files?: FileSource): Promise<SubmitOutcome> {
  const reply = await submitForm(deps, who, submission.formId, submission.values, submission.context, files);
  switch (reply.kind) {
    case "errors": {
      const form = await refillForm(deps, who, submission, reply.errors);
      return { response: form ? dialogResponse(form, who.user.timeZone, submission.opener) : dialogMessage(Object.values(reply.errors).join(" ")) };
    }
    case "done":
      return reply.view ? { response: dialogMessage(reply.view.text), post: messageActivity(reply.view) } : { response: dialogMessage("Saved.") };
    case "form":
      return { response: dialogResponse(reply.form, who.user.timeZone, submission.opener) };
    case "message":
      return { response: dialogMessage(reply.view.text) };
  }
}
