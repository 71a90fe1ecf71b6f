// Case rules (OpenERP case tracking / eFactory): references, the quick form, priorities, stages, work order.
import type { Parsed } from "./calls.js";

export type CasePriority = "low" | "medium" | "high" | "urgent";
export type StageKind = "open" | "waiting" | "done" | "cancelled";

export const CASE_PRIORITIES: readonly CasePriority[] = ["low", "medium", "high", "urgent"];
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

// ── Watchers (cases and claims) ──

/** The changes user watchers hear about, by the timeline kind of the change. */
export type WatcherEvent = "reassigned" | "escalated" | "closed" | "reopened";

const WATCHER_EVENTS: Record<string, WatcherEvent> = { assigned: "reassigned", escalated: "escalated", closed: "closed", reopened: "reopened" };

export function watcherEventOf(kind: string): WatcherEvent | undefined {
  return WATCHER_EVENTS[kind];
}

/** The user watchers to DM about a change: each once, never the person who acted, nor anyone already told (the new assignee). */
export function watchersToTell(watcherUserIds: (string | null)[], actorId: string | null, alreadyTold: (string | null | undefined)[] = []): string[] {
  const skip = new Set([actorId, ...alreadyTold].filter((id): id is string => Boolean(id)));
  return [...new Set(watcherUserIds.filter((id): id is string => Boolean(id) && !skip.has(id!)))];
}

export type WatcherChoice = { kind: "user"; userId: string } | { kind: "email"; email: string };

/** The "Add watcher" form: a user or an email address, exactly one; the email is checked and lower-cased. */
export function readWatcherChoice(input: { user?: string; email?: string }): { ok: true; value: WatcherChoice } | { ok: false; errors: Record<string, string> } {
  const user = input.user?.trim() || undefined;
  const email = input.email?.trim() || undefined;
  if (user && email) return { ok: false, errors: { email: "Give a person or an email address, not both." } };
  if (!user && !email) return { ok: false, errors: { user: "Choose a person, or type an email address below." } };
  if (user) return /^[0-9a-f-]{36}$/i.test(user) ? { ok: true, value: { kind: "user", userId: user } } : { ok: false, errors: { user: "Choose the person from the list." } };
  const address = email!.toLowerCase();
  if (address.length > 254 || !/^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[a-z0-9-]{2,}$/i.test(address)) return { ok: false, errors: { email: `“${email}” is not an email address (like name@example.com).` } };
  return { ok: true, value: { kind: "email", email: address } };
}

/** How a watcher is listed on a card. */
export function watcherLabel(w: { email: string | null; user: { name: string } | null }): string {
  return w.user?.name ?? w.email ?? "?";
}

/** The watchers line of a card: names and addresses, alphabetically. */
export function watcherList(watchers: { email: string | null; user: { name: string } | null }[]): string {
  return watchers
    .map(watcherLabel)
    .sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }))
    .join(", ");
}

// ── Per-team stages ──

/** Why a stage cannot be removed (cases in it; the team's last done or cancelled stage), or undefined. */
export function stageRemovalProblem(stage: { id: string; name: string; kind: StageKind }, teamStages: { id: string; kind: StageKind }[], casesInStage: number): string | undefined {
  if (casesInStage > 0) return `${casesInStage} case${casesInStage === 1 ? " is" : "s are"} in stage ${stage.name}; move ${casesInStage === 1 ? "it" : "them"} to another stage first`;
  if (stage.kind === "done" || stage.kind === "cancelled") {
    const others = teamStages.filter((s) => s.id !== stage.id && s.kind === stage.kind);
    if (!others.length) return `${stage.name} is the last ${stage.kind === "done" ? "done" : "cancelled"} stage; a workflow needs one to close cases into`;
  }
  return undefined;
}

/**
 * A decimal typed in a form: "12.5" or "12,5"; a comma before exactly three digits groups thousands
 * ("2,500" and "1,250.50"). Undefined when it is not a number.
 */
export function readDecimal(text: string): number | undefined {
  let t = text.trim().replace(/\s/g, "");
  t = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, "") : t.replace(",", ".");
  return /^-?\d+(\.\d+)?$|^-?\.\d+$/.test(t) ? Number(t) : undefined;
}
