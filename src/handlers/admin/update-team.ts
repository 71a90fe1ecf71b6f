// `admin team update`: rename a team, change its kind, manager, parent, alias or channels, its managers' channels included (`none` clears one).
import { z } from "zod";
import { teamSavedView } from "../../bot/views/admin.js";
import { slackChannelProblem, teamsConversationProblem } from "../../domain/admin-rules.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { checked, clearable, defineCommand, emailArg, isUniqueViolation, kindArg, refuse, teamNameArg, yesNoArg, type AdminResult } from "./command.js";
import { teamSummary } from "./list-teams.js";
import { aliasTaken, findTeam, teamNameTaken } from "./lookup.js";
import { channelNotes, resolveManager, resolveParent } from "./team-settings.js";

const SETTINGS = ["name", "kind", "alias", "alias-creates", "alias-contact", "alias-ack", "manager", "parent", "slack-channel", "teams-conversation", "managers-slack-channel", "managers-teams-conversation"] as const;

const schema = z
  .object({
    team: z.string({ error: "say which team to change: team update Support --alias …" }).trim().min(1),
    name: teamNameArg("--name").optional(),
    kind: kindArg().optional(),
    alias: clearable(emailArg("--alias", "an email address")).optional(),
    "alias-creates": clearable(z.enum(["case", "claim", "lead"], { error: "--alias-creates must be case, claim or lead (none: by the team's kind)" })).optional(),
    "alias-contact": z.enum(["everyone", "partners", "watchers"], { error: "--alias-contact must be everyone, partners or watchers" }).optional(),
    "alias-ack": yesNoArg("--alias-ack").optional(),
    manager: clearable(emailArg("--manager", "the manager's email")).optional(),
    parent: clearable(z.string().trim().min(1)).optional(),
    "slack-channel": clearable(checked(slackChannelProblem)).optional(),
    "teams-conversation": clearable(checked(teamsConversationProblem)).optional(),
    "managers-slack-channel": clearable(checked(slackChannelProblem)).optional(),
    "managers-teams-conversation": clearable(checked(teamsConversationProblem)).optional(),
  })
  .refine((input) => SETTINGS.some((key) => input[key] !== undefined), {
    error: `nothing to change: give at least one of ${SETTINGS.map((s) => `--${s}`).join(", ")}`,
  });

export type UpdateTeamInput = z.output<typeof schema>;

interface TeamChanges {
  name?: string;
  kind?: UpdateTeamInput["kind"];
  emailAlias?: string | null;
  emailCreates?: "case" | "claim" | "lead" | null;
  emailContact?: "everyone" | "partners" | "watchers";
  emailAck?: boolean;
  managerId?: string | null;
  parentId?: string | null;
  slackChannelId?: string | null;
  teamsConversationId?: string | null;
  managersSlackChannelId?: string | null;
  managersTeamsConversationId?: string | null;
}

export async function updateTeam(deps: Deps, actor: Actor, input: UpdateTeamInput): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const found = await findTeam(deps.db, input.team);
  if (!found.ok) return refuse(found.message);
  const team = found.value;
  const changes = await resolveChanges(deps, team.id, input);
  if (!changes.ok) return refuse(changes.message);
  try {
    await deps.db.$transaction(async (tx) => {
      await tx.team.update({ where: { id: team.id }, data: changes.data });
      await recordAdminChange(tx, actor, { type: "team", id: team.id }, `Team ${team.name} changed`, { before: pick(team, changes.data), after: changes.data });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(`that name or alias was just taken by another team`);
    throw error;
  }
  const saved = await teamSummary(deps.db, team.id);
  const notes = [
    ...(await channelNotes(deps.db, { name: saved.name, slackChannelId: changes.data.slackChannelId, teamsConversationId: changes.data.teamsConversationId })),
    ...(await channelNotes(deps.db, { name: `${saved.name} (managers)`, slackChannelId: changes.data.managersSlackChannelId, teamsConversationId: changes.data.managersTeamsConversationId })),
  ];
  return { ok: true, view: teamSavedView("Team updated", saved, notes), data: saved };
}

async function resolveChanges(deps: Deps, teamId: string, input: UpdateTeamInput): Promise<{ ok: true; data: TeamChanges } | { ok: false; message: string }> {
  const data: TeamChanges = {};
  const problems: string[] = [];
  if (input.name !== undefined) {
    const taken = await teamNameTaken(deps.db, input.name, teamId);
    if (taken) problems.push(taken);
    data.name = input.name;
  }
  if (input.kind !== undefined) data.kind = input.kind;
  if (input.alias !== undefined) {
    const taken = input.alias ? await aliasTaken(deps.db, input.alias, teamId) : undefined;
    if (taken) problems.push(taken);
    data.emailAlias = input.alias;
  }
  if (input["alias-creates"] !== undefined) data.emailCreates = input["alias-creates"];
  if (input["alias-contact"] !== undefined) data.emailContact = input["alias-contact"];
  if (input["alias-ack"] !== undefined) data.emailAck = input["alias-ack"];
  if (input.manager !== undefined) {
    const manager = input.manager ? await resolveManager(deps.db, input.manager) : undefined;
    if (manager && !manager.ok) problems.push(manager.message);
    data.managerId = manager?.ok ? manager.value.id : null;
  }
  if (input.parent !== undefined) {
    const parent = input.parent ? await resolveParent(deps.db, teamId, input.parent) : undefined;
    if (parent && !parent.ok) problems.push(parent.message);
    data.parentId = parent?.ok ? parent.value.id : null;
  }
  if (input["slack-channel"] !== undefined) data.slackChannelId = input["slack-channel"];
  if (input["teams-conversation"] !== undefined) data.teamsConversationId = input["teams-conversation"];
  if (input["managers-slack-channel"] !== undefined) data.managersSlackChannelId = input["managers-slack-channel"];
  if (input["managers-teams-conversation"] !== undefined) data.managersTeamsConversationId = input["managers-teams-conversation"];
  return problems.length ? { ok: false, message: problems.join("; ") } : { ok: true, data };
}

function pick(team: Record<string, unknown>, changes: TeamChanges): Record<string, unknown> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, team[key] ?? null]));
}

export const updateTeamCommand = defineCommand({
  path: "team update",
  summary: "Change a team: rename it, or set its kind, manager, parent, email alias and its settings, Slack channel or Teams conversation (none clears)",
  positional: { name: "team", flag: "team", help: "the team to change", isRequired: true },
  flags: [
    { name: "name", value: "new name", help: "Rename the team" },
    { name: "kind", value: "kind", help: "sales, support, engineering, purchasing or other" },
    { name: "alias", value: "email|none", help: "The team's email alias: customers write to it, replies from chat are sent from it" },
    { name: "alias-creates", value: "case|claim|lead|none", help: "What a new email to the alias creates (none: by the team's kind)" },
    { name: "alias-contact", value: "everyone|partners|watchers", help: "Who may write to the alias; the rest get a polite bounce" },
    { name: "alias-ack", value: "on|off", help: "Acknowledge a new thread by email with its reference" },
    { name: "manager", value: "email|none", help: "The team's manager (role manager or admin)" },
    { name: "parent", value: "team|none", help: "The team this one belongs to" },
    { name: "slack-channel", value: "channel id|none", help: "The Slack channel for the team's notifications, e.g. C0123ABCD" },
    { name: "teams-conversation", value: "id|none", help: "The Teams conversation for the team's notifications, e.g. 19:abc…@thread.tacv2" },
    { name: "managers-slack-channel", value: "channel id|none", help: "Where merge requests for the team's managers are also posted on Slack" },
    { name: "managers-teams-conversation", value: "id|none", help: "Where merge requests for the team's managers are also posted on Teams" },
  ],
  examples: [
    "team update Support --manager ana@example.com --teams-conversation 19:abc123@thread.tacv2",
    "team update \"Sales EMEA\" --parent Sales --alias emea@example.com",
    "team update Support --slack-channel none",
    "team update Support --alias support@example.com --alias-creates case --alias-contact partners --alias-ack off",
    "team update Sales --managers-slack-channel C0456EFGH",
  ],
  schema,
  run: updateTeam,
});
