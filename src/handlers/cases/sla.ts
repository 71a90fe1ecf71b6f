// SLA scheduling for cases: recompute the due times from the team's policy and queue the breach jobs.
import { createHash } from "node:crypto";
import { dueAtFor, needsWatch, pausedMs, SLA_KINDS, slaDueTimes } from "../../domain/sla.js";
import type { Tx } from "../../db/outbox.js";
import { caseSlaJob } from "../../jobs/case-sla.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";

/**
 * Recompute firstResponseDueAt/resolutionDueAt on the case (from createdAt and the SLA policy of its
 * team and priority) and send a breach job for each deadline still to watch, at its exact due time.
 * Called after create and after every change of team, priority or stage, closing and reopening.
 * Jobs made stale by a later change are no-ops (the job carries the due time it was made for).
 * Does not bump the case's version: due times are derived, and the card's buttons stay valid.
 */
export async function scheduleCaseSla(tx: Tx, deps: Deps, caseId: string): Promise<void> {
  await noteFirstResponseFromTimeline(tx, caseId);
  const c = await tx.case.findUnique({ where: { id: caseId }, include: { stage: { select: { kind: true } } } });
  if (!c) return;
  const policy = await tx.slaPolicy.findUnique({ where: { teamId_priority: { teamId: c.teamId, priority: c.priority } } });
  const paused = await pauseClock(tx, deps, c.id, c.isOpen && c.stage.kind === "waiting" && Boolean(policy));
  const due = slaDueTimes(c.createdAt, policy, paused);
  if (due.firstResponseDueAt?.getTime() !== c.firstResponseDueAt?.getTime() || due.resolutionDueAt?.getTime() !== c.resolutionDueAt?.getTime()) {
    await tx.case.update({ where: { id: c.id }, data: due });
  }
  const state = { ...c, ...due, stageKind: c.stage.kind };
  for (const kind of SLA_KINDS) {
    if (!needsWatch(state, kind)) continue;
    const dueAt = dueAtFor(state, kind)!;
    // Inside the caller's transaction: no job for a change that rolls back.
    const payload = { caseId: c.id, kind, dueAt: dueAt.toISOString() };
    // One job per case version and deadline: rescheduling twice in one change sends it once.
    await deps.jobs.send(caseSlaJob, payload, { id: slaJobId(payload, c.version), startAfter: dueAt, db: prismaExecutor(tx) });
  }
}

/** A UUID derived from the job's payload and the case's version (pg-boss job ids are UUIDs). */
function slaJobId(payload: { caseId: string; kind: string; dueAt: string }, version: number): string {
  const h = createHash("sha256").update(`${payload.caseId}|${payload.kind}|${payload.dueAt}|${version}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Pauses the clock while the case waits, resumes it after; returns the total paused milliseconds. */
async function pauseClock(tx: Tx, deps: Pick<Deps, "now">, caseId: string, shouldPause: boolean): Promise<number> {
  const entries = await tx.timelineEntry.findMany({
    where: { recordType: "case", recordId: caseId, kind: { in: ["sla-paused", "sla-resumed"] } },
    orderBy: { createdAt: "asc" },
    select: { kind: true, createdAt: true },
  });
  const marks = entries.map((e) => ({ kind: e.kind as "sla-paused" | "sla-resumed", at: e.createdAt }));
  const now = deps.now();
  const state = pausedMs(marks, now);
  if (shouldPause !== state.isPaused) {
    const kind = shouldPause ? "sla-paused" : "sla-resumed";
    const summary = shouldPause ? "SLA clock paused while the case waits for data" : "SLA clock running again";
    await tx.timelineEntry.create({ data: { recordType: "case", recordId: caseId, kind, actorId: null, summary, createdAt: now } });
    marks.push({ kind, at: now });
  }
  return pausedMs(marks, now).total;
}

/** Records the first response when `actorId` is not the case's creator (assign to self, a note, a stage change…). */
export async function noteFirstResponse(tx: Tx, deps: Pick<Deps, "now">, caseId: string, actorId: string): Promise<void> {
  await tx.case.updateMany({
    where: { id: caseId, firstResponseAt: null, OR: [{ createdById: null }, { createdById: { not: actorId } }] },
    data: { firstResponseAt: deps.now() },
  });
}

/**
 * The first response, read from the timeline: the earliest entry written by a person other than the
 * creator. Handlers need not call anything for the first-response clock to stop; this runs on every
 * reschedule and before every breach decision.
 */
export async function noteFirstResponseFromTimeline(tx: Tx, caseId: string): Promise<void> {
  const c = await tx.case.findUnique({ where: { id: caseId }, select: { firstResponseAt: true, createdById: true } });
  if (!c || c.firstResponseAt) return;
  const first = await tx.timelineEntry.findFirst({
    where: { recordType: "case", recordId: caseId, AND: [{ actorId: { not: null } }, ...(c.createdById ? [{ actorId: { not: c.createdById } }] : [])] },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  if (first) await tx.case.updateMany({ where: { id: caseId, firstResponseAt: null }, data: { firstResponseAt: first.createdAt } });
}
