// Replies as Teams shapes: message activities with a card, card invoke responses, dialog (task module) responses.
import { CardFactory, type Activity, type AdaptiveCardInvokeResponse, type TaskModuleResponse } from "botbuilder";
import { notice, type Form, type MessageView, type Reply } from "../views/view.js";
import type { Opener } from "./activity-parts.js";
import { CARD_CONTENT_TYPE, renderMessageCard, type AdaptiveCard } from "./render-adaptive-card.js";
import { renderFormCard, renderOpenFormCard } from "./render-form-card.js";

/**
 * The card carries the text as `fallbackText` and the activity as `summary` (notifications, clients
 * without cards). Not as `text`: Teams would show it above the card, saying everything twice.
 */
export function cardActivity(c: AdaptiveCard, summary: string): Partial<Activity> {
  return { type: "message", summary: summary.slice(0, 500), attachments: [CardFactory.adaptiveCard(c)] };
}

export function messageActivity(view: MessageView): Partial<Activity> {
  return cardActivity(renderMessageCard(view), view.text);
}

/** What a reply shows in a conversation; a form becomes a card with a button that opens it. */
export function replyActivity(reply: Reply, from: Opener): Partial<Activity> | undefined {
  switch (reply.kind) {
    case "message":
      return messageActivity(reply.view);
    case "form":
      return cardActivity(renderOpenFormCard(reply.form, from), reply.form.title);
    case "done":
      return reply.view && messageActivity(reply.view);
    case "errors":
      return messageActivity(errorsNotice(reply.errors));
  }
}

export function errorsNotice(errors: Record<string, string>): MessageView {
  return notice(Object.values(errors).join(" "));
}

export function cardInvokeResponse(c: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: c as unknown as Record<string, unknown> };
}

/** A short text shown to the clicker alone; the card they clicked stays as it was. */
export function toastInvokeResponse(text: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: "application/vnd.microsoft.activity.message", value: text.slice(0, 500) as unknown as Record<string, unknown> };
}

export function dialogResponse(form: Form, timeZone: string, from?: Opener): TaskModuleResponse {
  return { task: { type: "continue", value: { title: form.title, width: "medium", card: CardFactory.adaptiveCard(renderFormCard(form, timeZone, from)) } } };
}

/** Closes the dialog (or answers the button) with a short text. */
export function dialogMessage(text: string): TaskModuleResponse {
  return { task: { type: "message", value: text.slice(0, 500) } };
}
