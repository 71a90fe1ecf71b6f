// `admin claimcategory add|set|list`: the claim categories and the team each one routes claims to.
import { z } from "zod";
import type { Block, MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { CLEAR_WORD } from "../../domain/admin-rules.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

const nameArg = z
  .string({ error: 'say which category, e.g. claimcategory set Shipment --team Logistics' })
  .trim()
  .min(1, { error: "the category name cannot be empty" })
  .max(80, { error: "a category name has at most 80 characters" });
const teamArg = z.string({ error: `--team is required: a team name, or ${CLEAR_WORD} for the creator's first team` }).trim().min(1, { error: `--team needs a team name (or ${CLEAR_WORD})` });

const setSchema = z.object({ name: nameArg, team: teamArg });
const addSchema = z.object({ name: nameArg, team: teamArg.optional() });

interface CategoryRow {
  id: string;
  name: string;
  team: { name: string } | null;
}

async function listCategories(deps: Deps, actor: Actor): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const rows = await deps.db.claimCategory.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, team: { select: { name: true } } } });
  return { ok: true, view: categoriesView("Claim categories", rows), data: rows.map((r) => ({ name: r.name, team: r.team?.name ?? null })) };
}

async function addCategory(deps: Deps, actor: Actor, input: z.output<typeof addSchema>): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const taken = await deps.db.claimCategory.findFirst({ where: { name: { equals: input.name, mode: "insensitive" } } });
  if (taken) return refuse(`there is already a claim category named ${taken.name}: change its team with claimcategory set ${quoted(taken.name)} --team …`);
  const team = await teamOf(deps, input.team);
  if (!team.ok) return refuse(team.message);
  const row = await deps.db.$transaction(async (tx) => {
    const created = await tx.claimCategory.create({ data: { name: input.name, teamId: team.id }, select: { id: true, name: true, team: { select: { name: true } } } });
    await audit(tx, actor, created.id, `Claim category ${created.name} added${created.team ? `, routed to ${created.team.name}` : ""}`);
    return created;
  });
  return { ok: true, view: categoriesView(`Added claim category ${row.name}`, [row]), data: { name: row.name, team: row.team?.name ?? null } };
}

async function setCategory(deps: Deps, actor: Actor, input: z.output<typeof setSchema>): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const category = await deps.db.claimCategory.findFirst({ where: { name: { equals: input.name, mode: "insensitive" } } });
  if (!category) {
    const names = (await deps.db.claimCategory.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((c) => c.name);
    return refuse(`there is no claim category named ${input.name} (categories: ${names.join(", ") || "none"}; add one with claimcategory add)`);
  }
  const team = await teamOf(deps, input.team);
  if (!team.ok) return refuse(team.message);
  const row = await deps.db.$transaction(async (tx) => {
    const updated = await tx.claimCategory.update({ where: { id: category.id }, data: { teamId: team.id }, select: { id: true, name: true, team: { select: { name: true } } } });
    await audit(tx, actor, updated.id, `Claim category ${updated.name} now routed to ${updated.team?.name ?? "no team (the creator's first team)"}`);
    return updated;
  });
  return { ok: true, view: categoriesView(`Claim category ${row.name} saved`, [row]), data: { name: row.name, team: row.team?.name ?? null } };
}

async function teamOf(deps: Deps, name: string | undefined): Promise<{ ok: true; id: string | null } | { ok: false; message: string }> {
  if (name === undefined || name.toLowerCase() === CLEAR_WORD) return { ok: true, id: null };
  const found = await findTeam(deps.db, name);
  return found.ok ? { ok: true, id: found.value.id } : { ok: false, message: `--team: ${found.message}` };
}

async function audit(tx: Tx, actor: Actor, id: string, summary: string): Promise<void> {
  const isCli = actor.id === COMMAND_LINE_ACTOR.id;
  await tx.timelineEntry.create({ data: { recordType: "claimcategory", recordId: id, kind: "admin", actorId: isCli ? null : actor.id, summary: isCli ? `${summary} (from the command line)` : summary } });
}

function categoriesView(title: string, rows: CategoryRow[]): MessageView {
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const r of rows) blocks.push({ type: "text", text: `*${r.name}* → ${r.team ? r.team.name : "_no team: the creator's first team_"}` });
  if (!rows.length) blocks.push({ type: "text", text: "No claim categories yet." });
  return { text: `${title}: ${rows.map((r) => `${r.name} → ${r.team?.name ?? "no team"}`).join(", ")}`, blocks };
}

export const claimCategoryListCommand = defineCommand({
  path: "claimcategory list",
  isNounDefault: true,
  summary: "List the claim categories and the team each routes claims to",
  flags: [{ name: "json", help: "Print the categories as JSON", isCliOnly: true }],
  examples: ["claimcategory list"],
  schema: z.object({}),
  run: (deps, actor) => listCategories(deps, actor),
});

export const claimCategoryAddCommand = defineCommand({
  path: "claimcategory add",
  summary: "Add a claim category, optionally routed to a team",
  positional: { name: "name", flag: "name", help: "the category's name", isRequired: true },
  flags: [
    { name: "team", value: "team", help: "The team its claims go to" },
    { name: "json", help: "Print the category as JSON", isCliOnly: true },
  ],
  examples: ['claimcategory add "Warranty" --team Support'],
  schema: addSchema,
  run: addCategory,
});

export const claimCategorySetCommand = defineCommand({
  path: "claimcategory set",
  summary: `Route a claim category to a team (--team ${CLEAR_WORD}: the creator's first team)`,
  positional: { name: "name", flag: "name", help: "the category's name", isRequired: true },
  flags: [
    { name: "team", value: "team", help: `The team its claims go to, or ${CLEAR_WORD}`, isRequired: true },
    { name: "json", help: "Print the category as JSON", isCliOnly: true },
  ],
  examples: ["claimcategory set Shipment --team Logistics", `claimcategory set Invoice --team ${CLEAR_WORD}`],
  schema: setSchema,
  run: setCategory,
});
