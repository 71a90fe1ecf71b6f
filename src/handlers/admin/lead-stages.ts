// `admin leadstage list|add|remove`: the sales pipeline's stages (Odoo's crm.stage), shared or per sales team.
// As with case stages, a team with stages of its own uses only those; its first `leadstage add` copies the shared
// pipeline to it (and moves its leads to the copies), so it keeps a whole pipeline with won and lost stages.
import { z } from "zod";
import type { Block } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import type { LeadStageKind } from "../../domain/leads.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR, recordAdminChange } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

const KINDS = ["open", "won", "lost"] as const;
const KIND_NOTE: Record<LeadStageKind, string> = { open: "open", won: "won", lost: "lost" };

const stageName = z
  .string({ error: 'the stage\'s name is required, e.g. leadstage add "Demo" --probability 40' })
  .trim()
  .min(1, { error: "the stage's name cannot be empty" })
  .max(60, { error: "a stage's name has at most 60 characters" });
const teamFlag = z.string().trim().min(1, { error: "--team needs a team name" }).optional();

const addSchema = z
  .object({
    name: stageName,
    team: teamFlag,
    kind: z.enum(KINDS, { error: "--kind must be open, won or lost" }).default("open"),
    sequence: z
      .string()
      .regex(/^\d{1,4}$/, { error: "--sequence is a whole number from 1 to 9999 (its place in the pipeline)" })
      .transform(Number)
      .refine((n) => n >= 1, { error: "--sequence starts at 1" })
      .optional(),
    probability: z
      .string()
      .regex(/^\d{1,3}$/, { error: "--probability is a whole number from 0 to 100" })
      .transform(Number)
      .refine((n) => n <= 100, { error: "--probability is a whole number from 0 to 100" })
      .optional(),
  })
  // Odoo fixes won at 100% and lost at 0%; an open stage needs its own chance.
  .superRefine((v, ctx) => {
    if (v.kind === "open" && v.probability === undefined) ctx.addIssue({ code: "custom", message: "--probability is required for an open stage: the chance (0–100) that an opportunity in it is won" });
    if (v.kind === "won" && v.probability !== undefined && v.probability !== 100) ctx.addIssue({ code: "custom", message: "a won stage has probability 100: leave out --probability" });
    if (v.kind === "lost" && v.probability !== undefined && v.probability !== 0) ctx.addIssue({ code: "custom", message: "a lost stage has probability 0: leave out --probability" });
  })
  .transform((v) => ({ ...v, probability: v.probability ?? (v.kind === "won" ? 100 : 0) }));

const removeSchema = z.object({ name: stageName, team: teamFlag });
const listSchema = z.object({ team: teamFlag });

type Team = { id: string; name: string };

async function adminTeam(deps: Deps, actor: Actor, name: string | undefined): Promise<{ ok: true; value: Team | null } | { ok: false; message: string }> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return { ok: false, message: allowed.reason };
  if (name === undefined) return { ok: true, value: null };
  const team = await findTeam(deps.db, name);
  if (!team.ok) return { ok: false, message: `--team: ${team.message}` };
  if (team.value.kind !== "sales") return { ok: false, message: `--team: ${team.value.name} is a ${team.value.kind} team; pipelines belong to sales teams` };
  return { ok: true, value: { id: team.value.id, name: team.value.name } };
}

function stagesOf(db: Deps["db"] | Tx, teamId: string | null) {
  return db.leadStage.findMany({ where: { teamId }, orderBy: [{ sequence: "asc" }, { name: "asc" }], include: { _count: { select: { leads: true } } } });
}

const where = (team: Team | null) => (team ? `the pipeline of ${team.name}` : "the shared pipeline");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function seeThem(ctx: AdminContext, team: Team | null): Block {
  return { type: "context", text: `See them: ${ctx.invocation} leadstage list${team ? ` --team ${quoted(team.name)}` : ""}` };
}

/** Why a stage cannot go: records in it, or it is the pipeline's last stage of its kind (capture, win and lose need one each). */
export function leadStageRemovalProblem(stage: { id: string; name: string; kind: LeadStageKind }, pipeline: { id: string; kind: LeadStageKind }[], leadsInStage: number): string | undefined {
  if (leadsInStage > 0) {
    const what = leadsInStage === 1 ? "1 lead or opportunity is" : `${leadsInStage} leads or opportunities are`;
    return `${what} in ${stage.name}; move ${leadsInStage === 1 ? "it" : "them"} to another stage first`;
  }
  if (!pipeline.some((s) => s.id !== stage.id && s.kind === stage.kind)) return `${stage.name} is the last ${stage.kind} stage; a pipeline needs one`;
  return undefined;
}

async function listStages(deps: Deps, actor: Actor, input: z.output<typeof listSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const own = team.value ? await stagesOf(deps.db, team.value.id) : [];
  const usesShared = !own.length;
  const stages = usesShared ? await stagesOf(deps.db, null) : own;
  const title = team.value ? `Pipeline of ${team.value.name}${usesShared ? " (the shared stages)" : ""}` : "Shared pipeline stages";
  const lines = stages.map((s) => `${s.sequence}. *${s.name}* — ${KIND_NOTE[s.kind]}, ${s.probability}%${s._count.leads ? ` · ${plural(s._count.leads, "record")}` : ""}`);
  const blocks: Block[] = [{ type: "header", text: title }, { type: "text", text: lines.join("\n") || "No stages." }];
  if (!team.value) {
    const withOwn = await deps.db.team.findMany({ where: { leadStages: { some: {} } }, select: { name: true }, orderBy: { name: "asc" } });
    blocks.push({ type: "context", text: withOwn.length ? `Teams with their own pipeline: ${withOwn.map((t) => t.name).join(", ")} (see --team).` : "Every sales team uses these stages." });
  } else if (usesShared) {
    blocks.push({ type: "context", text: `${team.value.name} has no stages of its own; \`${ctx.invocation} leadstage add <name> --probability <0-100> --team ${quoted(team.value.name)}\` gives it its own (starting from a copy of these).` });
  }
  const data = stages.map((s) => ({ id: s.id, name: s.name, sequence: s.sequence, kind: s.kind, probability: s.probability, team: s.teamId ? team.value?.name : null, leads: s._count.leads }));
  return { ok: true, view: { text: `${title}: ${stages.map((s) => s.name).join(", ")}`, blocks }, data };
}

async function copySharedStages(tx: Tx, teamId: string): Promise<string[]> {
  const shared = await tx.leadStage.findMany({ where: { teamId: null }, orderBy: { sequence: "asc" } });
  for (const s of shared) {
    const copy = await tx.leadStage.create({ data: { teamId, name: s.name, sequence: s.sequence, kind: s.kind, probability: s.probability } });
    await tx.lead.updateMany({ where: { teamId, stageId: s.id }, data: { stageId: copy.id } });
  }
  return shared.map((s) => s.name);
}

async function audit(tx: Tx, actor: Actor, team: Team | null, stageId: string, summary: string, data: Record<string, unknown>): Promise<void> {
  if (team) return recordAdminChange(tx, actor, { type: "team", id: team.id }, summary, data);
  await tx.timelineEntry.create({
    data: { recordType: "lead-stage", recordId: stageId, kind: "admin", actorId: actor.id === COMMAND_LINE_ACTOR.id ? null : actor.id, summary, data: JSON.parse(JSON.stringify(data)) },
  });
}

async function addStage(deps: Deps, actor: Actor, input: z.output<typeof addSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const teamId = team.value?.id ?? null;
  const outcome = await deps.db.$transaction(async (tx) => {
    let copied: string[] = [];
    if (team.value && (await tx.leadStage.count({ where: { teamId } })) === 0) copied = await copySharedStages(tx, team.value.id);
    const stages = await stagesOf(tx, teamId);
    const taken = stages.find((s) => s.name.toLowerCase() === input.name.toLowerCase());
    if (taken) return { ok: false as const, message: `${where(team.value)} already has a stage ${taken.name}` };
    const sequence = input.sequence ?? stages.reduce((max, s) => Math.max(max, s.sequence), 0) + 1;
    // Inserting at a place already taken moves that stage and the later ones down by one.
    if (stages.some((s) => s.sequence === sequence)) await tx.leadStage.updateMany({ where: { teamId, sequence: { gte: sequence } }, data: { sequence: { increment: 1 } } });
    const stage = await tx.leadStage.create({ data: { teamId, name: input.name, sequence, kind: input.kind, probability: input.probability } });
    await audit(tx, actor, team.value, stage.id, `Pipeline stage ${stage.name} (${stage.kind}, ${stage.probability}%) added to ${where(team.value)}`, { stageId: stage.id, name: stage.name, kind: stage.kind, sequence, probability: stage.probability, copiedShared: copied });
    return { ok: true as const, stage, copied };
  });
  if (!outcome.ok) return refuse(outcome.message);
  const { stage, copied } = outcome;
  const lines = [`Stage *${stage.name}* (${stage.kind}, ${stage.probability}%) added to ${where(team.value)} at place ${stage.sequence}.`];
  if (copied.length) lines.push(`${team.value!.name} had no stages of its own, so the shared ones were copied to it first (${copied.join(", ")}); its leads kept their stage.`);
  return {
    ok: true,
    view: { text: lines.join(" ").replace(/\*/g, ""), blocks: [{ type: "text", text: lines.join("\n") }, seeThem(ctx, team.value)] },
    data: { id: stage.id, name: stage.name, kind: stage.kind, sequence: stage.sequence, probability: stage.probability, team: team.value?.name ?? null, copiedShared: copied },
  };
}

async function removeStage(deps: Deps, actor: Actor, input: z.output<typeof removeSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const outcome = await deps.db.$transaction(async (tx) => {
    const stages = await stagesOf(tx, team.value?.id ?? null);
    if (team.value && !stages.length) return { ok: false as const, message: `${team.value.name} has no stages of its own (it uses the shared pipeline); to remove a shared stage leave out --team` };
    const stage = stages.find((s) => s.name.toLowerCase() === input.name.toLowerCase());
    if (!stage) return { ok: false as const, message: `${where(team.value)} has no stage ${quoted(input.name)} (its stages: ${stages.map((s) => s.name).join(", ")})` };
    const problem = leadStageRemovalProblem(stage, stages, stage._count.leads);
    if (problem) return { ok: false as const, message: `cannot remove ${stage.name} from ${where(team.value)}: ${problem}` };
    await tx.leadStage.delete({ where: { id: stage.id } });
    await audit(tx, actor, team.value, stage.id, `Pipeline stage ${stage.name} removed from ${where(team.value)}`, { stageId: stage.id, name: stage.name });
    return { ok: true as const, stage };
  });
  if (!outcome.ok) return refuse(outcome.message);
  const text = `Stage ${outcome.stage.name} removed from ${where(team.value)}.`;
  return { ok: true, view: { text, blocks: [{ type: "text", text }, seeThem(ctx, team.value)] }, data: { id: outcome.stage.id, name: outcome.stage.name } };
}

const teamSpec = { name: "team", value: "team", help: "The sales team whose pipeline this is (leave out for the shared pipeline)" };
const namePositional = { name: "name", flag: "name", help: "the stage's name (or --name)" };

export const listLeadStagesCommand = defineCommand({
  path: "leadstage list",
  isNounDefault: true,
  summary: "List the pipeline stages of a sales team (or the shared ones)",
  flags: [teamSpec, { name: "json", help: "Print the stages as JSON", isCliOnly: true }],
  examples: ["leadstage list", "leadstage list --team Sales"],
  schema: listSchema,
  run: listStages,
});

export const addLeadStageCommand = defineCommand({
  path: "leadstage add",
  summary: "Add a pipeline stage (a team's first own stage copies the shared pipeline)",
  positional: namePositional,
  flags: [
    { name: "name", value: "name", help: "The stage's name, e.g. Demo" },
    teamSpec,
    { name: "kind", value: "kind", help: "open (default), won or lost" },
    { name: "probability", value: "0-100", help: "The chance an opportunity in it is won (required for open stages; won is 100, lost 0)" },
    { name: "sequence", value: "number", help: "Its place in the pipeline; later stages move down. Default: last" },
    { name: "json", help: "Print the stage as JSON", isCliOnly: true },
  ],
  examples: ['leadstage add "Demo" --sequence 3 --probability 40 --team Sales', 'leadstage add "Won (signed)" --kind won'],
  schema: addSchema,
  run: addStage,
});

export const removeLeadStageCommand = defineCommand({
  path: "leadstage remove",
  summary: "Remove a pipeline stage (refused while leads are in it, or if it is the last open, won or lost stage)",
  positional: namePositional,
  flags: [{ name: "name", value: "name", help: "The stage's name" }, teamSpec, { name: "json", help: "Print the removed stage as JSON", isCliOnly: true }],
  examples: ['leadstage remove "Demo" --team Sales'],
  schema: removeSchema,
  run: removeStage,
});
