// Channels and campaigns as form choices, and the check of a submitted choice. Every form that sets them (lead and case
// forms, their Edit forms) goes through here, so a switched-off channel or an ended campaign is refused the same way.
import type { Tx } from "../../db/outbox.js";
import { dayText, startOfUtcDay } from "../../domain/campaigns.js";
import { isUuid } from "../button-value.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;
type Option = { value: string; label: string };

/** The codes the code itself sets (a lead from an email, a case from a call…); seeded by the migration. */
export type ChannelCode = "direct" | "email" | "phone" | "web" | "referral" | "chat" | "meeting" | "social";

const CODE_NAMES: Record<ChannelCode, string> = { direct: "Direct", email: "Email", phone: "Phone", web: "Web", referral: "Referral", chat: "Chat", meeting: "Meeting", social: "Social" };

/**
 * The id of the channel with this code. The migration seeds them; one an admin deleted by hand is created again
 * (switched on) rather than failing the lead or case being stored.
 */
export async function channelIdByCode(db: Reader, code: ChannelCode): Promise<string> {
  const found = await db.channel.findUnique({ where: { code }, select: { id: true } });
  if (found) return found.id;
  const name = CODE_NAMES[code];
  const taken = await db.channel.findUnique({ where: { name }, select: { id: true } });
  return (await db.channel.upsert({ where: { code }, create: { code, name: taken ? `${name} (${code})` : name }, update: {}, select: { id: true } })).id;
}

export interface ChannelChoices {
  channels: Option[];
  campaigns: Option[];
}

/**
 * The switched-on channels, and the campaigns running on `today` (switched on, started, not ended), newest first;
 * `keep` adds the record's current ones even when they are off, so an Edit form can show what is set.
 */
export async function channelChoices(db: Reader, today: Date, keep: { channelId?: string | null; campaignId?: string | null } = {}): Promise<ChannelChoices> {
  const day = startOfUtcDay(today);
  // One after the other: `db` may be a transaction, whose queries share one connection.
  const channels = await db.channel.findMany({ where: { OR: [{ isActive: true }, ...(keep.channelId ? [{ id: keep.channelId }] : [])] }, orderBy: { name: "asc" }, take: 100, select: { id: true, name: true, isActive: true } });
  const campaigns = await db.campaign.findMany({
    where: { OR: [{ isActive: true, AND: [{ OR: [{ startsOn: null }, { startsOn: { lte: day } }] }, { OR: [{ endsOn: null }, { endsOn: { gte: day } }] }] }, ...(keep.campaignId ? [{ id: keep.campaignId }] : [])] },
    orderBy: [{ createdAt: "desc" }, { name: "asc" }],
    take: 100,
    select: { id: true, name: true },
  });
  return {
    channels: channels.map((c) => ({ value: c.id, label: `${c.name}${c.isActive ? "" : " (off)"}`.slice(0, 75) })),
    campaigns: campaigns.map((c) => ({ value: c.id, label: c.name.slice(0, 75) })).sort((a, b) => a.label.localeCompare(b.label)),
  };
}

export type CheckedChoice = { ok: true; channelId: string | null; campaignId: string | null } | { ok: false; errors: Record<string, string> };

/**
 * A submitted channel and campaign (ids from the form's selects, or absent). A forged, deleted or switched-off choice
 * is a field error; `current` is what the record already has, which stays allowed even if it has since been switched
 * off. No channel chosen but a campaign that runs on one: the campaign's channel.
 */
export async function checkChannelChoice(
  db: Reader,
  today: Date,
  chosen: { channel?: string; campaign?: string },
  current: { channelId?: string | null; campaignId?: string | null } = {},
): Promise<CheckedChoice> {
  const errors: Record<string, string> = {};
  let channelId: string | null = null;
  let campaignId: string | null = null;
  let campaignChannelId: string | null = null;
  if (chosen.channel) {
    const channel = isUuid(chosen.channel) ? await db.channel.findUnique({ where: { id: chosen.channel }, select: { id: true, name: true, isActive: true } }) : null;
    if (!channel) errors.channel = "That channel no longer exists; choose another.";
    else if (!channel.isActive && channel.id !== current.channelId) errors.channel = `The channel ${channel.name} is switched off; choose another.`;
    else channelId = channel.id;
  }
  if (chosen.campaign) {
    const campaign = isUuid(chosen.campaign) ? await db.campaign.findUnique({ where: { id: chosen.campaign }, select: { id: true, name: true, isActive: true, startsOn: true, endsOn: true, channelId: true } }) : null;
    const day = startOfUtcDay(today);
    if (!campaign) errors.campaign = "That campaign no longer exists; choose another.";
    else if (campaign.id === current.campaignId) campaignId = campaign.id;
    else if (!campaign.isActive) errors.campaign = `The campaign ${campaign.name} is closed; choose another.`;
    else if (campaign.startsOn && campaign.startsOn > day) errors.campaign = `The campaign ${campaign.name} starts on ${dayText(campaign.startsOn)}; choose another.`;
    else if (campaign.endsOn && campaign.endsOn < day) errors.campaign = `The campaign ${campaign.name} ended on ${dayText(campaign.endsOn)}; choose another.`;
    else [campaignId, campaignChannelId] = [campaign.id, campaign.channelId];
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, channelId: channelId ?? campaignChannelId, campaignId };
}
