// `admin channel list|add|on|off`: the channels leads and cases come from (Odoo's utm.medium), from the command line
// and /crm admin, with the same checks as /crm channels.
import { z } from "zod";
import { channelListView } from "../../bot/views/channel-views.js";
import { notice } from "../../bot/views/view.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { switchedNotice } from "../channels/channel-command.js";
import { addChannel, channelNames, findChannel, listChannels, switchChannel } from "../channels/channel-store.js";
import { defineCommand, refuse, type AdminContext, type AdminResult } from "./command.js";

const nameSchema = z.object({
  name: z.string({ error: "say which channel, e.g. channel add \"Trade fair\"" }).trim().min(1, { error: "the channel name cannot be empty" }),
});
const positional = { name: "name", flag: "name", help: "the channel's name (or its code)", isRequired: true } as const;
const json = { name: "json", help: "Print the result as JSON", isCliOnly: true };

async function switchTo(deps: Deps, actor: Actor, name: string, isActive: boolean): Promise<AdminResult> {
  const allowed = policy.manageChannels(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const channel = await findChannel(deps.db, name);
  if (!channel) return refuse(`there is no channel named ${name} (channels: ${(await channelNames(deps.db)).join(", ") || "none"})`);
  const outcome = await switchChannel(deps.db, actor.id, channel.id, isActive);
  return { ok: true, view: switchedNotice(outcome, isActive), data: { code: channel.code, name: channel.name, isActive, changed: outcome.kind === "switched" } };
}

export const channelListCommand = defineCommand({
  path: "channel list",
  isNounDefault: true,
  summary: "List the channels (on or off) with their leads, opportunities and cases",
  flags: [json],
  examples: ["channel list"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor, _input: unknown, ctx: AdminContext): Promise<AdminResult> => {
    const allowed = policy.viewCampaigns(actor);
    if (!allowed.ok) return refuse(allowed.reason);
    const list = await listChannels(deps.db);
    const data = list.channels.map((c) => ({ code: c.code, name: c.name, isActive: c.isActive, ...c.counts }));
    return { ok: true, view: channelListView(list, { canManage: ctx.surface === "chat" && policy.manageChannels(actor).ok, prefix: "/crm " }), data };
  },
});

export const channelAddCommand = defineCommand({
  path: "channel add",
  summary: "Add a channel, switched on; its code is the name in lower case with dashes (Trade fair → trade-fair)",
  positional,
  flags: [json],
  examples: ['channel add "Trade fair"', "channel add Newsletter"],
  schema: nameSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof nameSchema>): Promise<AdminResult> => {
    const allowed = policy.manageChannels(actor);
    if (!allowed.ok) return refuse(allowed.reason);
    const added = await addChannel(deps.db, actor.id, input.name);
    if (!added.ok) return refuse(added.message);
    return { ok: true, view: notice(`Channel ${added.channel.name} added (code ${added.channel.code}), switched on.`), data: { code: added.channel.code, name: added.channel.name, isActive: true } };
  },
});

export const channelOnCommand = defineCommand({
  path: "channel on",
  summary: "Switch a channel on: lead and case forms offer it again",
  positional,
  flags: [json],
  examples: ["channel on Social"],
  schema: nameSchema,
  run: (deps: Deps, actor: Actor, input: z.output<typeof nameSchema>) => switchTo(deps, actor, input.name, true),
});

export const channelOffCommand = defineCommand({
  path: "channel off",
  summary: "Switch a channel off: records that have it keep it, forms stop offering it",
  positional,
  flags: [json],
  examples: ["channel off Social"],
  schema: nameSchema,
  run: (deps: Deps, actor: Actor, input: z.output<typeof nameSchema>) => switchTo(deps, actor, input.name, false),
});
