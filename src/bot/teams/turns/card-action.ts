// A button pressed on a card (Action.Execute → `adaptiveCard/action`): run the intent, then answer the way Slack would.
// Public answers replace the card for everyone. Private answers (a refusal, "already assigned", a stale card,
// the clicker's own view of the change) are for the clicker alone: in a channel or group chat a short notice is a
// toast and a card replaces the clicker's view only; the shared card is brought up to date by the outbox.
// In a personal chat there is nobody else, so the card is replaced in place (it then survives a reload).
import { CardFactory, type AdaptiveCardInvokeResponse, type TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { runAction } from "../../dispatch.js";
import { notice, type MessageView, type Reply } from "../../views/view.js";
import { cardActionValue } from "../activity-parts.js";
import { admissionOf } from "../identity.js";
import { renderMessageCard, type AdaptiveCard } from "../render-adaptive-card.js";
import { renderOpenFormCard } from "../render-form-card.js";
import { cardInvokeResponse, errorsNotice, toastInvokeResponse } from "../replies.js";

export async function onCardAction(deps: Deps, ctx: TurnContext): Promise<AdaptiveCardInvokeResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return toastInvokeResponse(admission.view.text);
  const parsed = cardActionValue.safeParse(ctx.activity.value);
  if (!parsed.success) return toastInvokeResponse("That button is no longer supported. Run the command again.");
  const { verb, data } = parsed.data.action;
  const value = data?.value ?? "";
  const reply = await runAction(deps, admission.who, verb, value);
  if (reply.kind === "form") return cardInvokeResponse(renderOpenFormCard(reply.form, { kind: "action", verb, value }));
  const view = viewOf(reply);
  const isPublic = reply.kind === "message" && reply.visibility === "public";
  const isPersonal = ctx.activity.conversation?.conversationType === "personal";
  if (!isPublic && !isPersonal && !hasButtons(view)) return toastInvokeResponse(view.text);
  const c = renderMessageCard(view);
  // The invoke response replaces the card for the person who clicked; the update, for everyone else.
  if (isPublic || isPersonal) await updateForEveryone(deps, ctx, c, view.text);
  return cardInvokeResponse(c);
}

function viewOf(reply: Exclude<Reply, { kind: "form" }>): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "errors") return errorsNotice(reply.errors);
  return reply.view ?? notice("Done.");
}

/** A notice with no buttons is said in a toast, so the card the person clicked keeps its buttons. */
function hasButtons(view: MessageView): boolean {
  return view.blocks.some((b) => b.type === "actions" && b.actions.length > 0);
}

async function updateForEveryone(deps: Deps, ctx: TurnContext, c: AdaptiveCard, summary: string): Promise<void> {
  const id = ctx.activity.replyToId;
  if (!id) return;
  try {
    await ctx.updateActivity({ id, type: "message", summary: summary.slice(0, 500), attachments: [CardFactory.adaptiveCard(c)] });
  } catch (error) {
    deps.logger.warn({ err: error }, "could not update the Teams card in place; the person who clicked still sees the new card");
  }
}
