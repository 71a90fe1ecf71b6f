// Posts a lead's card to its sales team's channels (updated in place through subjectKey) and DMs its salesperson.
import { leadCard } from "../../bot/views/lead-card.js";
import type { MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { postToTeamChannels } from "../team-channels.js";
import { loadLeadCard } from "./load-lead.js";

/** Channel cards are read by many people: dates are shown in UTC. */
const CHANNEL_TIME_ZONE = "UTC";

export const leadSubjectKey = (leadId: string) => `lead:${leadId}`;

/**
 * Renders the lead's current card and queues it for its team's Slack channel and Teams conversation (and those of
 * `extraTeamIds`, e.g. the team it just left). The same subjectKey makes the outbox update the message posted
 * earlier instead of posting a new one.
 */
export async function publishLeadCard(tx: Tx, deps: Deps, leadId: string, opts?: { extraTeamIds?: string[] }): Promise<void> {
  const loaded = await loadLeadCard(tx, leadId);
  if (!loaded) return;
  const view = leadCard(loaded.card, CHANNEL_TIME_ZONE, deps.now());
  const teamIds = [...new Set([loaded.lead.teamId, ...(opts?.extraTeamIds ?? [])].filter((t): t is string => Boolean(t)))];
  if (!teamIds.length) return;
  const teams = await tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  for (const team of teams) await postToTeamChannels(tx, team, view, { subjectKey: leadSubjectKey(leadId) });
}

/** A direct message to the lead's salesperson: why they get it, then the card in their time zone. */
export async function notifySalesperson(tx: Tx, deps: Deps, leadId: string, reason: string): Promise<void> {
  const loaded = await loadLeadCard(tx, leadId);
  const person = loaded?.lead.salesperson;
  if (!loaded || !person?.isActive) return;
  const card = leadCard(loaded.card, person.timeZone, deps.now());
  await notifyUser(tx, person, withLine(card, reason));
}

/** A line above a card: the answer to the person who acted, or the reason a DM was sent. */
export function withLine(card: MessageView, line: string): MessageView {
  return { text: `${line} — ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}
