// What /crm campaigns and /crm campaign show: each campaign with its channel, dates and counts (leads, opportunities,
// won revenue, cases), and the buttons managers get (new, edit, close, reopen).
import { formatMoney } from "./lead-card.js";
import { escapeMarkup, truncate, type Action, type Block, type Field, type MessageView } from "./view.js";

export const CAMPAIGN_BUTTONS = {
  create: "campaign.new",
  edit: "campaign.edit",
  close: "campaign.close",
  reopen: "campaign.reopen",
} as const;

/**
 * Slack allows 50 blocks per message: 25 campaigns of one block each, their Close buttons in rows of 5, and the rest.
 * The list offers Close on running and upcoming campaigns; an ended one is closed from its card.
 */
export const CAMPAIGNS_SHOWN = 25;

export interface CampaignItem {
  id: string;
  name: string;
  channel: { name: string; isActive: boolean } | null;
  startsOn: Date | null;
  endsOn: Date | null;
  status: "running" | "upcoming" | "ended" | "closed";
  counts: { leads: number; opportunities: number; won: number; wonRevenue: number; openCases: number; cases: number };
}

const day = (at: Date) => at.toISOString().slice(0, 10);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "2027-01-01 – 2027-03-31", "from 2027-01-01", "until 2027-03-31", "no dates". */
export function datesText(c: { startsOn: Date | null; endsOn: Date | null }): string {
  if (c.startsOn && c.endsOn) return `${day(c.startsOn)} – ${day(c.endsOn)}`;
  if (c.startsOn) return `from ${day(c.startsOn)}`;
  if (c.endsOn) return `until ${day(c.endsOn)}`;
  return "no dates";
}

export function statusText(c: Pick<CampaignItem, "status" | "startsOn" | "endsOn">): string {
  if (c.status === "upcoming" && c.startsOn) return `starts ${day(c.startsOn)}`;
  if (c.status === "ended" && c.endsOn) return `ended ${day(c.endsOn)}`;
  return c.status;
}

const channelText = (c: CampaignItem) => (c.channel ? `${escapeMarkup(c.channel.name)}${c.channel.isActive ? "" : " (off)"}` : "no channel");

function countsLine(k: CampaignItem["counts"]): string {
  const won = k.won ? ` (${k.won} won: ${formatMoney(k.wonRevenue)})` : " (none won)";
  return `${plural(k.leads, "lead")} · ${plural(k.opportunities, "opportunity", "opportunities")}${won} · cases ${k.openCases} open / ${k.cases}`;
}

export function campaignListView(list: { campaigns: CampaignItem[]; total: number }, opts: { canManage: boolean; prefix: string }): MessageView {
  const blocks: Block[] = [{ type: "header", text: "Campaigns" }];
  const create: Action = { id: CAMPAIGN_BUTTONS.create, label: "New campaign", value: "new", style: "primary", opensForm: true };
  if (!list.campaigns.length) {
    blocks.push({ type: "text", text: opts.canManage ? "No campaigns yet. Start one with New campaign." : "No campaigns yet. A manager can start one." });
    if (opts.canManage) blocks.push({ type: "actions", actions: [create] });
    return { text: "No campaigns yet.", blocks };
  }
  for (const c of list.campaigns) {
    blocks.push({ type: "text", text: `*${escapeMarkup(c.name)}* · ${statusText(c)} · ${channelText(c)} · ${datesText(c)}\n${countsLine(c.counts)}` });
  }
  const more = list.total - list.campaigns.length;
  const tail = more > 0 ? `…and ${more} more (older, ended or closed). ` : "";
  blocks.push({ type: "context", text: `${tail}Leads and opportunities merged into another are not counted. One campaign: \`${opts.prefix}campaign ${list.campaigns[0]!.name}\`.` });
  if (opts.canManage) {
    blocks.push({ type: "actions", actions: [create] });
    const closes: Action[] = list.campaigns.filter((c) => c.status === "running" || c.status === "upcoming").map((c) => ({ id: CAMPAIGN_BUTTONS.close, label: `Close ${truncate(c.name, 60)}`, value: c.id }));
    for (let i = 0; i < closes.length; i += 5) blocks.push({ type: "actions", actions: closes.slice(i, i + 5) });
  }
  const summary = list.campaigns.map((c) => `${c.name} (${statusText(c)}: ${c.counts.leads} leads, ${c.counts.opportunities} opportunities, ${c.counts.won} won, ${c.counts.cases} cases)`);
  return { text: `Campaigns: ${summary.join("; ")}${more > 0 ? `; …and ${more} more` : ""}`, blocks };
}

export function campaignCardView(c: CampaignItem & { byStage: { stage: string; count: number }[] }, opts: { canManage: boolean }): MessageView {
  const k = c.counts;
  const fields: Field[] = [
    { label: "Status", value: statusText(c) },
    { label: "Channel", value: channelText(c) },
    { label: "Dates", value: datesText(c) },
    { label: "Leads", value: String(k.leads) },
    { label: "Opportunities", value: String(k.opportunities) },
    { label: "Won", value: k.won ? `${k.won} · ${formatMoney(k.wonRevenue)}` : "none" },
    { label: "Cases", value: `${k.openCases} open / ${k.cases}` },
  ];
  const blocks: Block[] = [{ type: "header", text: truncate(`Campaign ${c.name}`, 150) }, { type: "fields", fields }];
  if (c.byStage.length) blocks.push({ type: "text", text: `*By stage:* ${c.byStage.map((s) => `${escapeMarkup(s.stage)} ${s.count}`).join(" · ")}` });
  blocks.push({ type: "context", text: "Counts leave out leads and opportunities merged into another. Dates are calendar days (UTC)." });
  if (opts.canManage) {
    const actions: Action[] = [{ id: CAMPAIGN_BUTTONS.edit, label: "Edit", value: c.id, opensForm: true }];
    if (c.status !== "closed") actions.push({ id: CAMPAIGN_BUTTONS.close, label: "Close", value: c.id, style: "danger" });
    else actions.push({ id: CAMPAIGN_BUTTONS.reopen, label: "Reopen", value: c.id });
    blocks.push({ type: "actions", actions });
  }
  return { text: `Campaign ${c.name} (${statusText(c)}): ${countsLine(k)}`, blocks };
}
