// `admin team members`: list a team's members, add people to it and remove them.
import { z } from "zod";
import { teamMembersView } from "../../bot/views/admin.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { defineCommand, emailListArg, refuse, type AdminResult } from "./command.js";
import { teamSummary } from "./list-teams.js";
import { findPeople, findTeam } from "./lookup.js";

const schema = z.object({
  team: z.string({ error: "say which team: team members Support" }).trim().min(1),
  add: emailListArg("--add").optional(),
  remove: emailListArg("--remove").optional(),
});

export type TeamMembersInput = z.output<typeof schema>;

export async function changeTeamMembers(deps: Deps, actor: Actor, input: TeamMembersInput): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const found = await findTeam(deps.db, input.team);
  if (!found.ok) return refuse(found.message);
  const team = found.value;
  const both = (input.add ?? []).filter((e) => input.remove?.includes(e));
  if (both.length) return refuse(`${both.join(", ")} cannot be both added and removed`);
  const toAdd = input.add ? await findPeople(deps.db, input.add) : undefined;
  if (toAdd && !toAdd.ok) return refuse(`--add: ${toAdd.message}`);
  const toRemove = input.remove ? await findPeople(deps.db, input.remove) : undefined;
  if (toRemove && !toRemove.ok) return refuse(`--remove: ${toRemove.message}`);

  const notes: string[] = [];
  if (toAdd?.ok || toRemove?.ok) {
    await deps.db.$transaction(async (tx) => {
      const current = new Set((await tx.teamMember.findMany({ where: { teamId: team.id }, select: { userId: true } })).map((m) => m.userId));
      const added = (toAdd?.ok ? toAdd.value : []).filter((p) => !current.has(p.id));
      const removed = (toRemove?.ok ? toRemove.value : []).filter((p) => current.has(p.id));
      if (added.length) await tx.teamMember.createMany({ data: added.map((p) => ({ teamId: team.id, userId: p.id })) });
      if (removed.length) await tx.teamMember.deleteMany({ where: { teamId: team.id, userId: { in: removed.map((p) => p.id) } } });
      for (const p of toAdd?.ok ? toAdd.value : []) notes.push(current.has(p.id) ? `${p.name} was already a member.` : `Added ${p.name}.`);
      for (const p of toRemove?.ok ? toRemove.value : []) notes.push(current.has(p.id) ? `Removed ${p.name}.` : `${p.name} was not a member.`);
      if (added.length || removed.length) {
        const summary = [added.length ? `added ${names(added)}` : "", removed.length ? `removed ${names(removed)}` : ""].filter(Boolean).join("; ");
        await recordAdminChange(tx, actor, { type: "team", id: team.id }, `Team ${team.name}: ${summary}`, { added: added.map((p) => p.id), removed: removed.map((p) => p.id) });
      }
    });
  }
  const saved = await teamSummary(deps.db, team.id);
  return { ok: true, view: teamMembersView(saved, notes), data: saved };
}

function names(people: { name: string }[]): string {
  return people.map((p) => p.name).join(", ");
}

export const teamMembersCommand = defineCommand({
  path: "team members",
  summary: "List a team's members; add or remove people with --add / --remove",
  positional: { name: "team", flag: "team", help: "the team", isRequired: true },
  flags: [
    { name: "add", value: "emails", help: "People to add, comma-separated (existing users)", isList: true },
    { name: "remove", value: "emails", help: "People to remove, comma-separated", isList: true },
    { name: "json", help: "Print the team and its members as JSON", isCliOnly: true },
  ],
  examples: ["team members Support", "team members Support --add ana@example.com,bo@example.com", "team members Support --remove bo@example.com"],
  schema,
  run: changeTeamMembers,
});
