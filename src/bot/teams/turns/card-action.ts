// A button pressed on a card (Action.Execute → `adaptiveCard/action`): run the intent, replace the card for everyone.
import { CardFactory, type AdaptiveCardInvokeResponse, type TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { runAction } from "../../dispatch.js";
import { notice, type MessageView, type Reply } from "../../views/view.js";
import { cardActionValue } from "../activity-parts.js";
import { admissionOf } from "../identity.js";
import { renderMessageCard, type AdaptiveCard } from "../render-adaptive-card.js";
import { renderOpenFormCard } from "../render-form-card.js";
import { cardInvokeResponse, errorsNotice } from "../replies.js";

export async function onCardAction(deps: Deps, ctx: TurnContext): Promise<AdaptiveCardInvokeResponse> {
  const admission = admissionOf(ctx);
  if (!admission.ok) return cardInvokeResponse(renderMessageCard(admission.view));
  const parsed = cardActionValue.safeParse(ctx.activity.value);
  if (!parsed.success) return cardInvokeResponse(renderMessageCard(notice("That button is no longer supported. Run the command again.")));
  const { verb, data } = parsed.data.action;
  const value = data?.value ?? "";
  const reply = await runAction(deps, admission.who, verb, value);
  if (reply.kind === "form") return cardInvokeResponse(renderOpenFormCard(reply.form, { kind: "action", verb, value }));
  const c = renderMessageCard(viewOf(reply));
  // The invoke response replaces the card for the person who clicked; the update, for everyone else.
  await updateForEveryone(deps, ctx, c, viewOf(reply).text);
  return cardInvokeResponse(c);
}

function viewOf(reply: Exclude<Reply, { kind: "form" }>): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "errors") return errorsNotice(reply.errors);
  return reply.view ?? notice("Done.");
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
