// The one place a failed Teams turn is caught: logged with a reference id, answered with a short apology.
import { randomBytes } from "node:crypto";
import { INVOKE_RESPONSE_KEY, type InvokeResponse, type TurnContext } from "botbuilder";
import type { Logger } from "../../log.js";
import { notice } from "../views/view.js";
import { renderMessageCard } from "./render-adaptive-card.js";
import { cardInvokeResponse, dialogMessage, messageActivity } from "./replies.js";

const DIALOG_INVOKES = new Set(["task/fetch", "task/submit", "composeExtension/fetchTask", "composeExtension/submitAction"]);

export function onTurnError(logger: Logger) {
  return async (ctx: TurnContext, error: Error): Promise<void> => {
    const reference = randomBytes(4).toString("hex");
    const { type, name } = ctx.activity;
    logger.error({ err: error, reference, activityType: type, name, conversationType: ctx.activity.conversation?.conversationType }, "Teams turn failed");
    const apology = `Sorry, something went wrong on Switchboard's side. Reference: ${reference}.`;
    if (type === "invoke") {
      // Never send messages in an invoke turn: Teams waits for the invoke's own answer.
      if (!ctx.turnState.get(INVOKE_RESPONSE_KEY)) ctx.turnState.set(INVOKE_RESPONSE_KEY, { type: "invokeResponse", value: invokeApology(name, apology) });
      return;
    }
    try {
      await ctx.sendActivity(messageActivity(notice(apology)));
    } catch (sendError) {
      logger.warn({ err: sendError, reference }, "could not tell the person about the failure");
    }
  };
}

function invokeApology(name: string | undefined, apology: string): InvokeResponse {
  if (name && DIALOG_INVOKES.has(name)) return { status: 200, body: dialogMessage(apology) };
  if (name === "adaptiveCard/action") return { status: 200, body: cardInvokeResponse(renderMessageCard(notice(apology))) };
  return { status: 500 };
}
