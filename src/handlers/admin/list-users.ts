// `admin user list`: the people in Switchboard with role, teams, managed teams and linked chat identities.
import { z } from "zod";
import { peopleListView, type PersonSummary } from "../../bot/views/admin.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { defineCommand, refuse, roleArg, type AdminContext, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

export const personSummaryInclude = {
  memberships: { select: { team: { select: { name: true } } }, orderBy: { team: { name: "asc" } } },
  managedTeams: { select: { name: true }, orderBy: { name: "asc" } },
} as const;

type PersonRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  timeZone: string;
  isActive: boolean;
  slackUserId: string | null;
  teamsAadId: string | null;
  memberships: { team: { name: string } }[];
  managedTeams: { name: string }[];
};

export function toPersonSummary(p: PersonRow): PersonSummary {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    timeZone: p.timeZone,
    isActive: p.isActive,
    teams: p.memberships.map((m) => m.team.name),
    manages: p.managedTeams.map((t) => t.name),
    chat: [...(p.slackUserId ? (["slack"] as const) : []), ...(p.teamsAadId ? (["teams"] as const) : [])],
  };
}

export async function personSummary(db: Db | Tx, id: string): Promise<PersonSummary> {
  return toPersonSummary(await db.user.findUniqueOrThrow({ where: { id }, include: personSummaryInclude }));
}

const schema = z.object({
  team: z.string().trim().min(1).optional(),
  role: roleArg().optional(),
});

export async function listUsers(deps: Deps, actor: Actor, input: z.output<typeof schema>, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const team = input.team ? await findTeam(deps.db, input.team) : undefined;
  if (team && !team.ok) return refuse(`--team: ${team.message}`);
  const rows = await deps.db.user.findMany({
    where: { ...(input.role ? { role: input.role } : {}), ...(team?.ok ? { memberships: { some: { teamId: team.value.id } } } : {}) },
    include: personSummaryInclude,
    orderBy: [{ isActive: "desc" }, { name: "asc" }],
  });
  const people = rows.map(toPersonSummary);
  const hint = team || input.role ? "Nobody matches those filters." : `No users yet: add someone with \`${ctx.invocation} user add ana@example.com --name "Ana Ruiz"\`.`;
  return { ok: true, view: peopleListView(people, hint), data: people };
}

export const listUsersCommand = defineCommand({
  path: "user list",
  summary: "List the users: role, teams, the teams they manage, and whether they have used Slack or Teams yet",
  flags: [
    { name: "team", value: "team", help: "Only the members of this team" },
    { name: "role", value: "role", help: "Only admins, managers or agents" },
    { name: "json", help: "Print the users as JSON", isCliOnly: true },
  ],
  examples: ["user list", "user list --team Support --role manager"],
  schema,
  run: listUsers,
});
