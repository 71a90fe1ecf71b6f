// Case rules (OpenERP case tracking / eFactory): references, the quick form, priorities, stages, work order.
import type { Parsed } from "./calls.js";

export type CasePriority = "low" | "medium" | "high" | "urgent";
export type StageKind = "open" | "waiting" | "done" | "cancelled";
export type CaseOrigin = "email" | "phone" | "web" | "chat" | "meeting" | "social" | "internal" | "idea";

export const CASE_PRIORITIES: readonly CasePriority[] = ["low", "medium", "high", "urgent"];
export const CASE_ORIGINS: readonly CaseOrigin[] = ["email", "phone", "web", "chat", "meeting", "social", "internal", "idea"];
export const MAX_SUBJECT = 300;

export function caseReference(number: number): string {
  return `CASE-${String(number).padStart(4, "0")}`;
}

/** Reads "CASE-0042" or "case-42" as a case number; a bare number is not a reference (it could be a subject). */
export function parseCaseReference(text: string): number | undefined {
  const m = /^case-0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** Higher is more pressing. */
export function priorityRank(priority: CasePriority): number {
  return CASE_PRIORITIES.indexOf(priority);
}

export function priorityLabel(priority: CasePriority): string {
  return priority[0]!.toUpperCase() + priority.slice(1);
}

/** Open and waiting stages keep a case open; done and cancelled close it. */
export function isOpenStage(kind: StageKind): boolean {
  return kind === "open" || kind === "waiting";
}

export interface StageLike {
  id: string;
  kind: StageKind;
  sequence: number;
}

/** The first stage (by sequence) of the given kinds. */
export function firstStage<S extends StageLike>(stages: S[], kinds: StageKind[]): S | undefined {
  return [...stages].sort((a, b) => a.sequence - b.sequence).find((s) => kinds.includes(s.kind));
}

/** A team's own stages if it has any, else the shared ones (teamId null). */
export function stagesForTeam<S extends { teamId: string | null }>(stages: S[], teamId: string): S[] {
  const own = stages.filter((s) => s.teamId === teamId);
  return own.length ? own : stages.filter((s) => s.teamId === null);
}

/** "Next cases to work": level descending, then priority descending, then oldest first. */
export function compareNextToWork(
  a: { level: number; priority: CasePriority; createdAt: Date },
  b: { level: number; priority: CasePriority; createdAt: Date },
): number {
  return b.level - a.level || priorityRank(b.priority) - priorityRank(a.priority) || a.createdAt.getTime() - b.createdAt.getTime();
}

export interface QuickCase {
  partnerName?: string;
  subject: string;
  priority?: CasePriority;
  /** The case type as typed after "#" (matched against the known types by the caller or `matchCaseType`). */
  typeName?: string;
}

const QUICK_CASE_EXAMPLE = "/crm case Acme: printer jams on tray 2 !high #hardware";

/**
 * Reads the quick form "[PARTNER:] subject [!priority] [#type]".
 * `!low|!medium|!high|!urgent` sets the priority; `#word` names the case type.
 */
export function parseQuickCase(text: string): Parsed<QuickCase> {
  let rest = text.trim();
  let priority: CasePriority | undefined;
  let typeName: string | undefined;
  const bang = [...rest.matchAll(/(?:^|\s)!(\S+)/g)];
  if (bang.length > 1) return { ok: false, reason: "Give at most one priority (!low, !medium, !high or !urgent)." };
  if (bang[0]) {
    const word = bang[0][1]!.toLowerCase();
    if (!(CASE_PRIORITIES as readonly string[]).includes(word)) return { ok: false, reason: `Unknown priority “!${bang[0][1]}”: use !low, !medium, !high or !urgent.` };
    priority = word as CasePriority;
    rest = rest.replace(bang[0][0], " ");
  }
  const hash = [...rest.matchAll(/(?:^|\s)#(\p{L}[\p{L}\p{N}_-]*)(?=\s|$)/gu)];
  if (hash.length > 1) return { ok: false, reason: "Give at most one case type (#hardware)." };
  if (hash[0]) {
    typeName = hash[0][1]!;
    rest = rest.replace(hash[0][0], " ");
  }
  rest = rest.replace(/\s{2,}/g, " ").trim();
  let partnerName: string | undefined;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    partnerName = rest.slice(0, colon).trim();
    rest = rest.slice(colon + 1).trim();
    if (!partnerName) return { ok: false, reason: `The partner is missing before the colon, e.g. \`${QUICK_CASE_EXAMPLE}\`.` };
    if (partnerName.length > 200) return { ok: false, reason: "The partner name is longer than 200 characters." };
  }
  if (!rest) return { ok: false, reason: `Say what the case is about, e.g. \`${QUICK_CASE_EXAMPLE}\`.` };
  if (rest.length > MAX_SUBJECT) return { ok: false, reason: `The subject is longer than ${MAX_SUBJECT} characters; use the form (/crm case) and put details in the description.` };
  return { ok: true, value: { partnerName, subject: rest, priority, typeName } };
}

/** Matches a typed case type name against the known ones, case-insensitively. */
export function matchCaseType<T extends { name: string }>(typed: string, types: T[]): Parsed<T> {
  const found = types.find((t) => t.name.toLowerCase() === typed.toLowerCase());
  if (found) return { ok: true, value: found };
  const known = types.map((t) => t.name).sort();
  return {
    ok: false,
    reason: known.length
      ? `There is no case type “${typed}”. The case types are: ${known.join(", ")}.`
      : `There is no case type “${typed}”: no case types are set up yet (an admin adds them with /crm admin casetype add).`,
  };
}
