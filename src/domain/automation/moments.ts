// The exact moment a time rule fires: a date of the record plus an offset, days and months counted on the wall clock.
import { Temporal } from "temporal-polyfill";
import type { Offset, Trigger } from "./definition.js";
import type { RecordSnapshot } from "./fields.js";

/**
 * The instant plus the offset. Minutes and hours are elapsed time; days and months are calendar steps in `timeZone`
 * (09:00 + 1 day is 09:00 the next day across DST; 31 Jan + 1 month is the last day of February), and a wall time
 * that DST skips resolves as Temporal's "compatible" (the later side of the gap), as calendars do.
 */
export function addOffset(instant: Date, offset: Offset, timeZone: string): Date {
  if (offset.unit === "minutes") return new Date(instant.getTime() + offset.amount * 60_000);
  if (offset.unit === "hours") return new Date(instant.getTime() + offset.amount * 3_600_000);
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  const moved = zoned.add(offset.unit === "days" ? { days: offset.amount } : { months: offset.amount });
  return new Date(moved.epochMilliseconds);
}

/** When a time trigger fires for this record, or null when the record has no such date (or it is no time trigger). */
export function momentOf(trigger: Trigger, snapshot: RecordSnapshot, timeZone: string): Date | null {
  let base: Date | null;
  if (trigger.kind === "time") base = readDate(snapshot.fields[trigger.field], timeZone);
  else if (trigger.kind === "after-created") base = readDate(snapshot.createdAt, timeZone);
  else if (trigger.kind === "after-updated") base = readDate(snapshot.updatedAt, timeZone);
  else return null;
  return base && addOffset(base, trigger.offset, timeZone);
}

/** An instant, or a plain date ("2026-12-01", an expected close) read as its midnight in the rule's zone. */
function readDate(value: unknown, timeZone: string): Date | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    try {
      return new Date(Temporal.PlainDate.from(text).toZonedDateTime({ timeZone }).epochMilliseconds);
    } catch {
      return null;
    }
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** "5 minutes before", "30 days after", "1 month after"; "at that moment" for 0. */
export function describeOffset(offset: Offset): string {
  if (offset.amount === 0) return "at that moment";
  const n = Math.abs(offset.amount);
  const unit = n === 1 ? offset.unit.slice(0, -1) : offset.unit;
  return `${n} ${unit} ${offset.amount < 0 ? "before" : "after"}`;
}
