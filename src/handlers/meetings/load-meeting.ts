// Loading a meeting with what its cards, the policy and the recurrence rules need, by id or by number (MTG-0042).
import type { CardContext, MeetingCardData } from "../../bot/views/meeting-card.js";
import type { Tx } from "../../db/outbox.js";
import type { MeetingFacts } from "../../domain/policy.js";
import { describeRule, fromRRule, nextOccurrenceAfter, type Occurrence, type Series } from "../../domain/recurrence.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

const person = { id: true, name: true, email: true, timeZone: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } as const;

export const meetingInclude = {
  organizer: { select: person },
  partner: { select: { id: true, name: true } },
  attendees: { include: { user: { select: person } }, orderBy: { name: "asc" } },
  reminders: { orderBy: { minutesBefore: "asc" } },
  exceptions: { orderBy: { originalStart: "asc" } },
} as const;

export async function loadMeeting(db: Reader, idOrNumber: string | number) {
  if (typeof idOrNumber === "number") return db.meeting.findUnique({ where: { number: idOrNumber }, include: meetingInclude });
  if (!/^[0-9a-f-]{36}$/i.test(idOrNumber)) return null;
  return db.meeting.findUnique({ where: { id: idOrNumber }, include: meetingInclude });
}

export type LoadedMeeting = NonNullable<Awaited<ReturnType<typeof loadMeeting>>>;

export function meetingFacts(m: { organizerId: string; attendees: { userId: string | null }[] }): MeetingFacts {
  return { organizerId: m.organizerId, attendeeUserIds: m.attendees.map((a) => a.userId).filter((id): id is string => id !== null) };
}

export function seriesOf(m: { startAt: Date; endAt: Date; timeZone: string; isAllDay: boolean; rrule: string | null }): Series {
  return { startAt: m.startAt, endAt: m.endAt, timeZone: m.timeZone, isAllDay: m.isAllDay, rrule: m.rrule };
}

/** The card's data: attendees named by their user's name when they have one. */
export function cardData(m: LoadedMeeting): MeetingCardData {
  return {
    ...m,
    attendees: m.attendees.map((a) => ({ id: a.id, userId: a.userId, email: a.email, name: a.user?.name ?? a.name, response: a.response })),
  };
}

/**
 * What a card shows for a reader: the repeat rule in words and, for a series, the occurrence that is next (or
 * `occurrenceStart`, the one a button or agenda line named), so "this occurrence" is well defined.
 */
export function cardContext(m: LoadedMeeting, timeZone: string, now: Date, occurrenceStart?: Date): CardContext {
  if (!m.rrule) return { timeZone, now };
  const rule = fromRRule(m.rrule, m.timeZone);
  const repeatText = rule ? describeRule(rule) : `Repeats (${m.rrule.slice(0, 80)})`;
  const occurrence = occurrenceStart ? occurrenceAt(m, occurrenceStart) : (nextOccurrenceAfter(seriesOf(m), m.exceptions, new Date(now.getTime() - 1)) ?? undefined);
  return { timeZone, now, repeatText, occurrence };
}

/** The occurrence whose rule start is `originalStart` (moved or not), if it still exists. */
export function occurrenceAt(m: LoadedMeeting, originalStart: Date): Occurrence | undefined {
  const before = new Date(originalStart.getTime() - 1);
  const exception = m.exceptions.find((e) => e.originalStart.getTime() === originalStart.getTime());
  if (exception?.isCancelled) return undefined;
  const duration = m.endAt.getTime() - m.startAt.getTime();
  if (exception) return { originalStart, startAt: exception.startAt ?? originalStart, endAt: exception.endAt ?? new Date((exception.startAt ?? originalStart).getTime() + duration), isException: true };
  const next = nextOccurrenceAfter(seriesOf(m), [], before);
  return next && next.originalStart.getTime() === originalStart.getTime() ? next : undefined;
}
