// "You are already busy then": the organizer's busy meetings against the first 50 occurrences of the new one.
import type { Tx } from "../../db/outbox.js";
import { CLASH_OCCURRENCES, findClash, meetingReference } from "../../domain/meetings.js";
import { occurrences, type Series } from "../../domain/recurrence.js";
import { formatDateTime } from "../../domain/time.js";
import type { Deps } from "../deps.js";
import { seriesOf } from "./load-meeting.js";

type Reader = Deps["db"] | Tx;

const FAR = 100 * 365 * 24 * 3600_000;

/** A sentence naming the first clashing meeting, or undefined when the person is free (free meetings never clash). */
export async function organizerClash(db: Reader, person: { id: string; timeZone: string }, series: Series, now: Date, opts: { excludeMeetingIds?: string[] } = {}): Promise<string | undefined> {
  const mine = occurrences(series, [], { from: series.startAt, to: new Date(series.startAt.getTime() + FAR) }, CLASH_OCCURRENCES);
  if (mine.length === 0) return undefined;
  const from = mine[0]!.startAt;
  const to = new Date(Math.max(...mine.map((o) => o.endAt.getTime())));
  const others = await db.meeting.findMany({
    where: {
      status: "confirmed",
      showAs: "busy",
      id: { notIn: opts.excludeMeetingIds ?? [] },
      OR: [{ organizerId: person.id }, { attendees: { some: { userId: person.id, response: { not: "declined" } } } }],
      startAt: { lt: to },
      AND: [{ OR: [{ rrule: { not: null }, seriesEndAt: null }, { seriesEndAt: { gt: from } }, { rrule: null, endAt: { gt: from } }] }],
    },
    include: { exceptions: true },
    orderBy: { startAt: "asc" },
    take: 200,
  });
  const clash = findClash(
    mine,
    others.map((o) => ({ meeting: o, occurrences: occurrences(seriesOf(o), o.exceptions, { from, to }, 500) })),
  );
  if (!clash) return undefined;
  return `You are already busy then: ${meetingReference(clash.meeting.number)} “${clash.meeting.title}” on ${formatDateTime(clash.at.startAt, person.timeZone, now)}.`;
}
