// When a rule's follow-up is due, and how long a planned meeting lasts: pure, the firing time passed in.
import type { Offset } from "./definition.js";
import { addOffset } from "./moments.js";

export const MEETING_MINUTES = { default: 30, min: 5, max: 480 } as const;
const QUARTER_MS = 15 * 60_000;

/** The firing time plus the offset; days and months are counted on the wall clock of `timeZone` (moments.ts). */
export function followUpDue(firedAt: Date, offset: Offset, timeZone: string): Date {
  return addOffset(firedAt, offset, timeZone);
}

/**
 * A meeting's slot: the due time rounded up to the next quarter hour (10:07 → 10:15; 10:15 stays), as people plan
 * meetings, then `minutes` long. Every time zone's offset is a multiple of 15 minutes, so a quarter hour in UTC is
 * one on the organizer's clock too.
 */
export function meetingSlot(firedAt: Date, offset: Offset, timeZone: string, minutes: number = MEETING_MINUTES.default): { startAt: Date; endAt: Date } {
  const due = followUpDue(firedAt, offset, timeZone).getTime();
  const startAt = new Date(Math.ceil(due / QUARTER_MS) * QUARTER_MS);
  return { startAt, endAt: new Date(startAt.getTime() + minutes * 60_000) };
}
