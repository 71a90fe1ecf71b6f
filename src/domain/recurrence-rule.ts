// The meeting editor's repeat rule <-> RFC 5545 RRULE text, its validation and its description in words.
import { Temporal } from "temporal-polyfill";

export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export const WEEKDAYS: readonly Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
export type Frequency = "daily" | "weekly" | "monthly" | "yearly";

/** What the meeting editor can express. Anything else imported is kept as RRULE text and expanded as it is. */
export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  /** Weekly only; empty/absent = the weekday of the first occurrence. */
  byWeekday?: Weekday[];
  /** Monthly only; absent = the day of month of the first occurrence. */
  monthly?: { kind: "dayOfMonth"; day: number } | { kind: "nthWeekday"; nth: number; weekday: Weekday };
  end: { kind: "never" } | { kind: "count"; count: number } | { kind: "until"; date: string };
}

/** Odoo's MAX_RECURRENT_EVENT (odoo-and-peers.md §1.6); unlike Odoo, "never" stays endless (expanded lazily). */
export const MAX_COUNT = 720;
export const MAX_INTERVAL = 99;

// ---------- rule <-> RRULE ----------

/** Where the rule is anchored: needed to write UNTIL (a local date becomes the end of that day in the zone, in UTC). */
export interface RuleAnchor {
  timeZone: string;
  isAllDay?: boolean;
}

/** Editor rule -> RRULE value. Assumes a valid rule (see `ruleProblem`). */
export function toRRule(rule: RecurrenceRule, anchor: RuleAnchor = { timeZone: "UTC" }): string {
  const parts = [`FREQ=${rule.freq.toUpperCase()}`];
  if (rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.freq === "weekly" && rule.byWeekday?.length) {
    parts.push(`BYDAY=${WEEKDAYS.filter((d) => rule.byWeekday!.includes(d)).join(",")}`);
  }
  if (rule.freq === "monthly" && rule.monthly) {
    const m = rule.monthly;
    parts.push(m.kind === "dayOfMonth" ? `BYMONTHDAY=${m.day}` : `BYDAY=${m.nth}${m.weekday}`);
  }
  if (rule.end.kind === "count") parts.push(`COUNT=${rule.end.count}`);
  if (rule.end.kind === "until") parts.push(`UNTIL=${untilValue(rule.end.date, anchor)}`);
  return parts.join(";");
}

/** A reason the editor rule is not acceptable, or undefined when it is. */
export function ruleProblem(rule: RecurrenceRule): string | undefined {
  if (!Number.isInteger(rule.interval) || rule.interval < 1 || rule.interval > MAX_INTERVAL) {
    return `Repeat every 1 to ${MAX_INTERVAL} ${unitName(rule.freq, 2)}.`;
  }
  if (rule.byWeekday?.some((d) => !WEEKDAYS.includes(d))) return "Pick weekdays from Monday to Sunday.";
  const m = rule.monthly;
  if (m?.kind === "dayOfMonth" && !(Number.isInteger(m.day) && ((m.day >= 1 && m.day <= 31) || m.day === -1))) {
    return "Pick a day of the month from 1 to 31, or the last day.";
  }
  if (m?.kind === "nthWeekday" && !([1, 2, 3, 4, -1].includes(m.nth) && WEEKDAYS.includes(m.weekday))) {
    return "Pick the 1st, 2nd, 3rd, 4th or last weekday of the month.";
  }
  if (rule.end.kind === "count" && !(Number.isInteger(rule.end.count) && rule.end.count >= 1 && rule.end.count <= MAX_COUNT)) {
    return `A series can have 1 to ${MAX_COUNT} occurrences.`;
  }
  if (rule.end.kind === "until" && !/^\d{4}-\d{2}-\d{2}$/.test(rule.end.date)) return "Give the end date as YYYY-MM-DD.";
  if (rule.end.kind === "until" && !isPlainDate(rule.end.date)) return "That end date does not exist.";
  return undefined;
}

/** RRULE value (with or without "RRULE:") -> editor rule, or undefined when the editor cannot express it. */
export function fromRRule(text: string, timeZone = "UTC"): RecurrenceRule | undefined {
  const parts = parseParts(text);
  if (!parts) return undefined;
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"]);
  if ([...parts.keys()].some((k) => !known.has(k))) return undefined; // BYSETPOS, BYMONTH, BYHOUR, RSCALE ...
  const freq = parts.get("FREQ")?.toLowerCase();
  if (freq !== "daily" && freq !== "weekly" && freq !== "monthly" && freq !== "yearly") return undefined;
  const interval = parts.has("INTERVAL") ? Number(parts.get("INTERVAL")) : 1;
  const rule: RecurrenceRule = { freq, interval, end: { kind: "never" } };
  const byDay = parts.get("BYDAY")?.split(",");
  const byMonthDay = parts.get("BYMONTHDAY")?.split(",");
  // WKST only changes weekly rules with an interval and several days; the editor's weeks start on Monday.
  if (parts.has("WKST") && parts.get("WKST") !== "MO" && freq === "weekly" && interval > 1 && (byDay?.length ?? 0) > 1) return undefined;
  if (freq === "weekly") {
    if (byMonthDay || (byDay && !byDay.every((d) => WEEKDAYS.includes(d as Weekday)))) return undefined;
    if (byDay) rule.byWeekday = WEEKDAYS.filter((d) => byDay.includes(d));
  } else if (freq === "monthly") {
    if (byDay && byMonthDay) return undefined;
    if (byMonthDay) {
      if (byMonthDay.length !== 1 || !/^-?\d+$/.test(byMonthDay[0]!)) return undefined;
      rule.monthly = { kind: "dayOfMonth", day: Number(byMonthDay[0]) };
    }
    if (byDay) {
      const match = byDay.length === 1 ? /^([+-]?\d)(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay[0]!) : null;
      if (!match) return undefined;
      rule.monthly = { kind: "nthWeekday", nth: Number(match[1]), weekday: match[2] as Weekday };
    }
  } else if (byDay || byMonthDay) {
    return undefined;
  }
  if (parts.has("COUNT") && parts.has("UNTIL")) return undefined;
  if (parts.has("COUNT")) rule.end = { kind: "count", count: Number(parts.get("COUNT")) };
  if (parts.has("UNTIL")) {
    const date = untilLocalDate(parts.get("UNTIL")!, timeZone);
    if (!date) return undefined;
    rule.end = { kind: "until", date };
  }
  return ruleProblem(rule) ? undefined : rule;
}

const DAY_NAMES: Record<Weekday, string> = { MO: "Mon", TU: "Tue", WE: "Wed", TH: "Thu", FR: "Fri", SA: "Sat", SU: "Sun" };
const LONG_DAY_NAMES: Record<Weekday, string> = {
  MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday",
};
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Every 2 weeks on Tue and Thu, 10 times". */
export function describeRule(rule: RecurrenceRule): string {
  let text = rule.interval === 1 ? `Every ${unitName(rule.freq, 1)}` : `Every ${rule.interval} ${unitName(rule.freq, 2)}`;
  if (rule.freq === "weekly" && rule.byWeekday?.length) {
    text += ` on ${joinWords(WEEKDAYS.filter((d) => rule.byWeekday!.includes(d)).map((d) => DAY_NAMES[d]))}`;
  }
  const m = rule.freq === "monthly" ? rule.monthly : undefined;
  if (m?.kind === "dayOfMonth") text += m.day === -1 ? " on the last day" : ` on the ${ordinal(m.day)}`;
  if (m?.kind === "nthWeekday") text += ` on the ${m.nth === -1 ? "last" : ordinal(m.nth)} ${LONG_DAY_NAMES[m.weekday]}`;
  if (rule.end.kind === "count") text += rule.end.count === 1 ? ", once" : `, ${rule.end.count} times`;
  if (rule.end.kind === "until") {
    const [y, mo, d] = rule.end.date.split("-").map(Number);
    text += `, until ${d} ${MONTHS[mo! - 1]} ${y}`;
  }
  return text;
}

// ---------- RRULE text ----------

export function parseParts(text: string): Map<string, string> | undefined {
  const value = text.trim().replace(/^RRULE:/i, "");
  if (!value || value.length > 1000 || /[\r\n]/.test(value)) return undefined;
  const parts = new Map<string, string>();
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).toUpperCase();
    if (parts.has(key)) return undefined;
    parts.set(key, part.slice(eq + 1).toUpperCase());
  }
  return parts.has("FREQ") ? parts : undefined;
}

export function joinParts(parts: Map<string, string>): string {
  return [...parts].map(([k, v]) => `${k}=${v}`).join(";");
}

export function untilValue(date: string, anchor: RuleAnchor): string {
  if (anchor.isAllDay) return date.replaceAll("-", "");
  // The whole local day counts: UNTIL is the last second of it in the zone, written in UTC (RFC 5545 3.3.10).
  const endOfDay = Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: anchor.timeZone, plainTime: "23:59:59" });
  return formatUtc(new Date(endOfDay.epochMilliseconds));
}

function untilLocalDate(value: string, timeZone: string): string | undefined {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) return `${date[1]}-${date[2]}-${date[3]}`;
  const utc = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/.exec(value);
  if (!utc) return undefined;
  const ms = Date.UTC(+utc[1]!, +utc[2]! - 1, +utc[3]!, +utc[4]!, +utc[5]!, +utc[6]!);
  if (Number.isNaN(ms)) return undefined;
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

export function formatUtc(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

export function isPlainDate(text: string): boolean {
  try {
    return Temporal.PlainDate.from(text, { overflow: "reject" }).toString() === text;
  } catch {
    return false;
  }
}

function unitName(freq: Frequency, n: number): string {
  const unit = { daily: "day", weekly: "week", monthly: "month", yearly: "year" }[freq];
  return n === 1 ? unit : `${unit}s`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

function joinWords(words: string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
