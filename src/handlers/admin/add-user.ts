// `admin user add`: a person by email, with a name, a role and their teams, before they ever open Slack or Teams.
import { z } from "zod";
import { personSavedView } from "../../bot/views/admin.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { defineCommand, emailArg, isUniqueViolation, personNameArg, quoted, refuse, roleArg, teamListArg, timeZoneArg, type AdminContext, type AdminResult } from "./command.js";
import { personSummary } from "./list-users.js";
import { emailTaken, findTeams } from "./lookup.js";

const schema = z.object({
  email: emailArg("--email"),
  name: personNameArg(),
  role: roleArg().default("agent"),
  team: teamListArg("--team").optional(),
  "time-zone": timeZoneArg().optional(),
});

export type AddUserInput = z.output<typeof schema>;

export async function addUser(deps: Deps, actor: Actor, input: AddUserInput, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const problems: string[] = [];
  const taken = await emailTaken(deps.db, input.email);
  if (taken) problems.push(taken);
  const teams = input.team ? await findTeams(deps.db, input.team) : undefined;
  if (teams && !teams.ok) problems.push(`--team: ${teams.message}`);
  if (problems.length) return refuse(problems.join("; "));
  const teamIds = teams?.ok ? teams.value.map((t) => t.id) : [];
  const data = { email: input.email, name: input.name, role: input.role, ...(input["time-zone"] ? { timeZone: input["time-zone"] } : {}) };
  let id: string;
  try {
    id = await deps.db.$transaction(async (tx) => {
      const person = await tx.user.create({ data: { ...data, memberships: { create: teamIds.map((teamId) => ({ teamId })) } } });
      await recordAdminChange(tx, actor, { type: "user", id: person.id }, `${person.name} added as ${person.role}`, { ...data, teamIds });
      return person.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(`${input.email} was just added by someone else`);
    throw error;
  }
  const person = await personSummary(deps.db, id);
  const notes = [`${person.name} is linked to Slack or Teams by this email the first time they use Switchboard there.`];
  const firstTeam = teams?.ok ? teams.value[0]?.name : undefined;
  if (person.role !== "agent" && firstTeam) {
    notes.push(`To make ${person.name} the manager of ${firstTeam}: \`${ctx.invocation} team update ${quoted(firstTeam)} --manager ${person.email}\``);
  }
  return { ok: true, view: personSavedView("User added", person, notes), data: person };
}

export const addUserCommand = defineCommand({
  path: "user add",
  summary: "Add a person by email, with a name, a role (admin, manager or agent) and teams",
  positional: { name: "email", flag: "email", help: "the person's email (or --email)" },
  flags: [
    { name: "email", value: "email", help: "The person's work email, as in Slack and Teams (or give it as the first word)", isRequired: true },
    { name: "name", value: "full name", help: "The person's full name; quote it when it has spaces", isRequired: true },
    { name: "role", value: "role", help: "admin, manager or agent (default agent)" },
    { name: "team", value: "teams", help: "Teams to join, comma-separated, e.g. Support,Sales", isList: true },
    { name: "time-zone", value: "zone", help: "IANA time zone, e.g. Europe/Berlin (default UTC; their Slack or Teams profile's zone replaces it on first use)" },
  ],
  examples: ["user add ana@example.com --name \"Ana Ruiz\" --role manager --team Support", "user add --email bo@example.com --name \"Bo Chen\" --team Support,Sales"],
  schema,
  run: addUser,
});
