// Posts a case's card to its team's channels (updated in place through subjectKey) and DMs the assignee.
import { caseCard } from "../../bot/views/case-card.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { postToTeamChannels } from "../team-channels.js";
import { loadCaseCard } from "./load-case.js";

/** Channel cards are read by many people: dates are shown in UTC. */
const CHANNEL_TIME_ZONE = "UTC";

export const caseSubjectKey = (caseId: string) => `case:${caseId}`;

/**
 * Renders the case's current card and queues it for the team's Slack channel and Teams conversation
 * (and those of `extraTeamIds`, e.g. the team a case just left). The same subjectKey makes the outbox
 * update the message posted earlier instead of posting a new one. Internal cases are posted too:
 * a team's channel is for its members, who may see them.
 */
export async function publishCaseCard(tx: Tx, deps: Deps, caseId: string, opts?: { extraTeamIds?: string[] }): Promise<void> {
  const loaded = await loadCaseCard(tx, caseId);
  if (!loaded) return;
  const view = caseCard(loaded.card, CHANNEL_TIME_ZONE, deps.now());
  const teamIds = [...new Set([loaded.case.teamId, ...(opts?.extraTeamIds ?? [])])];
  const teams = await tx.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  for (const team of teams) await postToTeamChannels(tx, team, view, { subjectKey: caseSubjectKey(caseId) });
}

/** A direct message to the case's assignee with the card (in their time zone) and why they get it. */
export async function notifyAssignee(tx: Tx, deps: Deps, caseId: string, reason: string): Promise<void> {
  const loaded = await loadCaseCard(tx, caseId);
  if (!loaded?.case.assigneeId) return;
  const assignee = await tx.user.findUnique({ where: { id: loaded.case.assigneeId } });
  if (!assignee?.isActive) return;
  const card = caseCard(loaded.card, assignee.timeZone, deps.now());
  const view = { text: `${reason} — ${card.text}`, blocks: [{ type: "text" as const, text: reason }, ...card.blocks] };
  await notifyUser(tx, assignee, view);
}
