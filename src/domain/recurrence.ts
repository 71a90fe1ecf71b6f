// Recurring meetings: bounded, lazy expansion in the series' time zone (rrule-temporal), exceptions, series end and split.
// The editor's rule <-> RRULE lives in recurrence-rule.ts and is re-exported here, the one module callers import.
import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import { isPlainDate, joinParts, parseParts, untilValue, formatUtc } from "./recurrence-rule.js";

export { describeRule, fromRRule, MAX_COUNT, MAX_INTERVAL, ruleProblem, toRRule, WEEKDAYS } from "./recurrence-rule.js";
export type { Frequency, RecurrenceRule, RuleAnchor, Weekday } from "./recurrence-rule.js";

/** A meeting as the rules see it. All-day series: startAt is midnight UTC of the first day (schema). */
export interface Series {
  startAt: Date;
  endAt: Date;
  timeZone: string;
  isAllDay: boolean;
  /** The RRULE value without "RRULE:" ("FREQ=WEEKLY;BYDAY=TU"), null for a single meeting. */
  rrule: string | null;
}

/** One occurrence moved (startAt/endAt) or cancelled; originalStart is the start the rule gives (RECURRENCE-ID). */
export interface OccurrenceException {
  originalStart: Date;
  isCancelled: boolean;
  startAt: Date | null;
  endAt: Date | null;
}

export interface Occurrence {
  originalStart: Date;
  startAt: Date;
  endAt: Date;
  isException: boolean;
}

/** Default and ceiling of occurrences one expansion returns: callers page with `from`. */
export const DEFAULT_LIMIT = 500;
export const MAX_LIMIT = 5000;

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { SECONDLY: 1000, MINUTELY: 60_000, HOURLY: 3_600_000 };

// ---------- expansion ----------

/**
 * Occurrences overlapping [from, to) (start < to and end > from), sorted by start, at most `limit`.
 * Cancelled occurrences are skipped; moved ones appear at their new time (even when the rule's time is outside the window).
 * Never materialises more than about `limit` rule occurrences, so endless series are safe.
 */
export function occurrences(
  series: Series,
  exceptions: readonly OccurrenceException[],
  window: { from: Date; to: Date },
  limit = DEFAULT_LIMIT,
): Occurrence[] {
  const max = Math.max(0, Math.min(Math.floor(limit), MAX_LIMIT));
  if (max === 0 || window.to <= window.from) return [];
  const byStart = exceptionIndex(exceptions);
  const duration = series.endAt.getTime() - series.startAt.getTime();
  const overlaps = (o: Occurrence) => o.startAt < window.to && o.endAt > window.from;
  const found: Occurrence[] = [];
  const seen = new Set<number>();
  for (const start of originalStarts(series, new Date(window.from.getTime() - duration), window.to, max + exceptions.length)) {
    seen.add(start.getTime());
    const o = applyException(start, duration, byStart.get(start.getTime()));
    if (o && overlaps(o)) found.push(o);
  }
  // A moved occurrence can land in the window from outside it.
  for (const e of exceptions) {
    if (e.isCancelled || seen.has(e.originalStart.getTime())) continue;
    const o = applyException(e.originalStart, duration, e);
    if (o && overlaps(o) && isRuleOccurrence(series, e.originalStart)) found.push(o);
  }
  found.sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  return found.slice(0, max);
}

/** The first occurrence starting strictly after `after` (moves and cancellations applied), or null. */
export function nextOccurrenceAfter(series: Series, exceptions: readonly OccurrenceException[], after: Date): Occurrence | null {
  const byStart = exceptionIndex(exceptions);
  const duration = series.endAt.getTime() - series.startAt.getTime();
  let best: Occurrence | null = null;
  // Rule times with an exception are handled below; at most exceptions.length of them can be skipped here.
  for (const start of originalStarts(series, new Date(after.getTime() + 1), null, exceptions.length + 1)) {
    if (byStart.has(start.getTime())) continue;
    best = { originalStart: start, startAt: start, endAt: new Date(start.getTime() + duration), isException: false };
    break;
  }
  for (const e of exceptions) {
    const o = applyException(e.originalStart, duration, e);
    if (!o || o.startAt <= after || (best && o.startAt >= best.startAt)) continue;
    if (isRuleOccurrence(series, e.originalStart)) best = o;
  }
  return best;
}

/** End of the last occurrence for a rule that ends (COUNT/UNTIL) or a single meeting; null when endless. */
export function seriesEnd(series: Series, exceptions: readonly OccurrenceException[] = []): Date | null {
  const duration = series.endAt.getTime() - series.startAt.getTime();
  let last: number;
  if (!series.rrule) {
    last = series.startAt.getTime();
  } else {
    const parts = parseParts(series.rrule);
    if (!parts?.has("COUNT") && !parts?.has("UNTIL")) return null;
    const rule = ruleOf(series);
    const final = parts.has("UNTIL") ? rule.previous(rule.options().until!, true) : lastOfCount(rule);
    last = final ? final.epochMilliseconds : series.startAt.getTime();
  }
  let end = last + duration;
  for (const e of exceptions) {
    if (!e.isCancelled && e.endAt && e.endAt.getTime() > end && isRuleOccurrence(series, e.originalStart)) end = e.endAt.getTime();
  }
  return new Date(end);
}

export interface SplitResult {
  /** The old series ending before `at`; null when `at` is its first occurrence (the whole series moves). */
  before: Series | null;
  /** The new series starting at the occurrence `at`. */
  after: Series;
  beforeExceptions: OccurrenceException[];
  afterExceptions: OccurrenceException[];
}

/**
 * "This and following": the old rule gets UNTIL just before `at`, the new series starts at that occurrence,
 * keeping UNTIL or with COUNT reduced by the occurrences already past. `at` is the occurrence's rule start.
 */
export function splitSeries(
  series: Series,
  at: Date,
  exceptions: readonly OccurrenceException[] = [],
): { ok: true; value: SplitResult } | { ok: false; reason: string } {
  if (!series.rrule) return { ok: false, reason: "This meeting does not repeat." };
  if (!isRuleOccurrence(series, at)) return { ok: false, reason: "That occurrence is not part of the series any more." };
  const parts = parseParts(series.rrule)!;
  const duration = series.endAt.getTime() - series.startAt.getTime();
  const afterParts = new Map(parts);
  if (parts.has("COUNT")) {
    const past = countBefore(series, at);
    afterParts.set("COUNT", String(Number(parts.get("COUNT")) - past));
  }
  const after: Series = { ...series, startAt: at, endAt: new Date(at.getTime() + duration), rrule: joinParts(afterParts) };
  const beforeExceptions = exceptions.filter((e) => e.originalStart < at);
  const afterExceptions = exceptions.filter((e) => e.originalStart >= at);
  if (at.getTime() === series.startAt.getTime()) return { ok: true, value: { before: null, after, beforeExceptions, afterExceptions } };
  const beforeParts = new Map(parts);
  beforeParts.delete("COUNT");
  beforeParts.set("UNTIL", series.isAllDay ? formatDate(new Date(at.getTime() - DAY_MS)) : formatUtc(new Date(at.getTime() - 1000)));
  const before: Series = { ...series, rrule: joinParts(beforeParts) };
  return { ok: true, value: { before, after, beforeExceptions, afterExceptions } };
}

/** True when the rule (or the single meeting) has an occurrence starting exactly at `start`. */
export function isRuleOccurrence(series: Series, start: Date): boolean {
  if (!series.rrule) return start.getTime() === series.startAt.getTime();
  if (start < series.startAt) return false;
  const found = ruleOf(series).next(new Date(start.getTime()), true);
  return found !== null && found.epochMilliseconds === start.getTime();
}

/** A sentence for the person when the series' RRULE cannot be expanded (imports, forms), else undefined. */
export function checkRRule(series: Series): string | undefined {
  if (!series.rrule) return undefined;
  if (!parseParts(series.rrule)) return "The repeat rule could not be read.";
  try {
    ruleOf(series).next(series.startAt, true);
    return undefined;
  } catch {
    return "The repeat rule could not be read.";
  }
}

// ---------- internals ----------

/** Rule starts from `from` (inclusive) to `to` (exclusive, null = open), lazily, at most `max`. */
function* originalStarts(series: Series, from: Date, to: Date | null, max: number): Generator<Date> {
  if (!series.rrule) {
    if (series.startAt >= from && (!to || series.startAt < to) && max > 0) yield series.startAt;
    return;
  }
  const rule = ruleOf(series);
  // A chunk of `remaining` minimal gaps holds at most about `remaining` occurrences: arrays stay bounded.
  const gap = minimalGapMs(series.rrule);
  let cursor = from < series.startAt ? series.startAt : from;
  let remaining = max;
  while (remaining > 0) {
    const first = rule.next(cursor, true);
    if (!first || (to && first.epochMilliseconds >= to.getTime())) return;
    if (remaining === 1) {
      yield new Date(first.epochMilliseconds);
      return;
    }
    let chunkEnd = first.epochMilliseconds + gap * remaining;
    if (to && chunkEnd > to.getTime()) chunkEnd = to.getTime();
    const batch = chunkEnd > first.epochMilliseconds
      ? rule.between(new Date(first.epochMilliseconds), new Date(chunkEnd - 1), true)
      : [first];
    for (const d of batch) {
      if (remaining <= 0) return;
      remaining -= 1;
      yield new Date(d.epochMilliseconds);
    }
    cursor = new Date(Math.max(chunkEnd, batch.at(-1)!.epochMilliseconds + 1));
  }
}

function minimalGapMs(rrule: string): number {
  const parts = parseParts(rrule);
  if (parts?.has("BYSECOND")) return 1000;
  if (parts?.has("BYMINUTE")) return 60_000;
  if (parts?.has("BYHOUR")) return 3_600_000;
  const unit = UNIT_MS[parts?.get("FREQ") ?? ""];
  return unit ?? DAY_MS;
}

function applyException(start: Date, duration: number, e: OccurrenceException | undefined): Occurrence | null {
  if (!e) return { originalStart: start, startAt: start, endAt: new Date(start.getTime() + duration), isException: false };
  if (e.isCancelled) return null;
  const startAt = e.startAt ?? start;
  const endAt = e.endAt ?? new Date(startAt.getTime() + duration);
  return { originalStart: start, startAt, endAt, isException: true };
}

function exceptionIndex(exceptions: readonly OccurrenceException[]): Map<number, OccurrenceException> {
  return new Map(exceptions.map((e) => [e.originalStart.getTime(), e]));
}

/** rrule-temporal keeps wall-clock time in the zone across DST; all-day series run in UTC (midnight UTC = the date). */
function ruleOf(series: Series): RRuleTemporal {
  const zone = series.isAllDay ? "UTC" : series.timeZone;
  const dtstart = Temporal.Instant.fromEpochMilliseconds(series.startAt.getTime()).toZonedDateTimeISO(zone);
  const parts = parseParts(series.rrule ?? "");
  if (!parts) throw new Error("unreadable RRULE");
  // DATE-valued UNTIL means "through that day" (all-day rules; some imported timed rules write it too, in their zone).
  const until = parts.get("UNTIL");
  if (until && /^\d{8}$/.test(until)) {
    const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6)}`;
    parts.set("UNTIL", isPlainDate(date) ? untilValue(date, { timeZone: zone }) : `${until}T235959Z`);
  }
  return new RRuleTemporal({ rruleString: joinParts(parts), dtstart, cache: false });
}

function lastOfCount(rule: RRuleTemporal): { epochMilliseconds: number } | null {
  let last: { epochMilliseconds: number } | null = null;
  rule.all((d) => {
    last = d;
    return true;
  });
  return last;
}

function countBefore(series: Series, at: Date): number {
  let n = 0;
  for (const s of originalStarts(series, series.startAt, at, MAX_LIMIT * 10)) if (s) n += 1;
  return n;
}

function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10).replaceAll("-", "");
}

