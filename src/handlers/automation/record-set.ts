// A rule's "set" action: responsible, team, stage, state, priority or tags of a case, claim or lead (a partner's salesperson), with the same
// invariants the chat handlers keep (stage-case.ts, move-stage.ts, win/lose/restore-lead.ts, claim-actions.ts).
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { FIELDS, type FieldValue, type RecordSnapshot } from "../../domain/automation/fields.js";
import { CASE_PRIORITIES, firstStage, isOpenStage, type StageKind } from "../../domain/cases.js";
import { OPEN_STATES, type ClaimState } from "../../domain/claims.js";
import type { LeadStageKind } from "../../domain/leads.js";
import { scheduleCaseSla } from "../cases/sla.js";
import { stagesOfTeam } from "../cases/load-case.js";
import type { Deps } from "../deps.js";
import { pipelineOfTeam } from "../leads/load-lead.js";

export type SetOutcome = { ok: true; summary: string } | { ok: false; reason: string };
type Failure = { ok: false; reason: string };
type Plan<D> = { data: D; summary: string } | SetOutcome;

const fail = (reason: string): Failure => ({ ok: false, reason });
const done = (summary: string): SetOutcome => ({ ok: true, summary });
const isPlan = <D>(p: Plan<D>): p is { data: D; summary: string } => "data" in p;

const CLAIM_STATES: readonly ClaimState[] = ["new", "in_progress", "settled", "rejected"];
/** As the lead quick form: a tag is a word, not a paragraph. */
const MAX_TAG = 50;
const MAX_TAGS = 30;

/** Text from a rule's value: null for null or blank, undefined for a list (a field that takes one value). */
function asText(value: FieldValue): string | null | undefined {
  if (value === null) return null;
  if (Array.isArray(value)) return undefined;
  const text = String(value).trim();
  return text === "" ? null : text;
}

/** An email names an active user; null or blank means nobody. */
async function personFor(tx: Tx, value: FieldValue): Promise<{ ok: true; id: string | null; label: string } | Failure> {
  const text = asText(value);
  if (text === undefined) return fail("responsible takes one email address");
  if (text === null) return { ok: true, id: null, label: "nobody" };
  const email = text.toLowerCase();
  const user = await tx.user.findFirst({ where: { email: { equals: email, mode: "insensitive" }, isActive: true }, select: { id: true } });
  return user ? { ok: true, id: user.id, label: email } : fail(`no active user ${email}`);
}

async function teamFor(tx: Tx, value: FieldValue): Promise<{ ok: true; id: string; name: string } | Failure> {
  const name = asText(value);
  if (!name) return fail("team takes a team's name");
  const team = await tx.team.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, select: { id: true, name: true } });
  return team ? { ok: true, ...team } : fail(`no team named "${name}"`);
}

function byName<S extends { name: string }>(stages: S[], value: FieldValue): S | undefined {
  const name = asText(value)?.toLowerCase();
  return name ? stages.find((s) => s.name.toLowerCase() === name) : undefined;
}

function priorityOf(value: FieldValue): (typeof CASE_PRIORITIES)[number] | undefined {
  const text = asText(value)?.toLowerCase();
  return CASE_PRIORITIES.find((p) => p === text);
}

/**
 * Sets one settable field (fields.ts) on the record. Never throws for a bad value: says why instead. A value equal to
 * the current one changes nothing ("already …"). Bumps `version`, so cards shown before act once. Writes no timeline
 * entry (the engine writes one per firing). With `deps`, a case's SLA deadlines follow a team, priority or stage change.
 */
export async function applySet(tx: Tx, snapshot: RecordSnapshot, field: string, value: FieldValue, now: Date, deps?: Deps): Promise<SetOutcome> {
  if (!FIELDS[snapshot.type][field]?.settable) return fail(`a rule cannot set ${field} on a ${snapshot.type}`);
  if (snapshot.type === "case") {
    const plan = await planCase(tx, snapshot.id, field, value, now);
    if (!isPlan(plan)) return plan;
    await tx.case.update({ where: { id: snapshot.id }, data: { ...plan.data, version: { increment: 1 } } });
    if (deps && field !== "responsible") await scheduleCaseSla(tx, deps, snapshot.id);
    return done(plan.summary);
  }
  if (snapshot.type === "claim") {
    const plan = await planClaim(tx, snapshot.id, field, value, now);
    if (!isPlan(plan)) return plan;
    await tx.claim.update({ where: { id: snapshot.id }, data: { ...plan.data, version: { increment: 1 } } });
    return done(plan.summary);
  }
  if (snapshot.type === "lead") {
    const plan = await planLead(tx, snapshot.id, field, value, now);
    if (!isPlan(plan)) return plan;
    await tx.lead.update({ where: { id: snapshot.id }, data: { ...plan.data, version: { increment: 1 } } });
    return done(plan.summary);
  }
  if (snapshot.type === "partner") {
    const plan = await planPartner(tx, snapshot.id, field, value);
    if (!isPlan(plan)) return plan;
    // A partner has no version: no card acts on a partner with a button that could be stale.
    await tx.partner.update({ where: { id: snapshot.id }, data: plan.data });
    return done(plan.summary);
  }
  return fail(`a rule cannot set ${field} on a ${snapshot.type}`);
}

/** A partner's salesperson (its responsible person), the one field a rule may set on a partner. */
async function planPartner(tx: Tx, id: string, field: string, value: FieldValue): Promise<Plan<Prisma.PartnerUncheckedUpdateInput>> {
  const p = await tx.partner.findUnique({ where: { id }, select: { salespersonId: true } });
  if (!p) return fail("the partner no longer exists");
  if (field !== "responsible") return fail(`a rule cannot set ${field} on a partner`);
  const who = await personFor(tx, value);
  if (!who.ok) return who;
  if (who.id === p.salespersonId) return done(who.id ? `already the salesperson: ${who.label}` : "already without a salesperson");
  return { data: { salespersonId: who.id }, summary: who.id ? `salesperson set to ${who.label}` : "salesperson removed" };
}

/** Open and waiting stages keep a case open; done and cancelled close it (stage-case.ts). */
function caseStageData(wasOpen: boolean, stage: { id: string; kind: StageKind }, now: Date): Prisma.CaseUncheckedUpdateInput {
  const isOpen = isOpenStage(stage.kind);
  return { stageId: stage.id, isOpen, ...(isOpen ? { closedAt: null } : wasOpen ? { closedAt: now } : {}), ...(stage.kind === "done" ? { progress: 100 } : {}) };
}

async function planCase(tx: Tx, id: string, field: string, value: FieldValue, now: Date): Promise<Plan<Prisma.CaseUncheckedUpdateInput>> {
  const c = await tx.case.findUnique({ where: { id }, include: { stage: true, team: { select: { name: true } }, type: { select: { teamId: true } } } });
  if (!c) return fail("the case no longer exists");
  switch (field) {
    case "responsible": {
      const who = await personFor(tx, value);
      if (!who.ok) return who;
      if (who.id === c.assigneeId) return done(who.id ? `already assigned to ${who.label}` : "already unassigned");
      return { data: { assigneeId: who.id }, summary: who.id ? `assigned to ${who.label}` : "unassigned" };
    }
    case "team": {
      const team = await teamFor(tx, value);
      if (!team.ok) return team;
      if (team.id === c.teamId) return done(`already in team ${c.team.name}`);
      // The new team may have stages of its own: keep the same kind of stage there (change-type.ts).
      const stages = await stagesOfTeam(tx, team.id);
      const stage = stages.find((s) => s.id === c.stageId) ?? firstStage(stages, [c.stage.kind]) ?? firstStage(stages, ["open"]);
      if (!stage) return fail(`team ${team.name} has no case stages`);
      // A case type belongs to a team: a type of the old team no longer fits.
      const typeId = c.type && c.type.teamId !== team.id ? { typeId: null } : {};
      return { data: { teamId: team.id, ...typeId, ...caseStageData(c.isOpen, stage, now) }, summary: `moved to team ${team.name}` };
    }
    case "priority": {
      const priority = priorityOf(value);
      if (!priority) return fail(`case priority is one of ${CASE_PRIORITIES.join(", ")}; not "${String(value)}"`);
      if (priority === c.priority) return done(`already priority ${priority}`);
      return { data: { priority }, summary: `priority set to ${priority}` };
    }
    case "stage": {
      const stages = await stagesOfTeam(tx, c.teamId);
      const stage = byName(stages, value);
      if (!stage) return fail(`no stage "${String(value)}" for team ${c.team.name} (its stages: ${stages.map((s) => s.name).join(", ")})`);
      if (stage.id === c.stageId) return done(`already in stage ${stage.name}`);
      const closing = c.isOpen && !isOpenStage(stage.kind);
      return { data: caseStageData(c.isOpen, stage, now), summary: `stage set to ${stage.name}${closing ? " (closed)" : ""}` };
    }
  }
  return fail(`a rule cannot set ${field} on a case`);
}

async function planClaim(tx: Tx, id: string, field: string, value: FieldValue, now: Date): Promise<Plan<Prisma.ClaimUncheckedUpdateInput>> {
  const c = await tx.claim.findUnique({ where: { id }, include: { team: { select: { name: true } } } });
  if (!c) return fail("the claim no longer exists");
  switch (field) {
    case "responsible": {
      const who = await personFor(tx, value);
      if (!who.ok) return who;
      if (who.id === c.responsibleId) return done(who.id ? `already assigned to ${who.label}` : "already unassigned");
      return { data: { responsibleId: who.id }, summary: who.id ? `assigned to ${who.label}` : "unassigned" };
    }
    case "team": {
      const team = await teamFor(tx, value);
      if (!team.ok) return team;
      if (team.id === c.teamId) return done(`already in team ${team.name}`);
      return { data: { teamId: team.id }, summary: `moved to team ${team.name}` };
    }
    case "state": {
      const text = asText(value)?.toLowerCase().replace(/[\s-]+/g, "_");
      const state = CLAIM_STATES.find((s) => s === text);
      if (!state) return fail(`claim state is one of ${CLAIM_STATES.join(", ")}; not "${String(value)}"`);
      if (state === c.state) return done(`already ${state}`);
      const isOpen = OPEN_STATES.includes(state);
      const closedAt = isOpen ? null : OPEN_STATES.includes(c.state) ? now : c.closedAt;
      return { data: { state, closedAt }, summary: `state set to ${state}` };
    }
    case "priority": {
      const priority = priorityOf(value);
      if (!priority) return fail(`claim priority is one of ${CASE_PRIORITIES.join(", ")}; not "${String(value)}"`);
      if (priority === c.priority) return done(`already priority ${priority}`);
      return { data: { priority }, summary: `priority set to ${priority}` };
    }
  }
  return fail(`a rule cannot set ${field} on a claim`);
}

/** Entering a stage: its probability; won and lost close the record as win-lead.ts and lose-lead.ts do, open reopens it (restore-lead.ts). */
function leadStageData(lead: { isOpen: boolean; wonAt: Date | null; lostAt: Date | null }, stage: { id: string; kind: LeadStageKind; probability: number }, now: Date): Prisma.LeadUncheckedUpdateInput {
  const base = { stageId: stage.id, stageChangedAt: now };
  if (stage.kind === "won") return { ...base, probability: 100, wonAt: lead.wonAt ?? now, lostAt: null, lostReasonId: null, isOpen: false };
  if (stage.kind === "lost") return { ...base, probability: 0, lostAt: lead.lostAt ?? now, wonAt: null, isOpen: false };
  return { ...base, probability: stage.probability, ...(lead.isOpen ? {} : { isOpen: true, wonAt: null, lostAt: null, lostReasonId: null, closingNote: null }) };
}

function tagsOf(value: FieldValue): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return list.map((t) => t.trim().replace(/^#/, "")).filter(Boolean);
}

async function planLead(tx: Tx, id: string, field: string, value: FieldValue, now: Date): Promise<Plan<Prisma.LeadUncheckedUpdateInput>> {
  const l = await tx.lead.findUnique({ where: { id }, include: { stage: true, team: { select: { name: true } } } });
  if (!l || l.mergedIntoId) return fail("the lead no longer exists (or was merged into another)");
  switch (field) {
    case "responsible": {
      const who = await personFor(tx, value);
      if (!who.ok) return who;
      if (who.id === l.salespersonId) return done(who.id ? `already assigned to ${who.label}` : "already unassigned");
      return { data: { salespersonId: who.id }, summary: who.id ? `assigned to ${who.label}` : "unassigned" };
    }
    case "team": {
      const team = await teamFor(tx, value);
      if (!team.ok) return team;
      if (team.id === l.teamId) return done(`already in team ${team.name}`);
      // The new team's pipeline may have its own stages: keep the same kind of stage there.
      const pipeline = await pipelineOfTeam(tx, team.id);
      const stage = pipeline.find((s) => s.id === l.stageId) ?? pipeline.find((s) => s.kind === l.stage.kind);
      if (!stage) return fail(`team ${team.name}'s pipeline has no ${l.stage.kind} stage`);
      return { data: { teamId: team.id, ...(stage.id === l.stageId ? {} : leadStageData(l, stage, now)) }, summary: `moved to team ${team.name}` };
    }
    case "stage": {
      const pipeline = await pipelineOfTeam(tx, l.teamId);
      const stage = byName(pipeline, value);
      if (!stage) return fail(`no stage "${String(value)}" in ${l.team ? `team ${l.team.name}'s` : "the shared"} pipeline (its stages: ${pipeline.map((s) => s.name).join(", ")})`);
      if (stage.id === l.stageId) return done(`already in stage ${stage.name}`);
      return { data: leadStageData(l, stage, now), summary: `stage set to ${stage.name}` };
    }
    case "priority": {
      const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < 0 || n > 3) return fail(`lead priority is 0, 1, 2 or 3; not "${String(value)}"`);
      if (n === l.priority) return done(`already priority ${n}`);
      return { data: { priority: n }, summary: `priority set to ${n}` };
    }
    case "tags": {
      const given = tagsOf(value);
      if (!given.length) return fail("tags takes one or more tags");
      const long = given.find((t) => t.length > MAX_TAG);
      if (long) return fail(`the tag "${long.slice(0, 60)}…" is longer than ${MAX_TAG} characters`);
      const have = new Set(l.tags.map((t) => t.toLowerCase()));
      const fresh = given.filter((t) => !have.has(t.toLowerCase()) && have.add(t.toLowerCase()));
      if (!fresh.length) return done(`already tagged ${given.join(", ")}`);
      if (l.tags.length + fresh.length > MAX_TAGS) return fail(`a lead has at most ${MAX_TAGS} tags`);
      return { data: { tags: [...l.tags, ...fresh] }, summary: `tagged ${fresh.join(", ")}` };
    }
  }
  return fail(`a rule cannot set ${field} on a lead`);
}
