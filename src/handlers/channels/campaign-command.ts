// `/crm campaigns` and `/crm campaign <name>`: counting leads, opportunities, won revenue and cases by campaign
// (Odoo's utm.campaign report), and the Close button managers get.
import { CAMPAIGN_BUTTONS, CAMPAIGNS_SHOWN, campaignCardView, campaignListView } from "../../bot/views/campaign-views.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { closestMatch } from "../../domain/admin-rules.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { campaignStatus } from "../../domain/campaigns.js";
import { campaignNames, campaignSummary, closeCampaign, findCampaignByName, leadsByStage, listCampaigns, reopenCampaign, type CampaignRow } from "./campaign-store.js";

export { CAMPAIGN_BUTTONS };

const DEFAULT_PREFIX = "/crm ";

export async function showCampaigns(deps: Deps, who: Who, prefix = DEFAULT_PREFIX): Promise<Reply> {
  const viewing = policy.viewCampaigns(who.actor);
  if (!viewing.ok) return privateMessage(notice(viewing.reason));
  const list = await listCampaigns(deps.db, deps.now(), CAMPAIGNS_SHOWN);
  return privateMessage(campaignListView(list, { canManage: policy.manageCampaigns(who.actor).ok, prefix }));
}

/** `/crm campaign Spring promo` (quotes allowed); no name: the list. */
export async function showCampaignByName(deps: Deps, who: Who, args: string, prefix = DEFAULT_PREFIX): Promise<Reply> {
  const viewing = policy.viewCampaigns(who.actor);
  if (!viewing.ok) return privateMessage(notice(viewing.reason));
  const name = args.trim().replace(/^"(.*)"$/, "$1").trim();
  if (!name) return showCampaigns(deps, who, prefix);
  const campaign = await findCampaignByName(deps.db, name);
  if (!campaign) return privateMessage(await unknownCampaign(deps, name, prefix));
  return privateMessage(await campaignCard(deps, who, campaign));
}

async function campaignCard(deps: Deps, who: Who, campaign: CampaignRow) {
  const [summary, byStage] = await Promise.all([campaignSummary(deps.db, campaign, deps.now()), leadsByStage(deps.db, campaign.id)]);
  return campaignCardView({ ...summary, byStage }, { canManage: policy.manageCampaigns(who.actor).ok });
}

/** Names that contain what was typed, or are a typo away from it; else the newest few. */
async function unknownCampaign(deps: Deps, typed: string, prefix: string) {
  const names = await campaignNames(deps.db);
  if (!names.length) return notice(`There is no campaign named “${typed}”.`, "There are no campaigns yet.");
  const lower = typed.toLowerCase();
  const near = closestMatch(typed, names);
  const close = [...new Set([...(near ? [near] : []), ...names.filter((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase()))])].slice(0, 5);
  const hint = close.length ? `Did you mean ${close.map((n) => `“${n}”`).join(", ")}?` : `Campaigns: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}.`;
  return notice(`There is no campaign named “${typed}”.`, `${hint} See them all with \`${prefix}campaigns\`.`);
}

/** The Close button (list and card): a closed campaign stays on its records, but forms stop offering it. */
export async function closeCampaignButton(deps: Deps, who: Who, campaignId: string): Promise<Reply> {
  const allowed = policy.manageCampaigns(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const outcome = await closeCampaign(deps.db, who.actor.id, campaignId);
  if (outcome.kind === "missing") return privateMessage(notice("That campaign no longer exists."));
  if (outcome.kind === "already closed") return privateMessage(notice(`Campaign ${outcome.campaign.name} is already closed.`));
  return privateMessage(notice(`Campaign ${outcome.campaign.name} closed.`, "Its leads, opportunities and cases keep it and still count for it; lead and case forms no longer offer it."));
}

/** Reopen on a closed campaign's card: forms offer it again as long as its dates say it runs. */
export async function reopenCampaignButton(deps: Deps, who: Who, campaignId: string): Promise<Reply> {
  const allowed = policy.manageCampaigns(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const outcome = await reopenCampaign(deps.db, who.actor.id, campaignId);
  if (outcome.kind === "missing") return privateMessage(notice("That campaign no longer exists."));
  if (outcome.kind === "already open") return privateMessage(notice(`Campaign ${outcome.campaign.name} is already open.`));
  const status = campaignStatus(outcome.campaign, deps.now());
  const when = status === "running" ? "Lead and case forms offer it again." : status === "upcoming" ? "Lead and case forms will offer it from its first day." : "Its last day is past, so forms still do not offer it: change its dates with Edit.";
  return privateMessage(notice(`Campaign ${outcome.campaign.name} reopened.`, when));
}
