// Rules for setting up people and teams: valid names and ids, safe role changes, no loops in the team tree.
import type { Decision, Role } from "./policy.js";

export const ROLES = ["admin", "manager", "agent"] as const satisfies readonly Role[];
export const TEAM_KINDS = ["sales", "support", "engineering", "purchasing", "other"] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** "a, b or c" */
export function oneOf(values: readonly string[]): string {
  return values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}

const allow: Decision = { ok: true };
const deny = (reason: string): Decision => ({ ok: false, reason });

export function normaliseEmail(text: string): string {
  return text.trim().toLowerCase();
}

export function isEmail(text: string): boolean {
  return /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[a-z0-9-]{2,}$/i.test(text) && text.length <= 254;
}

/** The word that clears an optional setting (`--parent none`), so no team may be called that. */
export const CLEAR_WORD = "none";

export function teamNameProblem(name: string): string | undefined {
  if (name.length === 0) return "a team name cannot be empty";
  if (name.length > 80) return "a team name has at most 80 characters";
  if (name.includes(",")) return "a team name cannot contain a comma (commas separate several teams)";
  if (name.startsWith("-")) return "a team name cannot start with a dash";
  if (name.toLowerCase() === CLEAR_WORD) return `"${CLEAR_WORD}" is reserved: it clears a setting`;
  return undefined;
}

/** Slack channel ids: C… for public channels, G… for older private ones (https://api.slack.com/types/conversation). */
export function slackChannelProblem(id: string): string | undefined {
  if (!/^[CG][A-Z0-9]{2,20}$/.test(id)) {
    return "--slack-channel must be a channel id like C0123ABCD, not a name (in Slack: open the channel's details; the id is at the bottom)";
  }
  return undefined;
}

/** Teams conversation ids carry a type prefix: 19:…@thread.tacv2 for channels and group chats, a:… for personal chats. */
export function teamsConversationProblem(id: string): string | undefined {
  if (!/^[0-9a-z]+:\S+$/i.test(id) || id.length > 500) {
    return "--teams-conversation must be a Teams conversation id like 19:abc…@thread.tacv2 (the bot says it when it is added to a channel)";
  }
  return undefined;
}

export interface PersonFacts {
  id: string;
  name: string;
  role: Role;
  isActive: boolean;
}

/**
 * Changing a person's role or deactivating them. Switchboard must keep one active admin
 * (else nobody can set it up from chat), and a team's manager must be able to manage.
 */
export function checkPersonChange(
  person: PersonFacts,
  next: { role?: Role; isActive?: boolean },
  facts: { activeAdminIds: string[]; managedTeamNames: string[] },
): Decision {
  const role = next.role ?? person.role;
  const isActive = next.isActive ?? person.isActive;
  const staysAdmin = role === "admin" && isActive;
  const isOnlyAdmin = facts.activeAdminIds.length === 1 && facts.activeAdminIds[0] === person.id;
  if (isOnlyAdmin && !staysAdmin) {
    return deny(`${person.name} is the last active admin: make someone else an admin first, or nobody could set up Switchboard from chat.`);
  }
  if (role === "agent" && person.role !== "agent" && facts.managedTeamNames.length > 0) {
    const teams = facts.managedTeamNames.join(", ");
    return deny(`${person.name} manages ${teams}: give ${facts.managedTeamNames.length > 1 ? "those teams" : "that team"} another manager first (team update ${facts.managedTeamNames[0]} --manager …).`);
  }
  return allow;
}

/** Only an active manager or admin can be a team's manager (an agent's team would have nobody to approve). */
export function checkManager(person: PersonFacts): Decision {
  if (!person.isActive) return deny(`${person.name} is deactivated and cannot manage a team.`);
  if (person.role === "agent") return deny(`${person.name} is an agent: make them a manager first (user update … --role manager).`);
  return allow;
}

export interface TeamNode {
  id: string;
  name: string;
  parentId: string | null;
}

/** A team cannot be its own parent or ancestor. `teamId` is undefined for a team not created yet. */
export function checkParent(teamId: string | undefined, parentId: string, teams: TeamNode[]): Decision {
  if (teamId === undefined) return allow;
  const byId = new Map(teams.map((t) => [t.id, t]));
  const path: string[] = [];
  for (let at = byId.get(parentId); at; at = at.parentId ? byId.get(at.parentId) : undefined) {
    path.push(at.name);
    if (at.id === teamId) {
      if (path.length === 1) return deny(`A team cannot be its own parent.`);
      const [parent, team] = [path[0]!, path[path.length - 1]!];
      return deny(`${parent} is inside ${team} (${[...path].reverse().join(" › ")}), so it cannot be ${team}'s parent: a team cannot be its own ancestor.`);
    }
    if (path.length > teams.length) break;
  }
  return allow;
}

export { closestMatch } from "./closest-match.js";
