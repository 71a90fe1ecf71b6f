// The New campaign and Edit campaign forms: managers name a campaign, choose its channel and its first and last day.
import { CAMPAIGN_FORM_ID, campaignForm } from "../../bot/views/campaign-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { campaignStatus, checkCampaignDates, dayText } from "../../domain/campaigns.js";
import { findCampaignById, saveCampaign, type CampaignRow } from "./campaign-store.js";
import { channelChoices, checkChannelChoice } from "./channel-choices.js";

export { CAMPAIGN_FORM_ID };

export async function openNewCampaignForm(deps: Deps, who: Who): Promise<Reply> {
  const allowed = policy.manageCampaigns(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const { channels } = await channelChoices(deps.db, deps.now());
  return openForm(campaignForm(channels, {}, {}));
}

/** The card's Edit button: the form opens on the campaign as it is now, its channel offered even if since switched off. */
export async function openEditCampaignForm(deps: Deps, who: Who, campaignId: string): Promise<Reply> {
  const allowed = policy.manageCampaigns(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const campaign = await findCampaignById(deps.db, campaignId);
  if (!campaign) return privateMessage(notice("That campaign no longer exists."));
  const { channels } = await channelChoices(deps.db, deps.now(), { channelId: campaign.channelId });
  return openForm(campaignForm(channels, campaign, { campaignId: campaign.id }));
}

export async function submitCampaignForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const allowed = policy.manageCampaigns(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const form = parseForm(campaignForm([], {}, context, { forSubmit: true }), values);
  if (!form.ok) return { kind: "errors", errors: form.errors };
  const existing = context.campaignId ? await findCampaignById(deps.db, context.campaignId) : undefined;
  if (existing === null) return { kind: "errors", errors: { name: "This campaign was deleted since you opened the form." } };
  const dates = checkCampaignDates(form.value);
  // A forged or since switched-off channel is refused; the campaign's own channel stays allowed on Edit.
  const channel = await checkChannelChoice(deps.db, deps.now(), { channel: form.value.channel }, { channelId: existing?.channelId });
  const errors = { ...(dates.ok ? {} : dates.errors), ...(channel.ok ? {} : channel.errors) };
  if (!dates.ok || !channel.ok) return { kind: "errors", errors };
  const saved = await saveCampaign(deps.db, who.actor.id, { name: form.value.name, channelId: channel.channelId, startsOn: dates.startsOn, endsOn: dates.endsOn }, existing?.id);
  if (!saved.ok) return { kind: "errors", errors: saved.isMissing ? { name: "This campaign was deleted since you opened the form." } : saved.errors };
  return { kind: "done", view: savedNotice(saved.campaign, saved.isNew, deps.now()) };
}

function savedNotice(c: CampaignRow, isNew: boolean, now: Date) {
  const status = campaignStatus(c, now);
  const offered =
    status === "running" ? "Lead and case forms offer it from now on." : status === "upcoming" ? `Lead and case forms offer it from ${dayText(c.startsOn!)}.` : "It is not running, so forms do not offer it.";
  return notice(`Campaign ${c.name} ${isNew ? "created" : "saved"}${c.channel ? ` (channel ${c.channel.name})` : ""}. ${offered}`, `See its counts with /crm campaign ${c.name}.`);
}
