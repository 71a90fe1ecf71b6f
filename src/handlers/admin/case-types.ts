// `admin casetype add|list`: case types, each routed to a team (a case of that type goes to that team).
import { z } from "zod";
import type { MessageView } from "../../bot/views/view.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { defineCommand, isUniqueViolation, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

const addSchema = z.object({
  name: z
    .string({ error: "the case type's name is required, e.g. casetype add Hardware --team Engineering" })
    .trim()
    .min(1, { error: "the case type's name cannot be empty" })
    .max(60, { error: "a case type's name has at most 60 characters" })
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, { error: "a case type's name uses letters, digits, spaces, - and _ (it is typed as #name in the quick form)" }),
  team: z.string({ error: "--team is required: the team that takes cases of this type, e.g. --team Engineering" }).trim().min(1),
});

async function addCaseType(deps: Deps, actor: Actor, input: z.output<typeof addSchema>, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const team = await findTeam(deps.db, input.team);
  if (!team.ok) return refuse(`--team: ${team.message}`);
  const taken = await deps.db.caseType.findFirst({ where: { name: { equals: input.name, mode: "insensitive" } }, include: { team: { select: { name: true } } } });
  if (taken) return refuse(`there is already a case type ${taken.name} (team ${taken.team.name})`);
  try {
    const type = await deps.db.$transaction(async (tx) => {
      const created = await tx.caseType.create({ data: { name: input.name, teamId: team.value.id } });
      await recordAdminChange(tx, actor, { type: "team", id: team.value.id }, `Case type ${created.name} added for ${team.value.name}`, { caseTypeId: created.id, name: created.name });
      return created;
    });
    const view: MessageView = {
      text: `Case type ${type.name} added: its cases go to ${team.value.name}.`,
      blocks: [
        { type: "text", text: `Case type *${type.name}* added: its cases go to *${team.value.name}*.` },
        { type: "context", text: `Quick form: /crm case Acme: the problem #${type.name.toLowerCase().replace(/\s+/g, "-")} · list them: ${ctx.invocation} casetype list` },
      ],
    };
    return { ok: true, view, data: { id: type.id, name: type.name, team: team.value.name } };
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(`a case type named ${input.name} was just added by someone else`);
    throw error;
  }
}

async function listCaseTypes(deps: Deps, actor: Actor, _input: unknown, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const types = await deps.db.caseType.findMany({ orderBy: { name: "asc" }, include: { team: { select: { name: true } } } });
  const data = types.map((t) => ({ id: t.id, name: t.name, team: t.team.name }));
  if (!types.length) {
    return { ok: true, view: { text: "No case types yet.", blocks: [{ type: "text", text: `No case types yet: add one with \`${ctx.invocation} casetype add Hardware --team ${quoted("Engineering")}\`.` }] }, data };
  }
  return {
    ok: true,
    view: { text: `${types.length} case types`, blocks: [{ type: "header", text: "Case types" }, { type: "fields", fields: types.map((t) => ({ label: t.name, value: `→ ${t.team.name}` })) }] },
    data,
  };
}

export const addCaseTypeCommand = defineCommand({
  path: "casetype add",
  summary: "Add a case type and the team its cases go to",
  positional: { name: "name", flag: "name", help: "the case type's name (or --name)" },
  flags: [
    { name: "name", value: "name", help: "The case type's name, e.g. Hardware" },
    { name: "team", value: "team", help: "The team that takes cases of this type", isRequired: true },
    { name: "json", help: "Print the case type as JSON", isCliOnly: true },
  ],
  examples: ["casetype add Hardware --team Engineering", 'casetype add "Billing question" --team Sales'],
  schema: addSchema,
  run: addCaseType,
});

export const listCaseTypesCommand = defineCommand({
  path: "casetype list",
  isNounDefault: true,
  summary: "List the case types and their teams",
  flags: [{ name: "json", help: "Print the case types as JSON", isCliOnly: true }],
  examples: ["casetype list"],
  schema: z.object({}),
  run: listCaseTypes,
});
