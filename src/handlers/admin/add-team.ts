// `admin team add`: a new team with its kind, manager, parent, email alias, channels and first members.
import { z } from "zod";
import { teamSavedView } from "../../bot/views/admin.js";
import { slackChannelProblem, teamsConversationProblem } from "../../domain/admin-rules.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { checked, defineCommand, emailArg, emailListArg, isUniqueViolation, kindArg, quoted, refuse, teamNameArg, type AdminContext, type AdminResult } from "./command.js";
import { teamSummary } from "./list-teams.js";
import { aliasTaken, findPeople, teamNameTaken } from "./lookup.js";
import { channelNotes, resolveManager, resolveParent } from "./team-settings.js";

const schema = z.object({
  name: teamNameArg("--name"),
  kind: kindArg(),
  alias: emailArg("--alias", "an email address").optional(),
  manager: emailArg("--manager", "the manager's email").optional(),
  parent: z.string().trim().min(1).optional(),
  "slack-channel": checked(slackChannelProblem).optional(),
  "teams-conversation": checked(teamsConversationProblem).optional(),
  members: emailListArg("--members").optional(),
});

export type AddTeamInput = z.output<typeof schema>;

export async function addTeam(deps: Deps, actor: Actor, input: AddTeamInput, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const resolved = await resolveNewTeam(deps, input);
  if (!resolved.ok) return refuse(resolved.message);
  const { managerId, parentId, memberIds } = resolved;
  const data = {
    name: input.name,
    kind: input.kind,
    emailAlias: input.alias ?? null,
    managerId,
    parentId,
    slackChannelId: input["slack-channel"] ?? null,
    teamsConversationId: input["teams-conversation"] ?? null,
  };
  try {
    const id = await deps.db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { ...data, members: { create: memberIds.map((userId) => ({ userId })) } } });
      await recordAdminChange(tx, actor, { type: "team", id: team.id }, `Team ${team.name} added`, { ...data, memberIds });
      return team.id;
    });
    const team = await teamSummary(deps.db, id);
    const notes = await channelNotes(deps.db, team);
    if (!team.manager) notes.push(`No manager yet: \`${ctx.invocation} team update ${quoted(team.name)} --manager ana@example.com\``);
    return { ok: true, view: teamSavedView("Team added", team, notes), data: team };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(`a team named ${input.name}${input.alias ? ` or with the alias ${input.alias}` : ""} was just added by someone else`);
    throw error;
  }
}

async function resolveNewTeam(deps: Deps, input: AddTeamInput) {
  const problems: string[] = [];
  const note = (problem: string | undefined) => problem && problems.push(problem);
  note(await teamNameTaken(deps.db, input.name));
  if (input.alias) note(await aliasTaken(deps.db, input.alias));
  const manager = input.manager ? await resolveManager(deps.db, input.manager) : undefined;
  if (manager && !manager.ok) note(manager.message);
  const parent = input.parent ? await resolveParent(deps.db, undefined, input.parent) : undefined;
  if (parent && !parent.ok) note(parent.message);
  const members = input.members ? await findPeople(deps.db, input.members) : undefined;
  if (members && !members.ok) note(`--members: ${members.message}`);
  if (problems.length) return { ok: false, message: problems.join("; ") } as const;
  return {
    ok: true,
    managerId: manager?.ok ? manager.value.id : null,
    parentId: parent?.ok ? parent.value.id : null,
    memberIds: members?.ok ? members.value.map((m) => m.id) : [],
  } as const;
}

export const addTeamCommand = defineCommand({
  path: "team add",
  summary: "Add a team: its kind, manager, parent team, email alias, and the Slack channel / Teams conversation it notifies",
  positional: { name: "name", flag: "name", help: "the team's name (or --name)" },
  flags: [
    { name: "name", value: "name", help: "The team's name, e.g. Support (or give it as the first word)", isRequired: true },
    { name: "kind", value: "kind", help: "sales, support, engineering, purchasing or other", isRequired: true },
    { name: "alias", value: "email", help: "The team's email alias: mail to it reaches the team, e.g. support@example.com" },
    { name: "manager", value: "email", help: "The team's manager (an existing user with the role manager or admin)" },
    { name: "parent", value: "team", help: "The team this one belongs to, e.g. Sales for Sales EMEA" },
    { name: "slack-channel", value: "channel id", help: "The Slack channel the team's notifications go to, e.g. C0123ABCD" },
    { name: "teams-conversation", value: "id", help: "The Teams channel conversation the team's notifications go to, e.g. 19:abc…@thread.tacv2" },
    { name: "members", value: "emails", help: "First members, comma-separated (existing users)", isList: true },
  ],
  examples: [
    "team add Support --kind support --alias support@example.com --slack-channel C0123ABCD",
    "team add --name \"Sales EMEA\" --kind sales --parent Sales --manager ana@example.com",
  ],
  schema,
  run: addTeam,
});
