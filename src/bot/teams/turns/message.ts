// A typed message (or an @mention in a channel): the same command grammar as Slack's /crm.
import { TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { runCommand } from "../../dispatch.js";
import { notice } from "../../views/view.js";
import { admissionOf } from "../identity.js";
import { messageActivity, replyActivity } from "../replies.js";
import { TEAMS_SURFACE } from "../reopen-form.js";

export async function onMessage(deps: Deps, ctx: TurnContext): Promise<void> {
  const admission = admissionOf(ctx);
  if (!admission.ok) {
    await ctx.sendActivity(messageActivity(admission.view));
    return;
  }
  const text = commandText(ctx);
  // Action.Submit clicks arrive as messages with a value and no text; our cards use Execute and task/fetch.
  if (!text && ctx.activity.value !== undefined) {
    await ctx.sendActivity(messageActivity(notice("That button is no longer supported. Run the command again.")));
    return;
  }
  const reply = await runCommand(deps, admission.who, text, TEAMS_SURFACE);
  const activity = replyActivity(reply, { kind: "command", text });
  if (activity) await ctx.sendActivity(activity);
}

/** The text without the bot's @mention (channels) and the HTML spaces Teams leaves around it. */
function commandText(ctx: TurnContext): string {
  const text = TurnContext.removeRecipientMention(ctx.activity) ?? ctx.activity.text ?? "";
  return text.replace(/<at>[^<]*<\/at>/g, "").replace(/&nbsp;/g, " ").trim();
}
