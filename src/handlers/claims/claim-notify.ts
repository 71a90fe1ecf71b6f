// Posts a claim's card to its team's channels (updated in place through subjectKey) and DMs the responsible.
import { claimCard } from "../../bot/views/claim-card.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { postToTeamChannels } from "../team-channels.js";
import { loadClaim } from "./load-claim.js";

/** Channel cards are read by many people: dates are shown in UTC. */
const CHANNEL_TIME_ZONE = "UTC";

export const claimSubjectKey = (claimId: string) => `claim:${claimId}`;

/**
 * Queues the claim's current card for its team's Slack channel and Teams conversation; the shared subjectKey
 * updates the message posted earlier. A supplier claim goes only to a purchasing team's channel: the bot never
 * posts it where members could not see it (issue 4). Returns whether anything was queued.
 */
export async function publishClaimCard(tx: Tx, deps: Deps, claimId: string): Promise<boolean> {
  const claim = await loadClaim(tx, { id: claimId });
  if (!claim?.teamId) return false;
  const team = await tx.team.findUnique({ where: { id: claim.teamId }, select: { id: true, kind: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  if (!team || (claim.kind === "supplier" && team.kind !== "purchasing")) return false;
  const view = claimCard(claim, CHANNEL_TIME_ZONE, deps.now());
  return postToTeamChannels(tx, team, view, { subjectKey: claimSubjectKey(claimId) });
}

/** A direct message to the claim's responsible (unless they did it themselves) with the card in their time zone. */
export async function notifyResponsible(tx: Tx, deps: Deps, claimId: string, reason: string, actorId: string): Promise<void> {
  const claim = await loadClaim(tx, { id: claimId });
  if (!claim?.responsibleId || claim.responsibleId === actorId) return;
  const person = await tx.user.findUnique({ where: { id: claim.responsibleId } });
  if (!person?.isActive) return;
  const card = claimCard(claim, person.timeZone, deps.now());
  await notifyUser(tx, person, { text: `${reason} — ${card.text}`, blocks: [{ type: "text", text: reason }, ...card.blocks] });
}

export async function addTimeline(tx: Tx, claimId: string, actorId: string, kind: string, summary: string, data?: Record<string, string>): Promise<void> {
  await tx.timelineEntry.create({ data: { recordType: "claim", recordId: claimId, kind, actorId, summary: summary.slice(0, 500), ...(data ? { data } : {}) } });
}
