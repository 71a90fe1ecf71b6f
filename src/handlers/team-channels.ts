// Posting a card to a team's channels: its Slack channel and its Teams conversation, through the outbox.
import type { MessageView } from "../bot/views/view.js";
import { enqueueNotification, type Tx } from "../db/outbox.js";

export interface TeamChannels {
  id: string;
  slackChannelId: string | null;
  teamsConversationId: string | null;
  managerId: string | null;
}

/**
 * Queues `view` for the team's Slack channel and Teams conversation. The same `subjectKey` makes the
 * outbox update the message posted earlier instead of posting a new one; a `dedupeKey` (suffixed ":slack" /
 * ":teams") makes a retried job post once. Returns whether anything was queued (false when the team has neither channel).
 */
export async function postToTeamChannels(tx: Tx, team: TeamChannels, view: MessageView, opts: { subjectKey?: string; dedupeKey?: string }): Promise<boolean> {
  let queued = false;
  if (team.slackChannelId) {
    await enqueueNotification(tx, {
      channel: "slack",
      target: team.slackChannelId,
      scope: await slackScopeOfTeam(tx, team),
      view,
      subjectKey: opts.subjectKey,
      dedupeKey: opts.dedupeKey && `${opts.dedupeKey}:slack`,
    });
    queued = true;
  }
  if (team.teamsConversationId) {
    const conversation = await tx.teamsConversation.findUnique({ where: { id: team.teamsConversationId }, select: { tenantId: true } });
    await enqueueNotification(tx, {
      channel: "teams",
      target: team.teamsConversationId,
      scope: conversation?.tenantId ?? null,
      view,
      subjectKey: opts.subjectKey,
      dedupeKey: opts.dedupeKey && `${opts.dedupeKey}:teams`,
    });
    queued = true;
  }
  return queued;
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
