// `admin category add|set|list|assign|unassign`: partner categories and their criteria from the command line (and /crm admin).
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { categoryListView, evaluatedView } from "../../bot/views/category-list.js";
import { notice } from "../../bot/views/view.js";
import { Prisma } from "../../db/client.js";
import { policy, type Actor } from "../../domain/policy.js";
import { parseCriteriaText, problemsText } from "../../domain/segments/criteria-text.js";
import { describeCriteria, type Criterion } from "../../domain/segments/criteria.js";
import type { Deps } from "../deps.js";
import { matchPartner } from "../resolve-partner.js";
import { findCategoryByName, listCategories, type CategoryRow } from "../segments/category-store.js";
import { evaluateCategory } from "../segments/evaluate.js";
import { addMemberByHand, removeMemberByHand } from "../segments/manual-membership.js";
import { COMMAND_LINE_ACTOR } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";
import { isUniqueViolation } from "./command.js";

const nameArg = z
  .string({ error: "say which category, e.g. category set GOLD --criteria …" })
  .trim()
  .min(1, { error: "the category name cannot be empty" })
  .max(40, { error: "a category name has at most 40 characters" })
  .refine((n) => !/\s(add|remove)(\s|$)/i.test(` ${n} `), { error: 'a category name cannot contain the words "add" or "remove" (chat reads them as commands)' });
const namePositional = { name: "name", flag: "name", help: "the category's name", isRequired: true } as const;
const criteriaFlag = { name: "criteria", value: "yaml", help: 'The criteria in YAML (flow style on one line), e.g. "{ all: [ { country: [DE] }, { won-revenue: { days: 365, at-least: 40000 } } ] }"; none: by hand only' };
const fileFlag = { name: "file", value: "path", help: "Read the criteria from this YAML file", isCliOnly: true };
const descriptionFlag = { name: "description", value: "text", help: "What the category is for" };
const editSchema = z.object({ name: nameArg, criteria: z.string().optional(), file: z.string().trim().min(1).optional(), description: z.string().trim().max(300, { error: "a description has at most 300 characters" }).optional() });
const memberSchema = z.object({ name: nameArg, partner: z.string({ error: "--partner is required: the partner's name" }).trim().min(1, { error: "--partner needs a name" }) });

type CriteriaInput = { ok: true; criteria: Criterion | null | undefined } | { ok: false; message: string };

/** The criteria given by --criteria or --file (undefined: not given); a mistake lists every problem. */
async function criteriaOf(input: z.output<typeof editSchema>): Promise<CriteriaInput> {
  if (input.criteria !== undefined && input.file !== undefined) return { ok: false, message: "give --criteria or --file, not both" };
  const text = input.file !== undefined ? await readFile(input.file, "utf8").catch(() => undefined) : input.criteria;
  if (text === undefined) return input.file !== undefined ? { ok: false, message: `--file: cannot read ${input.file}` } : { ok: true, criteria: undefined };
  const parsed = parseCriteriaText(text);
  return parsed.ok ? { ok: true, criteria: parsed.criteria } : { ok: false, message: `the criteria have mistakes:\n${problemsText(parsed.problems)}` };
}

/** add and set: the manager check first, then the criteria; either failure is the refusal's message. */
async function managedCriteria(actor: Actor, input: z.output<typeof editSchema>): Promise<CriteriaInput> {
  const allowed = policy.manageCategories(actor);
  return allowed.ok ? criteriaOf(input) : { ok: false, message: allowed.reason };
}

async function missing(deps: Deps, name: string): Promise<AdminResult> {
  const names = (await listCategories(deps.db)).map((c) => c.name);
  return refuse(`there is no category named ${name} (categories: ${names.join(", ") || "none"}; add one with category add)`);
}

/** After a change of criteria: every partner evaluated now (the command line runs no background jobs). */
async function evaluated(deps: Deps, category: { id: string; name: string }, title: string): Promise<AdminResult> {
  const outcome = await evaluateCategory(deps, category.id);
  return { ok: true, view: outcome ? evaluatedView(category.name, outcome, title) : notice(title), data: outcome };
}

export const categoryListCommand = defineCommand({
  path: "category list",
  isNounDefault: true,
  summary: "List the partner categories: members, criteria in words",
  flags: [{ name: "json", help: "Print the categories as JSON", isCliOnly: true }],
  examples: ["category list"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor, _input: unknown, ctx: AdminContext): Promise<AdminResult> => {
    const categories = await listCategories(deps.db);
    const data = categories.map((c) => ({ name: c.name, description: c.description, members: c.members, criteria: c.criteria, criteriaInWords: c.criteria ? describeCriteria(c.criteria) : null, evaluatedAt: c.evaluatedAt }));
    return { ok: true, view: categoryListView(categories, { canManage: policy.manageCategories(actor).ok, prefix: ctx.surface === "chat" ? "/crm " : "npm run admin -- " }), data };
  },
});

export const categoryAddCommand = defineCommand({
  path: "category add",
  summary: "Add a partner category, by hand only or with criteria (partners matching them join at once and every night)",
  positional: { name: "name", flag: "name", help: "the category's name, e.g. GOLD", isRequired: true },
  flags: [criteriaFlag, fileFlag, descriptionFlag],
  examples: ['category add GOLD --criteria "{ won-revenue: { days: 365, at-least: 40000 } }"', 'category add Reseller --description "Sells our products"', "category add DACH --file dach.yaml"],
  schema: editSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof editSchema>): Promise<AdminResult> => {
    const criteria = await managedCriteria(actor, input);
    if (!criteria.ok) return refuse(criteria.message);
    const taken = await findCategoryByName(deps.db, input.name);
    if (taken) return refuse(`there is already a category named ${taken.name}: change it with category set ${quoted(taken.name)} …`);
    try {
      const created = await deps.db.partnerCategory.create({ data: { name: input.name, description: input.description ?? null, criteria: criteria.criteria ?? Prisma.DbNull }, select: { id: true, name: true } });
      return evaluated(deps, created, `Category ${created.name} added: ${criteria.criteria ? describeCriteria(criteria.criteria) : "members assigned by hand"}.`);
    } catch (error) {
      if (isUniqueViolation(error)) return refuse(`there is already a category named ${input.name}`);
      throw error;
    }
  },
});

export const categorySetCommand = defineCommand({
  path: "category set",
  summary: "Change a category's criteria (none: by hand only) or description; every partner is re-evaluated",
  positional: namePositional,
  flags: [criteriaFlag, fileFlag, descriptionFlag],
  examples: ['category set GOLD --criteria "{ all: [ { country: [DE, AT] }, { open-cases: { at-least: 1 } } ] }"', "category set GOLD --criteria none", "category set GOLD --file gold.yaml"],
  schema: editSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof editSchema>): Promise<AdminResult> => {
    const criteria = await managedCriteria(actor, input);
    if (!criteria.ok) return refuse(criteria.message);
    if (criteria.criteria === undefined && input.description === undefined) return refuse("nothing to change: give --criteria, --file or --description");
    const category = await findCategoryByName(deps.db, input.name);
    if (!category) return missing(deps, input.name);
    await deps.db.partnerCategory.update({
      where: { id: category.id },
      data: { ...(criteria.criteria !== undefined ? { criteria: criteria.criteria ?? Prisma.DbNull } : {}), ...(input.description !== undefined ? { description: input.description || null } : {}) },
    });
    const words = criteria.criteria === undefined ? "description changed" : criteria.criteria ? describeCriteria(criteria.criteria) : "members assigned by hand only";
    return evaluated(deps, category, `Category ${category.name} saved: ${words}.`);
  },
});

async function byName(deps: Deps, actor: Actor): Promise<string> {
  if (actor.id === COMMAND_LINE_ACTOR.id) return "the command line";
  return (await deps.db.user.findUnique({ where: { id: actor.id }, select: { name: true } }))?.name ?? "an admin";
}

type Resolved = { ok: true; category: CategoryRow; partner: { id: string; name: string } } | { ok: false; result: AdminResult };

/** assign and unassign: the manager check, then the category and the partner by name. */
async function resolveMember(deps: Deps, actor: Actor, input: z.output<typeof memberSchema>): Promise<Resolved> {
  const allowed = policy.manageCategories(actor);
  if (!allowed.ok) return { ok: false, result: refuse(allowed.reason) };
  const category = await findCategoryByName(deps.db, input.name);
  if (!category) return { ok: false, result: await missing(deps, input.name) };
  const match = await matchPartner(deps, input.partner);
  if (match.kind === "none") return { ok: false, result: refuse(`--partner: no partner is called ${input.partner}`) };
  if (match.kind === "several") return { ok: false, result: refuse(`--partner: several partners match ${input.partner} (${match.candidates.map((c) => c.name).join(", ")}): give the full name`) };
  return { ok: true, category, partner: { id: match.id, name: match.name } };
}

const memberFlags = [{ name: "partner", value: "name", help: "The partner's name", isRequired: true }];

export const categoryAssignCommand = defineCommand({
  path: "category assign",
  summary: "Put a partner in a category by hand (it stays there until unassigned, whatever the criteria say)",
  positional: namePositional,
  flags: memberFlags,
  examples: ['category assign GOLD --partner "Acme Corp"'],
  schema: memberSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof memberSchema>): Promise<AdminResult> => {
    const found = await resolveMember(deps, actor, input);
    if (!found.ok) return found.result;
    const outcome = await addMemberByHand(deps, found.category, found.partner.id, await byName(deps, actor));
    const text = outcome.kind === "already" ? `${found.partner.name} is already in ${found.category.name} by hand.` : `${found.partner.name} is in ${found.category.name} by hand${outcome.kind === "made manual" ? " (it was there by its criteria)" : ""}.`;
    return { ok: true, view: notice(text), data: outcome };
  },
});

export const categoryUnassignCommand = defineCommand({
  path: "category unassign",
  summary: "Take a partner put in a category by hand out of it (members by criteria leave when the criteria stop matching)",
  positional: namePositional,
  flags: memberFlags,
  examples: ['category unassign GOLD --partner "Acme Corp"'],
  schema: memberSchema,
  run: async (deps: Deps, actor: Actor, input: z.output<typeof memberSchema>): Promise<AdminResult> => {
    const found = await resolveMember(deps, actor, input);
    if (!found.ok) return found.result;
    const { category, partner } = found;
    const outcome = await removeMemberByHand(deps, category, partner.id);
    if (outcome.kind === "not a member") return refuse(`${partner.name} is not in ${category.name}`);
    if (outcome.kind === "by criteria") return refuse(`${partner.name} is in ${category.name} by its criteria (${outcome.reason}); change the criteria with category set to leave it out`);
    const text = outcome.kind === "kept by criteria" ? `${partner.name} is no longer in ${category.name} by hand, but stays by its criteria: ${outcome.reason}.` : `${partner.name} is no longer in ${category.name}.`;
    return { ok: true, view: notice(text), data: outcome };
  },
});
