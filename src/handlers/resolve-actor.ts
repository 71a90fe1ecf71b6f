// Who is this chat user? Finds (or, for allowed email domains, creates) the User behind a Slack or Teams identity.
import type { MessageView } from "../bot/views/view.js";
import { notice } from "../bot/views/view.js";
import type { Actor } from "../domain/policy.js";
import { isValidTimeZone } from "../domain/time.js";
import type { Deps } from "./deps.js";

export interface ChatIdentity {
  platform: "slack" | "teams";
  /** Slack team (workspace) id, or Teams tenant id. */
  workspaceId: string;
  /** Slack user id, or the Teams user's AAD object id. */
  userId: string;
  /** Asks the platform for the profile (users.info / TeamsInfo.getMember); only called on first contact. */
  lookup(): Promise<{ email?: string; name?: string; timeZone?: string }>;
}

export interface ActorUser {
  id: string;
  email: string;
  name: string;
  role: "admin" | "manager" | "agent";
  timeZone: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  teamsTenantId: string | null;
  teamsAadId: string | null;
}

/** The person acting, as every handler receives them: the policy's view and their user record. */
export interface Who {
  actor: Actor;
  user: ActorUser;
}

export type Resolved = ({ ok: true } & Who) | { ok: false; view: MessageView };

const withTeams = { memberships: { select: { teamId: true } }, managedTeams: { select: { id: true } } } as const;

export async function resolveActor(deps: Deps, identity: ChatIdentity): Promise<Resolved> {
  const byIds =
    identity.platform === "slack"
      ? { slackTeamId_slackUserId: { slackTeamId: identity.workspaceId, slackUserId: identity.userId } }
      : { teamsTenantId_teamsAadId: { teamsTenantId: identity.workspaceId, teamsAadId: identity.userId } };
  const known = await deps.db.user.findUnique({ where: byIds, include: withTeams });
  if (known) return known.isActive ? toResolved(known) : refused("Your Switchboard account is deactivated. Ask an admin to reactivate it.");

  const profile = await identity.lookup();
  const email = profile.email?.trim().toLowerCase();
  if (!email) {
    return refused(
      "Switchboard could not read your email address from your profile, so it cannot tell who you are.",
      identity.platform === "slack" ? "The app needs the users:read.email scope." : "Your Teams profile has no email or user principal name.",
    );
  }
  const link =
    identity.platform === "slack"
      ? { slackTeamId: identity.workspaceId, slackUserId: identity.userId }
      : { teamsTenantId: identity.workspaceId, teamsAadId: identity.userId };
  const timeZone = profile.timeZone && isValidTimeZone(profile.timeZone) ? profile.timeZone : undefined;
  const existing = await deps.db.user.findUnique({ where: { email } });
  if (existing) {
    if (!existing.isActive) return refused("Your Switchboard account is deactivated. Ask an admin to reactivate it.");
    const linked = await deps.db.user.update({ where: { id: existing.id }, data: { ...link, ...(timeZone ? { timeZone } : {}) }, include: withTeams });
    return toResolved(linked);
  }
  const domain = email.split("@")[1] ?? "";
  if (!deps.settings.allowedEmailDomains.includes(domain)) {
    return refused(
      `Switchboard is not open to ${email}: people join automatically only from ${deps.settings.allowedEmailDomains.length ? deps.settings.allowedEmailDomains.join(", ") : "domains an admin allows (none yet)"}.`,
      "Ask an admin to add you (npm run admin -- user add …, or /crm admin user add …).",
    );
  }
  // Two first requests from one person can race: the loser of the insert reads the winner's row.
  const created = await deps.db.user
    .create({ data: { email, name: profile.name?.trim() || email, role: "agent", ...(timeZone ? { timeZone } : {}), ...link }, include: withTeams })
    .catch(async (error: { code?: string }) => {
      if (error.code !== "P2002") throw error;
      return deps.db.user.update({ where: { email }, data: link, include: withTeams });
    });
  deps.logger.info({ userId: created.id, platform: identity.platform }, "new user on first contact");
  return toResolved(created);
}

function refused(text: string, detail?: string): Resolved {
  return { ok: false, view: notice(text, detail) };
}

function toResolved(u: ActorUser & { memberships: { teamId: string }[]; managedTeams: { id: string }[] }): Resolved {
  const { memberships, managedTeams, ...user } = u;
  return {
    ok: true,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      timeZone: user.timeZone,
      slackTeamId: user.slackTeamId,
      slackUserId: user.slackUserId,
      teamsTenantId: user.teamsTenantId,
      teamsAadId: user.teamsAadId,
    },
    actor: { id: user.id, role: user.role, teamIds: memberships.map((m) => m.teamId), managedTeamIds: managedTeams.map((t) => t.id) },
  };
}
