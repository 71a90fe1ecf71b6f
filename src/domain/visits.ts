// Recurring visits to a partner category: the plan's title per partner, its repeat rule, first visit and each series' start.
import { checkRRule, isRuleOccurrence, nextOccurrenceAfter, splitSeries, WEEKDAYS, type Series } from "./recurrence.js";
import { parseParts } from "./recurrence-rule.js";
import { fromLocalInput, toLocalInput } from "./time.js";

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export const MAX_VISIT_MINUTES = 12 * 60;
export const MAX_WEEKS = 52;

export function visitPlanReference(number: number): string {
  return `VISIT-${String(number).padStart(4, "0")}`;
}

/** "Monthly visit {{partner}}" -> "Monthly visit Acme"; a title without the placeholder gets the name appended. */
export function visitTitle(template: string, partnerName: string): string {
  const title = template.includes("{{partner}}") ? template.replaceAll("{{partner}}", partnerName) : `${template} — ${partnerName}`;
  return title.slice(0, 200);
}

/** A reason the title template cannot be used: only {{partner}} is known (an unknown placeholder would show as written). */
export function titleProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]).filter((name) => name !== "partner");
  if (unknown.length) return `Unknown placeholder {{${unknown[0]}}}: only {{partner}} (the partner's name) can be put in.`;
  return undefined;
}

export type VisitFrequency = { kind: "monthly" } | { kind: "weeks"; every: number } | { kind: "rrule"; text: string };

// Visits more often than daily are a mistake, not a plan; the recurrence module would expand them, so refuse here.
const VISIT_FREQS = new Set(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]);

/**
 * The RRULE of every partner's series. Monthly: the same weekday of the month as the first visit ("the 2nd Tuesday",
 * the last one when it is a 5th), so visits never fall on a weekend the way "the 31st" would skip months.
 */
export function frequencyRRule(freq: VisitFrequency, firstStart: Date, timeZone: string): Checked<string> {
  if (freq.kind === "monthly") {
    const local = toLocalInput(firstStart, timeZone);
    const nth = Math.ceil(Number(local.slice(8, 10)) / 7);
    const weekday = WEEKDAYS[(new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7]!;
    return { ok: true, value: `FREQ=MONTHLY;BYDAY=${nth > 4 ? -1 : nth}${weekday}` };
  }
  if (freq.kind === "weeks") {
    if (!Number.isInteger(freq.every) || freq.every < 1 || freq.every > MAX_WEEKS) return { ok: false, reason: `Repeat every 1 to ${MAX_WEEKS} weeks.` };
    return { ok: true, value: freq.every === 1 ? "FREQ=WEEKLY" : `FREQ=WEEKLY;INTERVAL=${freq.every}` };
  }
  const text = freq.text.trim().replace(/^RRULE:/i, "").toUpperCase();
  const parts = parseParts(text);
  if (!parts || !VISIT_FREQS.has(parts.get("FREQ") ?? "")) return { ok: false, reason: "Write a repeat rule such as FREQ=MONTHLY;BYDAY=1TU (daily, weekly, monthly or yearly)." };
  const series: Series = { startAt: firstStart, endAt: new Date(firstStart.getTime() + 3600_000), timeZone, isAllDay: false, rrule: text };
  const problem = checkRRule(series);
  if (problem) return { ok: false, reason: problem };
  if (!isRuleOccurrence(series, firstStart)) return { ok: false, reason: "The first visit is not a day the repeat rule gives: pick a first date the rule includes." };
  return { ok: true, value: text };
}

/** The first visit from the form: a local "YYYY-MM-DD HH:mm" in the person's zone (or an ISO time with offset), ahead of now. */
export function firstVisitStart(text: string, timeZone: string, now: Date): Checked<Date> {
  const at = /Z$|[+-]\d{2}:\d{2}$/.test(text.trim()) ? new Date(text.trim()) : fromLocalInput(text, timeZone);
  if (!at || Number.isNaN(at.getTime())) return { ok: false, reason: "Give the first visit as YYYY-MM-DD HH:mm." };
  if (at <= now) return { ok: false, reason: "The first visit must be in the future." };
  return { ok: true, value: at };
}

export interface PlanTiming {
  rrule: string;
  firstStartAt: Date;
  durationMinutes: number;
  timeZone: string;
}

export function planSeries(plan: PlanTiming): Series {
  return { startAt: plan.firstStartAt, endAt: new Date(plan.firstStartAt.getTime() + plan.durationMinutes * 60_000), timeZone: plan.timeZone, isAllDay: false, rrule: plan.rrule };
}

/**
 * Where a partner's series starts: the plan's first visit while it is ahead, else the plan's next visit after `now`
 * (a COUNT reduced by the visits already past, as a "this and following" split does). Null: the plan has ended.
 */
export function seriesStartFor(plan: PlanTiming, now: Date): Series | null {
  const series = planSeries(plan);
  if (series.startAt > now) return series;
  const next = nextOccurrenceAfter(series, [], now);
  if (!next) return null;
  const split = splitSeries(series, next.originalStart);
  return split.ok ? split.value.after : null;
}

/** Who organizes a partner's visits: its salesperson when active, else the plan's creator. */
export function visitOrganizer(partner: { salespersonId: string | null }, activeUserIds: ReadonlySet<string>, planCreatorId: string | null): { organizerId: string | null; isFallback: boolean } {
  if (partner.salespersonId && activeUserIds.has(partner.salespersonId)) return { organizerId: partner.salespersonId, isFallback: false };
  return { organizerId: planCreatorId, isFallback: true };
}
