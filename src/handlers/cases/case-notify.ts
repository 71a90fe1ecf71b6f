// Posts a case's card to its team's channels (updated in place through subjectKey) and DMs the assignee.
import { caseCard } from "../../bot/views/cases.js";
import { enqueueNotification, type Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
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
  for (const team of teams) {
    if (team.slackChannelId) {
      await enqueueNotification(tx, { channel: "slack", target: team.slackChannelId, scope: await slackScopeOfTeam(tx, team), view, subjectKey: caseSubjectKey(caseId) });
    }
    if (team.teamsConversationId) {
      const conversation = await tx.teamsConversation.findUnique({ where: { id: team.teamsConversationId }, select: { tenantId: true } });
      await enqueueNotification(tx, { channel: "teams", target: team.teamsConversationId, scope: conversation?.tenantId ?? null, view, subjectKey: caseSubjectKey(caseId) });
    }
  }
}

/**
 * The Slack workspace of a team's channel. Teams do not record it, so it is taken from the team's
 * manager or a member linked to Slack; in single-workspace mode the scope is not needed (null is fine).
 */
async function slackScopeOfTeam(tx: Tx, team: { id: string; managerId: string | null }): Promise<string | null> {
  if (team.managerId) {
    const manager = await tx.user.findUnique({ where: { id: team.managerId }, select: { slackTeamId: true } });
    if (manager?.slackTeamId) return manager.slackTeamId;
  }
  const member = await tx.teamMember.findFirst({ where: { teamId: team.id, user: { slackTeamId: { not: null } } }, select: { user: { select: { slackTeamId: true } } } });
  return member?.user.slackTeamId ?? null;
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
