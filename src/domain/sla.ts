// Service levels for cases (per team and priority): due times, whether a target was met, durations.
//
// Decisions (docs/cases.md, "Escalation and SLA"):
// - Both clocks start at the case's createdAt and run in wall-clock time (no business hours).
// - First response is met once `firstResponseAt` is set: the first action on the case by someone other
//   than its creator (assigning it to themselves, a note, a stage change, a thread reply, an escalation…).
// - The clock pauses while the case is in a `waiting` stage ("waiting for data"): the time spent waiting
//   is added to both due times. Pauses are recorded as timeline entries "sla-paused"/"sla-resumed"
//   (written by scheduleCaseSla), from which the paused time is summed.
// - Closed cases (done/cancelled) are never escalated; reopening schedules the jobs again.
import type { StageKind } from "./cases.js";

export type SlaKind = "first-response" | "resolution";
export const SLA_KINDS: readonly SlaKind[] = ["first-response", "resolution"];

export interface SlaTargets {
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

export interface SlaDue {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/** Due times: createdAt + the target + the time the clock was paused. */
export function slaDueTimes(createdAt: Date, policy: SlaTargets | null, pausedMs = 0): SlaDue {
  const plus = (minutes: number | null | undefined) => (minutes == null ? null : new Date(createdAt.getTime() + minutes * 60_000 + pausedMs));
  return { firstResponseDueAt: plus(policy?.firstResponseMinutes), resolutionDueAt: plus(policy?.resolutionMinutes) };
}

export interface SlaCaseState {
  isOpen: boolean;
  stageKind: StageKind;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaEscalated: string[];
}

export function dueAtFor(c: Pick<SlaCaseState, "firstResponseDueAt" | "resolutionDueAt">, kind: SlaKind): Date | null {
  return kind === "first-response" ? c.firstResponseDueAt : c.resolutionDueAt;
}

/** Is the target met (so there is nothing to escalate)? Resolution is met by closing. */
export function isMet(c: Pick<SlaCaseState, "isOpen" | "firstResponseAt">, kind: SlaKind): boolean {
  return kind === "first-response" ? c.firstResponseAt !== null || !c.isOpen : !c.isOpen;
}

/** Should a breach job be (re)scheduled for this deadline? */
export function needsWatch(c: SlaCaseState, kind: SlaKind): boolean {
  return c.isOpen && c.stageKind !== "waiting" && dueAtFor(c, kind) !== null && !isMet(c, kind) && !c.slaEscalated.includes(kind);
}

export type BreachDecision = { act: true } | { act: false; why: "closed" | "stale" | "met" | "already" | "waiting" | "early" };

/** At a breach job: act only if the case is open, the due time is still the job's, it is past, the target unmet and not yet escalated. */
export function breachDecision(c: SlaCaseState, kind: SlaKind, jobDueAt: string, now: Date): BreachDecision {
  const due = dueAtFor(c, kind);
  if (!c.isOpen) return { act: false, why: "closed" };
  if (!due || due.toISOString() !== jobDueAt) return { act: false, why: "stale" };
  if (isMet(c, kind)) return { act: false, why: "met" };
  if (c.slaEscalated.includes(kind)) return { act: false, why: "already" };
  if (c.stageKind === "waiting") return { act: false, why: "waiting" };
  if (due.getTime() > now.getTime() + 1000) return { act: false, why: "early" };
  return { act: true };
}

/** Reads "30m", "4h", "2d", "1h30m", or a bare number of minutes; undefined when unreadable or not 1 min–365 days. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return bounded(Number(t));
  const m = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?$/.exec(t);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return bounded(Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
}

function bounded(minutes: number): number | undefined {
  return minutes >= 1 && minutes <= 365 * 1440 ? minutes : undefined;
}

/** 90 → "1h 30m", 2880 → "2d", null → "none". */
export function formatDuration(minutes: number | null): string {
  if (minutes === null) return "none";
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join(" ") || "0m";
}

export function slaKindLabel(kind: SlaKind): string {
  return kind === "first-response" ? "first response" : "resolution";
}

/** Total paused time from the pause/resume marks (oldest first); a pause still running counts up to `now`. */
export function pausedMs(marks: { kind: "sla-paused" | "sla-resumed"; at: Date }[], now: Date): { total: number; isPaused: boolean } {
  let total = 0;
  let since: Date | null = null;
  for (const m of marks) {
    if (m.kind === "sla-paused" && !since) since = m.at;
    if (m.kind === "sla-resumed" && since) {
      total += Math.max(0, m.at.getTime() - since.getTime());
      since = null;
    }
  }
  if (since) total += Math.max(0, now.getTime() - since.getTime());
  return { total, isPaused: since !== null };
}
