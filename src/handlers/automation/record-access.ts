// Who may see a record a rule is about (src/domain/policy.ts), so a rule's DM or email never reveals it to anyone else.
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { policy, type Actor } from "../../domain/policy.js";
import { actorOfUser } from "../cases/watchers.js";
import { purchasingTeamIds } from "../claims/load-claim.js";
import type { Recipient } from "../notify-user.js";
import { validIds, type Reader } from "./record-snapshot.js";

/** Whether the user (active) may open the record, by the same policy its card uses. */
export async function canSeeRecord(db: Reader, userId: string, snapshot: RecordSnapshot): Promise<boolean> {
  if (!validIds([userId]).length) return false;
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, isActive: true } });
  if (!user?.isActive) return false;
  return actorCanSee(db, await actorOfUser(db, user), snapshot);
}

export async function actorCanSee(db: Reader, actor: Actor, s: RecordSnapshot): Promise<boolean> {
  switch (s.type) {
    case "case":
      return policy.viewCase(actor, { teamId: s.teamId ?? "", assigneeId: s.responsibleId, isInternal: s.fields.internal === true }).ok;
    case "claim": {
      const facts = { kind: s.fields.kind === "supplier" ? ("supplier" as const) : ("customer" as const), responsibleId: s.responsibleId, teamId: s.teamId };
      // Customer claims are anyone's: the purchasing teams are read only when they matter.
      return facts.kind === "customer" || policy.viewClaim(actor, facts, await purchasingTeamIds(db)).ok;
    }
    case "lead":
      return policy.viewLead(actor, { salespersonId: s.responsibleId, teamId: s.teamId }).ok;
    case "call": {
      if (!s.responsibleId) return actor.role === "admin";
      const teams = await db.teamMember.findMany({ where: { userId: s.responsibleId }, select: { teamId: true } });
      return policy.viewCall(actor, { ownerId: s.responsibleId, ownerTeamIds: teams.map((t) => t.teamId) }).ok;
    }
    case "meeting": {
      // The policy counts every invited colleague, declined or not (the snapshot's attendees leave out who declined).
      const invited = await db.meetingAttendee.findMany({ where: { meetingId: s.id, userId: { not: null } }, select: { userId: true } });
      return policy.viewMeeting(actor, { organizerId: s.responsibleId ?? "", attendeeUserIds: invited.flatMap((a) => (a.userId ? [a.userId] : [])) }).ok;
    }
    case "merge-request":
      return canSeeMergeRequest(db, actor, s);
    case "contract":
      return policy.viewContract(actor, { salespersonId: s.responsibleId, teamId: s.teamId }).ok;
    case "partner":
      // Partners are visible to everyone (policy.viewCategory; /crm customer shows any partner's card).
      return policy.viewCategory(actor).ok;
  }
}

/** The requester, the team's members and manager, whoever may decide it (the parent team's manager), and admins. */
async function canSeeMergeRequest(db: Reader, actor: Actor, s: RecordSnapshot): Promise<boolean> {
  if (actor.role === "admin" || actor.id === s.responsibleId) return true;
  if (!s.teamId) return false;
  if (actor.teamIds.includes(s.teamId) || actor.managedTeamIds.includes(s.teamId)) return true;
  const team = await db.team.findUnique({ where: { id: s.teamId }, select: { parentId: true } });
  return policy.decideMerge(actor, { teamId: s.teamId, parentTeamId: team?.parentId ?? null, requesterId: s.responsibleId ?? "" }).ok;
}

/** The chat identities of the active users among `userIds` (inactive and unknown ones are left out). */
export async function recipientsOf(db: Reader, userIds: string[]): Promise<Recipient[]> {
  const ids = validIds(userIds);
  if (!ids.length) return [];
  return db.user.findMany({ where: { id: { in: ids }, isActive: true }, select: { id: true, slackTeamId: true, slackUserId: true, teamsAadId: true } });
}
