// `/crm channels`: where leads and cases come from, with their counts; admins add a channel and switch one on or off.
import { CHANNEL_BUTTONS, channelListView } from "../../bot/views/channel-views.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { addChannel, channelNames, findChannel, listChannels, switchChannel, type Switched } from "./channel-store.js";

export { CHANNEL_BUTTONS };

const DEFAULT_PREFIX = "/crm ";

/** "", "add Trade fair", "off Social", "on \"Trade fair\"". */
export async function runChannelsCommand(deps: Deps, who: Who, args: string, prefix = DEFAULT_PREFIX): Promise<Reply> {
  const viewing = policy.viewCampaigns(who.actor);
  if (!viewing.ok) return privateMessage(notice(viewing.reason));
  const text = args.trim();
  if (!text) return showChannels(deps, who, prefix);
  const change = /^(add|on|off)(?:\s+(.*))?$/i.exec(text);
  if (!change) return privateMessage(notice(`I don't know \`${prefix}channels ${text}\`.`, `Try \`${prefix}channels\`, \`${prefix}channels add Trade fair\`, \`${prefix}channels off Social\` or \`${prefix}channels on Social\`.`));
  const allowed = policy.manageChannels(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const verb = change[1]!.toLowerCase();
  const name = (change[2] ?? "").trim().replace(/^"(.*)"$/, "$1").trim();
  if (!name) return privateMessage(notice(`Say which channel, e.g. \`${prefix}channels ${verb} ${verb === "add" ? "Trade fair" : "Social"}\`.`));
  if (verb === "add") {
    const added = await addChannel(deps.db, who.actor.id, name);
    if (!added.ok) return privateMessage(notice(added.message));
    return privateMessage(notice(`Channel ${added.channel.name} added (code \`${added.channel.code}\`), switched on.`, "Lead and case forms offer it from now on."));
  }
  const channel = await findChannel(deps.db, name);
  if (!channel) return privateMessage(notice(`There is no channel named “${name}”.`, `Channels: ${(await channelNames(deps.db)).join(", ")}.`));
  return privateMessage(switchedNotice(await switchChannel(deps.db, who.actor.id, channel.id, verb === "on"), verb === "on"));
}

async function showChannels(deps: Deps, who: Who, prefix: string): Promise<Reply> {
  const list = await listChannels(deps.db);
  return privateMessage(channelListView(list, { canManage: policy.manageChannels(who.actor).ok, prefix }));
}

/** The Switch off / Switch on buttons of the list: a second click, or a stale list, is told the channel already is. */
export function switchChannelButton(isActive: boolean) {
  return async (deps: Deps, who: Who, channelId: string): Promise<Reply> => {
    const allowed = policy.manageChannels(who.actor);
    if (!allowed.ok) return privateMessage(notice(allowed.reason));
    return privateMessage(switchedNotice(await switchChannel(deps.db, who.actor.id, channelId, isActive), isActive));
  };
}

export function switchedNotice(outcome: Switched, isActive: boolean) {
  if (outcome.kind === "missing") return notice("That channel no longer exists.");
  const name = outcome.channel.name;
  if (outcome.kind === "already") return notice(`Channel ${name} is already switched ${isActive ? "on" : "off"}.`);
  return isActive
    ? notice(`Channel ${name} switched on.`, "Lead and case forms offer it again.")
    : notice(`Channel ${name} switched off.`, "Records that have it keep it and still count for it; lead and case forms no longer offer it.");
}
