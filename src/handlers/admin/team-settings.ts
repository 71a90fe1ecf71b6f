// Resolving a team's manager and parent as an admin names them, and what to tell the admin about its channels.
import { checkManager, checkParent } from "../../domain/admin-rules.js";
import type { Db } from "../../db/client.js";
import { findPerson, findTeam, type Found } from "./lookup.js";

/** The manager by email: an active manager or admin. */
export async function resolveManager(db: Db, email: string): Promise<Found<{ id: string; name: string }>> {
  const found = await findPerson(db, email);
  if (!found.ok) return { ok: false, message: `--manager: ${found.message}` };
  const decision = checkManager(found.value);
  return decision.ok ? { ok: true, value: found.value } : { ok: false, message: decision.reason };
}

/** The parent team by name; `teamId` is the team being changed (undefined while it is being added). */
export async function resolveParent(db: Db, teamId: string | undefined, name: string): Promise<Found<{ id: string; name: string }>> {
  const found = await findTeam(db, name);
  if (!found.ok) return { ok: false, message: `--parent: ${found.message}` };
  const teams = await db.team.findMany({ select: { id: true, name: true, parentId: true } });
  const decision = checkParent(teamId, found.value.id, teams);
  return decision.ok ? { ok: true, value: found.value } : { ok: false, message: decision.reason };
}

/** Reminders after a channel is set: the bot must be able to post where it is told to. */
export async function channelNotes(db: Db, team: { name: string; slackChannelId?: string | null; teamsConversationId?: string | null }): Promise<string[]> {
  const notes: string[] = [];
  if (team.slackChannelId) notes.push(`${team.name}'s notifications go to Slack channel ${team.slackChannelId}: make sure the Switchboard app is in it (/invite @Switchboard in the channel).`);
  if (team.teamsConversationId) {
    const known = await db.teamsConversation.findUnique({ where: { id: team.teamsConversationId }, select: { id: true } });
    notes.push(
      known
        ? `${team.name}'s notifications go to Teams conversation ${team.teamsConversationId}.`
        : `Switchboard has not been added to Teams conversation ${team.teamsConversationId} yet: add the app to that channel, or notifications there cannot be delivered.`,
    );
  }
  return notes;
}
