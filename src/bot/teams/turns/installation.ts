// The app added to (or removed from) a personal chat, a group chat or a team.
import type { TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { homeView } from "../../dispatch.js";
import { forgetConversation } from "../conversation-store.js";
import { admissionOf } from "../identity.js";
import { messageActivity } from "../replies.js";

/** The reference is stored already (every admitted activity); a personal install gets the welcome "home" card. */
export async function onInstalled(deps: Deps, ctx: TurnContext): Promise<void> {
  const admission = admissionOf(ctx);
  if (!admission.ok) {
    await ctx.sendActivity(messageActivity(admission.view));
    return;
  }
  // Not on "add-upgrade": a new version of the app is no reason to say hello again.
  if (ctx.activity.action !== "add" || ctx.activity.conversation?.conversationType !== "personal") return;
  const home = await homeView(deps, admission.who);
  await ctx.sendActivity(messageActivity({ ...home, blocks: [...home.blocks, { type: "context", text: "Type `help` to see what Switchboard can do." }] }));
}

export async function onUninstalled(deps: Deps, ctx: TurnContext): Promise<void> {
  const id = ctx.activity.conversation?.id;
  if (id) await forgetConversation(deps, id);
}
