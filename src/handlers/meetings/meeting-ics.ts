// The .ics of one meeting (invitations, cancellations, downloads) and a person's calendar feed.
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import { buildCalendar, type CalendarEvent, type CalendarMethod, type Partstat } from "../../domain/icalendar.js";

/** Feeds carry the last 30 days too, so a subscribed calendar does not lose what just happened. */
const FEED_PAST_DAYS = 30;
/** A feed is fetched often by calendar servers: keep it bounded. */
const FEED_MAX_MEETINGS = 2000;

const meetingInclude = {
  organizer: { select: { email: true, name: true } },
  attendees: { include: { user: { select: { email: true, name: true } } }, orderBy: { id: "asc" } },
  reminders: { select: { minutesBefore: true } },
  exceptions: { orderBy: { originalStart: "asc" } },
} as const;

type Executor = Db | Tx;
type MeetingWithParts = NonNullable<Awaited<ReturnType<typeof loadForIcs>>>;

function loadForIcs(db: Executor, meetingId: string) {
  return db.meeting.findUnique({ where: { id: meetingId }, include: meetingInclude });
}

/** The meeting as an iCalendar file (REQUEST to invite or update, CANCEL, PUBLISH to download); undefined when unknown. */
export async function meetingIcs(db: Executor, meetingId: string, method: CalendarMethod, now: Date = new Date()): Promise<string | undefined> {
  const meeting = await loadForIcs(db, meetingId);
  if (!meeting) return undefined;
  return buildCalendar({ method, now, events: calendarEvents(meeting, method === "CANCEL") });
}

/**
 * Every meeting the person organizes or attends (not declined), not cancelled, that ended in the last 30 days,
 * is still to come, or repeats without end. PUBLISH: what Google Calendar and Outlook accept for a subscribed URL.
 */
export async function feedIcs(db: Executor, userId: string, now: Date): Promise<string> {
  const since = new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000);
  const meetings = await db.meeting.findMany({
    where: {
      status: "confirmed",
      OR: [{ organizerId: userId }, { attendees: { some: { userId, response: { not: "declined" } } } }],
      AND: [{ OR: [{ endAt: { gt: since } }, { seriesEndAt: { gt: since } }, { rrule: { not: null }, seriesEndAt: null }] }],
    },
    include: meetingInclude,
    orderBy: { startAt: "desc" },
    take: FEED_MAX_MEETINGS,
  });
  return buildCalendar({ method: "PUBLISH", now, name: "Switchboard meetings", events: meetings.flatMap((m) => calendarEvents(m, false)) });
}

/** The series VEVENT plus one VEVENT per moved occurrence (RECURRENCE-ID); cancelled occurrences become EXDATEs. */
function calendarEvents(m: MeetingWithParts, isCancel: boolean): CalendarEvent[] {
  const attendees = m.attendees.flatMap((a) => {
    const email = a.user?.email ?? a.email;
    return email ? [{ email, name: a.user?.name ?? a.name, partstat: a.response as Partstat }] : [];
  });
  const alarms = [...new Set(m.reminders.map((r) => r.minutesBefore))].sort((a, b) => a - b).map((minutesBefore) => ({ minutesBefore }));
  const status = isCancel || m.status === "cancelled" ? "cancelled" : "confirmed";
  const series: CalendarEvent = {
    uid: m.uid,
    sequence: m.sequence,
    title: m.title,
    description: m.description,
    location: m.location,
    url: m.videoUrl,
    startAt: m.startAt,
    endAt: m.endAt,
    isAllDay: m.isAllDay,
    timeZone: m.timeZone,
    rrule: m.rrule,
    exdates: m.rrule ? m.exceptions.filter((e) => e.isCancelled).map((e) => e.originalStart) : [],
    status,
    showAs: m.showAs,
    organizer: { email: m.organizer.email, name: m.organizer.name },
    attendees,
    alarms,
  };
  if (!m.rrule) return [series];
  const duration = m.endAt.getTime() - m.startAt.getTime();
  const moved = m.exceptions
    .filter((e) => !e.isCancelled)
    .map((e): CalendarEvent => {
      const startAt = e.startAt ?? e.originalStart;
      return {
        ...series,
        rrule: null,
        exdates: [],
        recurrenceId: e.originalStart,
        startAt,
        endAt: e.endAt ?? new Date(startAt.getTime() + duration),
        title: e.title ?? m.title,
        location: e.location ?? m.location,
        description: e.description ?? m.description,
      };
    });
  return [series, ...moved];
}
