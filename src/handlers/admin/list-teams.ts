// `admin team list`: every team with its kind, manager, parent, alias, channels and members.
import { z } from "zod";
import { teamsListView, type TeamSummary } from "../../bot/views/admin.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { defineCommand, refuse, type AdminContext, type AdminResult } from "./command.js";

export const teamSummaryInclude = {
  manager: { select: { name: true, email: true } },
  parent: { select: { name: true } },
  members: { select: { user: { select: { name: true, email: true } } }, orderBy: { user: { name: "asc" } } },
} as const;

type TeamRow = {
  id: string;
  name: string;
  kind: string;
  emailAlias: string | null;
  emailCreates: "case" | "claim" | "lead" | null;
  emailContact: "everyone" | "partners" | "watchers";
  emailAck: boolean;
  slackChannelId: string | null;
  teamsConversationId: string | null;
  manager: { name: string; email: string } | null;
  parent: { name: string } | null;
  members: { user: { name: string; email: string } }[];
};

export function toTeamSummary(t: TeamRow): TeamSummary {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    emailAlias: t.emailAlias,
    emailCreates: t.emailCreates,
    emailContact: t.emailContact,
    emailAck: t.emailAck,
    manager: t.manager,
    parent: t.parent?.name ?? null,
    slackChannelId: t.slackChannelId,
    teamsConversationId: t.teamsConversationId,
    members: t.members.map((m) => m.user),
  };
}

export async function teamSummary(db: Db | Tx, id: string): Promise<TeamSummary> {
  return toTeamSummary(await db.team.findUniqueOrThrow({ where: { id }, include: teamSummaryInclude }));
}

export async function listTeams(deps: Deps, actor: Actor, _input: unknown, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const teams = (await deps.db.team.findMany({ include: teamSummaryInclude, orderBy: { name: "asc" } })).map(toTeamSummary);
  return { ok: true, view: teamsListView(teams, `No teams yet: add one with \`${ctx.invocation} team add Support --kind support\`.`), data: teams };
}

export const listTeamsCommand = defineCommand({
  path: "team list",
  summary: "List the teams: kind, manager, parent team, email alias, Slack channel, Teams conversation, members",
  flags: [{ name: "json", help: "Print the teams as JSON", isCliOnly: true }],
  examples: ["team list"],
  schema: z.object({}),
  run: listTeams,
});
