// `admin stage list|add|remove`: case stages per team. A team with stages of its own uses only those; the others
// use the shared stages (no team). The first `stage add` for a team copies the shared stages to it (and moves its
// cases to the copies), so the team keeps a whole workflow with a done and a cancelled stage.
import { z } from "zod";
import type { Block, MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { stageRemovalProblem, type StageKind } from "../../domain/cases.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR, recordAdminChange } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

const KINDS = ["open", "waiting", "done", "cancelled"] as const;
const KIND_NOTE: Record<StageKind, string> = { open: "open", waiting: "waiting (SLA paused)", done: "done (closes)", cancelled: "cancelled (closes)" };

const stageName = z
  .string({ error: 'the stage\'s name is required, e.g. stage add "Triage" --team Support' })
  .trim()
  .min(1, { error: "the stage's name cannot be empty" })
  .max(60, { error: "a stage's name has at most 60 characters" });

const teamFlag = z.string().trim().min(1, { error: "--team needs a team name" }).optional();

const addSchema = z.object({
  name: stageName,
  team: teamFlag,
  kind: z.enum(KINDS, { error: "--kind must be open, waiting, done or cancelled" }).default("open"),
  sequence: z
    .string()
    .regex(/^\d{1,4}$/, { error: "--sequence is a whole number from 1 to 9999 (its place in the workflow)" })
    .transform(Number)
    .refine((n) => n >= 1, { error: "--sequence starts at 1" })
    .optional(),
});

const removeSchema = z.object({ name: stageName, team: teamFlag });
const listSchema = z.object({ team: teamFlag });

type Team = { id: string; name: string };
type Found<T> = { ok: true; value: T } | { ok: false; message: string };

/** Every stage command is for admins and takes an optional --team (none: the shared stages). */
async function adminTeam(deps: Deps, actor: Actor, name: string | undefined): Promise<Found<Team | null>> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return { ok: false, message: allowed.reason };
  if (name === undefined) return { ok: true, value: null };
  const team = await findTeam(deps.db, name);
  return team.ok ? { ok: true, value: { id: team.value.id, name: team.value.name } } : { ok: false, message: `--team: ${team.message}` };
}

function stagesOf(db: Deps["db"] | Tx, teamId: string | null) {
  return db.caseStage.findMany({ where: { teamId }, orderBy: [{ sequence: "asc" }, { name: "asc" }], include: { _count: { select: { cases: true } } } });
}

function where(team: Team | null): string {
  return team ? team.name : "the shared stages";
}

function seeThemBlock(ctx: AdminContext, team: Team | null): Block {
  return { type: "context", text: `See them: ${ctx.invocation} stage list${team ? ` --team ${quoted(team.name)}` : ""}` };
}

async function listStages(deps: Deps, actor: Actor, input: z.output<typeof listSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const own = team.value ? await stagesOf(deps.db, team.value.id) : [];
  const usesShared = !own.length;
  const stages = usesShared ? await stagesOf(deps.db, null) : own;
  const title = team.value ? `Case stages of ${team.value.name}${usesShared ? " (the shared stages)" : ""}` : "Shared case stages";
  const lines = stages.map((s) => `${s.sequence}. *${s.name}* — ${KIND_NOTE[s.kind]}${s._count.cases ? ` · ${s._count.cases} case${s._count.cases === 1 ? "" : "s"}` : ""}`);
  const blocks: Block[] = [{ type: "header", text: title }, { type: "text", text: lines.join("\n") || "No stages." }];
  if (!team.value) {
    const withOwn = await deps.db.team.findMany({ where: { caseStages: { some: {} } }, select: { name: true }, orderBy: { name: "asc" } });
    blocks.push({ type: "context", text: withOwn.length ? `Teams with their own stages: ${withOwn.map((t) => t.name).join(", ")} (see --team).` : "Every team uses these stages." });
  } else if (usesShared) {
    blocks.push({ type: "context", text: `${team.value.name} has no stages of its own; \`${ctx.invocation} stage add <name> --team ${quoted(team.value.name)}\` gives it its own (starting from a copy of these).` });
  }
  const data = stages.map((s) => ({ id: s.id, name: s.name, sequence: s.sequence, kind: s.kind, team: s.teamId ? team.value?.name : null, cases: s._count.cases }));
  return { ok: true, view: { text: `${title}: ${stages.map((s) => s.name).join(", ")}`, blocks }, data };
}

/** Copies the shared stages to the team and moves its cases from each shared stage to the copy of the same name. */
async function copySharedStages(tx: Tx, teamId: string): Promise<string[]> {
  const shared = await tx.caseStage.findMany({ where: { teamId: null }, orderBy: { sequence: "asc" } });
  for (const s of shared) {
    const copy = await tx.caseStage.create({ data: { teamId, name: s.name, sequence: s.sequence, kind: s.kind } });
    await tx.case.updateMany({ where: { teamId, stageId: s.id }, data: { stageId: copy.id } });
  }
  return shared.map((s) => s.name);
}

async function audit(tx: Tx, actor: Actor, team: Team | null, stageId: string, summary: string, data: Record<string, unknown>): Promise<void> {
  if (team) return recordAdminChange(tx, actor, { type: "team", id: team.id }, summary, data);
  await tx.timelineEntry.create({
    data: { recordType: "case-stage", recordId: stageId, kind: "admin", actorId: actor.id === COMMAND_LINE_ACTOR.id ? null : actor.id, summary, data: JSON.parse(JSON.stringify(data)) },
  });
}

async function addStage(deps: Deps, actor: Actor, input: z.output<typeof addSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const outcome = await deps.db.$transaction(async (tx) => {
    let copied: string[] = [];
    if (team.value && (await tx.caseStage.count({ where: { teamId: team.value.id } })) === 0) copied = await copySharedStages(tx, team.value.id);
    const stages = await stagesOf(tx, team.value?.id ?? null);
    const taken = stages.find((s) => s.name.toLowerCase() === input.name.toLowerCase());
    if (taken) return { ok: false as const, message: `${where(team.value)} already ${team.value ? "has" : "have"} a stage ${taken.name}` };
    const last = stages.reduce((max, s) => Math.max(max, s.sequence), 0);
    const sequence = input.sequence ?? last + 1;
    // Inserting at a place already taken moves that stage and the later ones down by one.
    if (stages.some((s) => s.sequence === sequence)) await tx.caseStage.updateMany({ where: { teamId: team.value?.id ?? null, sequence: { gte: sequence } }, data: { sequence: { increment: 1 } } });
    const stage = await tx.caseStage.create({ data: { teamId: team.value?.id ?? null, name: input.name, sequence, kind: input.kind } });
    await audit(tx, actor, team.value, stage.id, `Case stage ${stage.name} (${stage.kind}) added to ${where(team.value)}`, { stageId: stage.id, name: stage.name, kind: stage.kind, sequence, copiedShared: copied });
    return { ok: true as const, stage, copied };
  });
  if (!outcome.ok) return refuse(outcome.message);
  const { stage, copied } = outcome;
  const lines = [`Stage *${stage.name}* (${stage.kind}) added to ${where(team.value)} at place ${stage.sequence}.`];
  if (copied.length) lines.push(`${team.value!.name} had no stages of its own, so the shared ones were copied to it first (${copied.join(", ")}); its cases kept their stage. From now on its cases use only its own stages.`);
  const view: MessageView = {
    text: lines.join(" ").replace(/\*/g, ""),
    blocks: [{ type: "text", text: lines.join("\n") }, seeThemBlock(ctx, team.value)],
  };
  return { ok: true, view, data: { id: stage.id, name: stage.name, kind: stage.kind, sequence: stage.sequence, team: team.value?.name ?? null, copiedShared: copied } };
}

async function removeStage(deps: Deps, actor: Actor, input: z.output<typeof removeSchema>, ctx: AdminContext): Promise<AdminResult> {
  const team = await adminTeam(deps, actor, input.team);
  if (!team.ok) return refuse(team.message);
  const outcome = await deps.db.$transaction(async (tx) => {
    const stages = await stagesOf(tx, team.value?.id ?? null);
    if (team.value && !stages.length) {
      return { ok: false as const, message: `${team.value.name} has no stages of its own (it uses the shared ones); to remove a shared stage leave out --team` };
    }
    const stage = stages.find((s) => s.name.toLowerCase() === input.name.toLowerCase());
    if (!stage) return { ok: false as const, message: `${where(team.value)} ${team.value ? "has" : "have"} no stage ${quoted(input.name)} (${team.value ? "its" : "they are"} ${stages.map((s) => s.name).join(", ")})` };
    const problem = stageRemovalProblem(stage, stages, stage._count.cases);
    if (problem) return { ok: false as const, message: `cannot remove ${stage.name} from ${where(team.value)}: ${problem}` };
    await tx.caseStage.delete({ where: { id: stage.id } });
    await audit(tx, actor, team.value, stage.id, `Case stage ${stage.name} removed from ${where(team.value)}`, { stageId: stage.id, name: stage.name });
    return { ok: true as const, stage };
  });
  if (!outcome.ok) return refuse(outcome.message);
  const text = `Stage ${outcome.stage.name} removed from ${where(team.value)}.`;
  return { ok: true, view: { text, blocks: [{ type: "text", text }, seeThemBlock(ctx, team.value)] }, data: { id: outcome.stage.id, name: outcome.stage.name } };
}

const teamSpec = { name: "team", value: "team", help: "The team whose stages these are (leave out for the shared stages)" };
const namePositional = { name: "name", flag: "name", help: "the stage's name (or --name)" };

export const listStagesCommand = defineCommand({
  path: "stage list",
  isNounDefault: true,
  summary: "List the case stages of a team (or the shared ones)",
  flags: [teamSpec, { name: "json", help: "Print the stages as JSON", isCliOnly: true }],
  examples: ["stage list", "stage list --team Support"],
  schema: listSchema,
  run: listStages,
});

export const addStageCommand = defineCommand({
  path: "stage add",
  summary: "Add a case stage to a team (its first own stage copies the shared ones)",
  positional: namePositional,
  flags: [
    { name: "name", value: "name", help: "The stage's name, e.g. Triage" },
    teamSpec,
    { name: "kind", value: "kind", help: "open (default), waiting (pauses the SLA), done or cancelled (both close the case)" },
    { name: "sequence", value: "number", help: "Its place in the workflow (1 = first); later stages move down. Default: last" },
    { name: "json", help: "Print the stage as JSON", isCliOnly: true },
  ],
  examples: ['stage add "Triage" --team Support --kind open --sequence 2', 'stage add "On hold" --team Support --kind waiting'],
  schema: addSchema,
  run: addStage,
});

export const removeStageCommand = defineCommand({
  path: "stage remove",
  summary: "Remove a case stage (refused while cases are in it, or if it is the last done or cancelled stage)",
  positional: namePositional,
  flags: [{ name: "name", value: "name", help: "The stage's name" }, teamSpec, { name: "json", help: "Print the removed stage as JSON", isCliOnly: true }],
  examples: ['stage remove "Triage" --team Support'],
  schema: removeSchema,
  run: removeStage,
});
