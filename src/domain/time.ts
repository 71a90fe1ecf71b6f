// All time handling: parsing plain words ("tomorrow 10am") in a person's time zone, and formatting for them.
import * as chrono from "chrono-node";

/** Intl formatters are costly to build (about 1 ms a request, profiled): one per zone and pattern. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** Minutes east of UTC for a time zone at an instant (DST-aware, via Intl). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const parts = formatter("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface ParsedWhen {
  at: Date;
  /** The words that were read as the date/time, so callers can remove them from the text. */
  matched: string;
}

/** Finds the first date/time expression in text, read in the person's time zone. */
export function findDateTime(text: string, now: Date, timeZone: string): ParsedWhen | undefined {
  const first = chrono.parse(text, { instant: now, timezone: offsetMinutes(timeZone, now) }, { forwardDate: false })[0];
  if (!first) return undefined;
  let at = first.start.date();
  // The offset can differ at the target date (DST change in between): read it again with that offset.
  const offsetThen = offsetMinutes(timeZone, at);
  if (offsetThen !== offsetMinutes(timeZone, now)) {
    const again = chrono.parse(first.text, { instant: now, timezone: offsetThen })[0];
    if (again) at = again.start.date();
  }
  return { at, matched: first.text };
}

/** Parses a whole field value as a date/time ("2026-11-24 10:00", "tomorrow 3pm"); ISO instants pass through. */
export function parseDateTime(text: string, now: Date, timeZone: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return findDateTime(text, now, timeZone)?.at;
}

/** "Tue 24 Nov, 10:00" in the person's time zone (with the year when it is not this year). */
export function formatDateTime(at: Date, timeZone: string, now: Date): string {
  // Assembled from parts: ICU versions differ in the punctuation of whole patterns.
  const parts = formatter("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const year = get("year");
  const thisYear = formatter("en-GB", { timeZone, year: "numeric" }).format(now);
  return `${get("weekday")} ${get("day")} ${get("month")}${year === thisYear ? "" : ` ${year}`}, ${get("hour")}:${get("minute")}`;
}

/** Local "YYYY-MM-DDTHH:mm" for a form's initial value in the person's time zone. */
export function toLocalInput(at: Date, timeZone: string): string {
  const local = new Date(at.getTime() + offsetMinutes(timeZone, at) * 60_000);
  return local.toISOString().slice(0, 16);
}

/** The instant of a local "YYYY-MM-DDTHH:mm" in the person's time zone. */
export function fromLocalInput(local: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let at = new Date(asUtc - offsetMinutes(timeZone, new Date(asUtc)) * 60_000);
  at = new Date(asUtc - offsetMinutes(timeZone, at) * 60_000);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Start and end of the person's local day containing `now`. */
export function localDayBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const local = toLocalInput(now, timeZone).slice(0, 10);
  const start = fromLocalInput(`${local}T00:00`, timeZone)!;
  const end = new Date(start.getTime() + 24 * 3600_000);
  return { start, end: fromLocalInput(`${toLocalInput(end, timeZone).slice(0, 10)}T00:00`, timeZone) ?? end };
}
