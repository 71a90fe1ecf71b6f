// `admin campaign list|add|close|reopen`: marketing campaigns (Odoo's utm.campaign) from the command line and /crm admin,
// with the same checks as the chat form (name free in any case, real days in order, a switched-on channel).
import { z } from "zod";
import { campaignListView } from "../../bot/views/campaign-views.js";
import { CAMPAIGN_NAME_MAX } from "../../bot/views/campaign-forms.js";
import { notice } from "../../bot/views/view.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { checkCampaignDates, dayText } from "../../domain/campaigns.js";
import { campaignNames, closeCampaign, findCampaignByName, listCampaigns, reopenCampaign, saveCampaign } from "../channels/campaign-store.js";
import { channelNames, findChannel } from "../channels/channel-store.js";
import { defineCommand, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";

/** The command line lists them all; chat shows as many as a message holds. */
const LISTED = 500;

const nameArg = z
  .string({ error: 'say which campaign, e.g. campaign add "Spring promo"' })
  .trim()
  .min(1, { error: "the campaign name cannot be empty" })
  .max(CAMPAIGN_NAME_MAX, { error: `a campaign name has at most ${CAMPAIGN_NAME_MAX} characters` });
const addSchema = z.object({ name: nameArg, channel: z.string().trim().min(1).optional(), starts: z.string().trim().optional(), ends: z.string().trim().optional() });
const closeSchema = z.object({ name: nameArg });
const positional = { name: "name", flag: "name", help: "the campaign's name", isRequired: true } as const;
const json = { name: "json", help: "Print the result as JSON", isCliOnly: true };

export const campaignListCommand = defineCommand({
  path: "campaign list",
  isNounDefault: true,
  summary: "List the campaigns (running first) with their leads, opportunities, won revenue and cases",
  flags: [json],
  examples: ["campaign list"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor, _input: unknown, ctx: AdminContext): Promise<AdminResult> => {
    const allowed = policy.viewCampaigns(actor);
    if (!allowed.ok) return refuse(allowed.reason);
    const list = await listCampaigns(deps.db, deps.now(), ctx.surface === "cli" ? LISTED : 25);
    const data = list.campaigns.map((c) => ({
      name: c.name,
      status: c.status,
      channel: c.channel?.name ?? null,
      startsOn: c.startsOn ? dayText(c.startsOn) : null,
      endsOn: c.endsOn ? dayText(c.endsOn) : null,
      ...c.counts,
    }));
    return { ok: true, view: campaignListView(list, { canManage: ctx.surface === "chat" && policy.manageCampaigns(actor).ok, prefix: "/crm " }), data };
  },
});

export const campaignAddCommand = defineCommand({
  path: "campaign add",
  summary: "Start a campaign, optionally on a channel and between two days (calendar days, UTC)",
  positional,
  flags: [
    { name: "channel", value: "name", help: "The channel it runs on (name or code, switched on), e.g. email" },
    { name: "starts", value: "YYYY-MM-DD", help: "Its first day (empty: from now)" },
    { name: "ends", value: "YYYY-MM-DD", help: "Its last day (empty: until closed)" },
    json,
  ],
  examples: ['campaign add "Spring promo" --channel email --starts 2027-01-01 --ends 2027-03-31', 'campaign add "Referral drive"'],
  schema: addSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof addSchema>): Promise<AdminResult> => {
    const allowed = policy.manageCampaigns(actor);
    if (!allowed.ok) return refuse(allowed.reason);
    const dates = checkCampaignDates({ startsOn: input.starts, endsOn: input.ends });
    if (!dates.ok) return refuse([dates.errors.startsOn && `--starts: ${dates.errors.startsOn}`, dates.errors.endsOn && `--ends: ${dates.errors.endsOn}`].filter(Boolean).join("; "));
    let channelId: string | null = null;
    if (input.channel !== undefined) {
      const channel = await findChannel(deps.db, input.channel);
      if (!channel) return refuse(`--channel: there is no channel named ${input.channel} (channels: ${(await channelNames(deps.db)).join(", ")})`);
      if (!channel.isActive) return refuse(`--channel: the channel ${channel.name} is switched off (switch it on with channel on ${quoted(channel.name)})`);
      channelId = channel.id;
    }
    const saved = await saveCampaign(deps.db, actor.id, { name: input.name, channelId, startsOn: dates.startsOn, endsOn: dates.endsOn });
    if (!saved.ok) return refuse(saved.errors.name ?? "the campaign could not be saved");
    const c = saved.campaign;
    const text = `Campaign ${c.name} created${c.channel ? ` on ${c.channel.name}` : ""}${c.startsOn ? `, from ${dayText(c.startsOn)}` : ""}${c.endsOn ? ` to ${dayText(c.endsOn)}` : ""}.`;
    return { ok: true, view: notice(text), data: { name: c.name, channel: c.channel?.name ?? null, startsOn: c.startsOn ? dayText(c.startsOn) : null, endsOn: c.endsOn ? dayText(c.endsOn) : null } };
  },
});

/** A campaign named on the command line, or the refusal naming the ones there are. */
async function namedCampaign(deps: Deps, actor: Actor, name: string): Promise<{ ok: true; id: string; name: string } | { ok: false; result: AdminResult }> {
  const allowed = policy.manageCampaigns(actor);
  if (!allowed.ok) return { ok: false, result: refuse(allowed.reason) };
  const campaign = await findCampaignByName(deps.db, name);
  if (!campaign) return { ok: false, result: refuse(`there is no campaign named ${name} (campaigns: ${(await campaignNames(deps.db)).slice(0, 20).join(", ") || "none"})`) };
  return { ok: true, id: campaign.id, name: campaign.name };
}

export const campaignCloseCommand = defineCommand({
  path: "campaign close",
  summary: "Close a campaign: its records keep it and count for it, forms stop offering it",
  positional,
  flags: [json],
  examples: ['campaign close "Spring promo"'],
  schema: closeSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof closeSchema>): Promise<AdminResult> => {
    const campaign = await namedCampaign(deps, actor, input.name);
    if (!campaign.ok) return campaign.result;
    const outcome = await closeCampaign(deps.db, actor.id, campaign.id);
    if (outcome.kind === "missing") return refuse(`the campaign ${campaign.name} was just deleted`);
    if (outcome.kind === "already closed") return refuse(`the campaign ${campaign.name} is already closed`);
    return { ok: true, view: notice(`Campaign ${campaign.name} closed: its records keep it, forms no longer offer it.`), data: { name: campaign.name, isActive: false } };
  },
});

export const campaignReopenCommand = defineCommand({
  path: "campaign reopen",
  summary: "Reopen a closed campaign: forms offer it again while its dates say it runs",
  positional,
  flags: [json],
  examples: ['campaign reopen "Spring promo"'],
  schema: closeSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof closeSchema>): Promise<AdminResult> => {
    const campaign = await namedCampaign(deps, actor, input.name);
    if (!campaign.ok) return campaign.result;
    const outcome = await reopenCampaign(deps.db, actor.id, campaign.id);
    if (outcome.kind === "missing") return refuse(`the campaign ${campaign.name} was just deleted`);
    if (outcome.kind === "already open") return refuse(`the campaign ${campaign.name} is not closed`);
    return { ok: true, view: notice(`Campaign ${campaign.name} reopened.`), data: { name: campaign.name, isActive: true } };
  },
});
