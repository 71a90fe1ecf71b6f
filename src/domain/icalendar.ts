// iCalendar (RFC 5545, iTIP RFC 5546) files for meetings: built with ical-generator, read with ical.js.
import ICAL from "ical.js";
import ical, { ICalAlarmType, ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from "ical-generator";
import { Temporal } from "temporal-polyfill";
import { tzlib_get_ical_block } from "timezones-ical-library";

export type Partstat = "needs_action" | "accepted" | "declined" | "tentative";
export type CalendarMethod = "REQUEST" | "CANCEL" | "PUBLISH";

export interface CalendarPerson {
  email: string;
  name?: string | null;
}

export interface CalendarAttendee extends CalendarPerson {
  partstat: Partstat;
}

/** One VEVENT: a single meeting, a series (rrule + exdates), or one moved occurrence of a series (recurrenceId). */
export interface CalendarEvent {
  uid: string;
  sequence: number;
  title: string;
  description?: string | null;
  location?: string | null;
  /** The video link (URL property). */
  url?: string | null;
  startAt: Date;
  endAt: Date;
  /** All-day: startAt/endAt are midnight UTC of the first day and of the day after the last. */
  isAllDay: boolean;
  timeZone: string;
  rrule: string | null;
  /** Cancelled occurrences (their rule start). */
  exdates: Date[];
  recurrenceId?: Date;
  status: "confirmed" | "cancelled";
  showAs?: "busy" | "free";
  organizer?: CalendarPerson | null;
  attendees: CalendarAttendee[];
  alarms?: { minutesBefore: number }[];
}

export interface ParsedCalendar {
  method: string | null;
  events: CalendarEvent[];
}

export interface ParsedReply {
  uid: string;
  sequence: number;
  recurrenceId?: Date;
  email: string;
  partstat: Partstat;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const MAX_CALENDAR_BYTES = 1_000_000;
export const MAX_CALENDAR_EVENTS = 5000;
export const PRODUCT_ID = { company: "Switchboard", product: "Switchboard CRM", language: "EN" };

const TO_ICAL_PARTSTAT: Record<Partstat, ICalAttendeeStatus> = {
  needs_action: ICalAttendeeStatus.NEEDSACTION,
  accepted: ICalAttendeeStatus.ACCEPTED,
  declined: ICalAttendeeStatus.DECLINED,
  tentative: ICalAttendeeStatus.TENTATIVE,
};

/**
 * A VCALENDAR with a VTIMEZONE for each TZID used. `method: null` leaves METHOD out (subscribed feeds:
 * Google and Outlook read a feed without METHOD or with PUBLISH; REQUEST/CANCEL are for e-mailed invitations).
 */
export function buildCalendar(input: { method: CalendarMethod | null; events: CalendarEvent[]; now: Date; name?: string }): string {
  const calendar = ical({
    prodId: PRODUCT_ID,
    method: input.method ? ICalCalendarMethod[input.method] : null,
    name: input.name ?? null,
    // Called for each event's TZID; the library writes one VTIMEZONE per zone.
    timezone: { name: null, generator: vtimezone },
  });
  for (const event of input.events) calendar.createEvent(eventData(event, input.now));
  return calendar.toString();
}

function eventData(event: CalendarEvent, now: Date) {
  const zoned = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(event.timeZone);
  const plainDate = (d: Date) => Temporal.PlainDate.from(d.toISOString().slice(0, 10));
  const at = (d: Date) => (event.isAllDay ? plainDate(d) : zoned(d));
  return {
    id: event.uid,
    sequence: event.sequence,
    stamp: Temporal.Instant.fromEpochMilliseconds(now.getTime()),
    start: at(event.startAt),
    end: at(event.endAt),
    allDay: event.isAllDay,
    timezone: event.isAllDay ? null : event.timeZone,
    recurrenceId: event.recurrenceId ? at(event.recurrenceId) : null,
    summary: event.title,
    description: event.description ?? null,
    location: event.location ?? null,
    url: event.url ?? null,
    // The repeating text is written as given, so RRULE and EXDATE are ours (host TZ plays no part).
    repeating: event.rrule && !event.recurrenceId ? recurrenceLines(event) : null,
    status: event.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    transparency: event.showAs === "free" ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
    organizer: event.organizer ? { email: event.organizer.email, name: paramSafe(event.organizer.name) || event.organizer.email } : null,
    attendees: event.attendees.map((a) => ({
      email: a.email,
      name: paramSafe(a.name),
      rsvp: true,
      role: ICalAttendeeRole.REQ,
      status: TO_ICAL_PARTSTAT[a.partstat],
    })),
    alarms: (event.alarms ?? []).map((a) => ({
      type: ICalAlarmType.display,
      trigger: a.minutesBefore * 60,
      description: event.title,
    })),
  };
}

/** A parameter value (CN) cannot hold a double quote or a line break (RFC 5545 3.1); ical-generator would write a backslash. */
function paramSafe(name: string | null | undefined): string | null {
  const safe = (name ?? "").replaceAll('"', "'").replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return safe || null;
}

function recurrenceLines(event: CalendarEvent): string {
  const lines = [`RRULE:${event.rrule}`];
  if (event.exdates.length) {
    const values = [...event.exdates].sort((a, b) => a.getTime() - b.getTime());
    lines.push(
      event.isAllDay
        ? `EXDATE;VALUE=DATE:${values.map((d) => d.toISOString().slice(0, 10).replaceAll("-", "")).join(",")}`
        : `EXDATE;TZID=${event.timeZone}:${values.map((d) => localStamp(d, event.timeZone)).join(",")}`,
    );
  }
  return lines.join("\n");
}

function localStamp(d: Date, timeZone: string): string {
  const z = Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(timeZone);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(z.year, 4)}${p(z.month)}${p(z.day)}T${p(z.hour)}${p(z.minute)}${p(z.second)}`;
}

/** The VTIMEZONE block timezones-ical-library has for an IANA zone (none for UTC or unknown zones). */
function vtimezone(tzid: string): string | null {
  if (tzid === "UTC" || tzid === "Etc/UTC") return null;
  const block = tzlib_get_ical_block(tzid);
  return Array.isArray(block) && block[0] ? block[0] : null;
}

// ---------- reading ----------

/** Reads a calendar file: every VEVENT, tolerant of properties it does not know. */
export function parseCalendar(text: string): Parsed<ParsedCalendar> {
  const root = readRoot(text);
  if (!root.ok) return root;
  const vevents = root.value.getAllSubcomponents("vevent");
  if (vevents.length === 0) return { ok: false, reason: "The calendar file has no events in it." };
  if (vevents.length > MAX_CALENDAR_EVENTS) return { ok: false, reason: `The calendar file has more than ${MAX_CALENDAR_EVENTS} events; split it.` };
  const zones = fileZones(root.value);
  const fallbackZone = validZone(String(root.value.getFirstPropertyValue("x-wr-timezone") ?? "")) ?? "UTC";
  const events: CalendarEvent[] = [];
  for (const vevent of vevents) {
    const event = readEvent(vevent, zones, fallbackZone);
    if (!event.ok) return event;
    events.push(event.value);
  }
  const method = root.value.getFirstPropertyValue("method");
  return { ok: true, value: { method: method ? String(method).toUpperCase() : null, events } };
}

/** Reads an iTIP REPLY (an attendee's answer sent back by their calendar). */
export function parseReply(text: string): Parsed<ParsedReply> {
  const root = readRoot(text);
  if (!root.ok) return root;
  if (String(root.value.getFirstPropertyValue("method") ?? "").toUpperCase() !== "REPLY") {
    return { ok: false, reason: "This calendar file is not an answer to an invitation (METHOD:REPLY)." };
  }
  const vevent = root.value.getFirstSubcomponent("vevent");
  if (!vevent) return { ok: false, reason: "The calendar file has no events in it." };
  const uid = vevent.getFirstPropertyValue("uid");
  const attendee = vevent.getFirstProperty("attendee");
  const email = attendee ? mailAddress(attendee.getFirstValue()) : "";
  if (!uid || !email) return { ok: false, reason: "The answer does not say which meeting or which attendee it is for." };
  const zones = fileZones(root.value);
  const recurrence = vevent.getFirstProperty("recurrence-id");
  const recurrenceId = recurrence ? propertyInstant(recurrence, zones, "UTC") : undefined;
  return {
    ok: true,
    value: {
      uid: String(uid),
      sequence: Number(vevent.getFirstPropertyValue("sequence") ?? 0) || 0,
      ...(recurrenceId ? { recurrenceId } : {}),
      email,
      partstat: partstatOf(attendee!.getParameter("partstat")),
    },
  };
}

function readRoot(text: string): Parsed<ICAL.Component> {
  if (text.length > MAX_CALENDAR_BYTES || new TextEncoder().encode(text).length > MAX_CALENDAR_BYTES) {
    return { ok: false, reason: "The calendar file is larger than 1 MB." };
  }
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    return { ok: false, reason: "This is not a calendar file that can be read (iCalendar .ics)." };
  }
  // A file may hold several VCALENDARs; the first is the one calendars send.
  const first = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal;
  const root = new ICAL.Component(first as unknown[]);
  if (root.name !== "vcalendar") return { ok: false, reason: "This is not a calendar file that can be read (iCalendar .ics)." };
  return { ok: true, value: root };
}

function readEvent(vevent: ICAL.Component, zones: Map<string, ICAL.Timezone>, fallbackZone: string): Parsed<CalendarEvent> {
  const uid = vevent.getFirstPropertyValue("uid");
  const dtstart = vevent.getFirstPropertyValue("dtstart") as ICAL.Time | null;
  if (!uid || !dtstart) return { ok: false, reason: "An event in the calendar file has no UID or no start time." };
  const isAllDay = dtstart.isDate;
  const tzid = vevent.getFirstProperty("dtstart")!.getParameter("tzid");
  const timeZone = (typeof tzid === "string" && validZone(tzid)) || fallbackZone;
  const startAt = propertyInstant(vevent.getFirstProperty("dtstart")!, zones, timeZone);
  const endAt = eventEnd(vevent, startAt, isAllDay, zones, timeZone);
  const rrule = vevent.getFirstPropertyValue("rrule");
  const recurrence = vevent.getFirstProperty("recurrence-id");
  const organizer = vevent.getFirstProperty("organizer");
  const organizerEmail = organizer ? mailAddress(organizer.getFirstValue()) : "";
  const event: CalendarEvent = {
    uid: String(uid),
    sequence: Number(vevent.getFirstPropertyValue("sequence") ?? 0) || 0,
    title: textValue(vevent, "summary") ?? "",
    description: textValue(vevent, "description"),
    location: textValue(vevent, "location"),
    url: textValue(vevent, "url"),
    startAt,
    endAt,
    isAllDay,
    timeZone,
    rrule: rrule ? rrule.toString() : null,
    exdates: vevent
      .getAllProperties("exdate")
      .flatMap((p) => (p.getValues() as ICAL.Time[]).map((t) => instantOf(t, tzidOf(p), zones, timeZone))),
    status: String(vevent.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED" ? "cancelled" : "confirmed",
    showAs: String(vevent.getFirstPropertyValue("transp") ?? "").toUpperCase() === "TRANSPARENT" ? "free" : "busy",
    organizer: organizerEmail ? { email: organizerEmail, name: paramText(organizer!, "cn") } : null,
    attendees: vevent.getAllProperties("attendee").flatMap((p) => {
      const email = mailAddress(p.getFirstValue());
      return email ? [{ email, name: paramText(p, "cn"), partstat: partstatOf(p.getParameter("partstat")) }] : [];
    }),
    alarms: vevent.getAllSubcomponents("valarm").flatMap((alarm) => {
      const trigger = alarm.getFirstPropertyValue("trigger");
      return trigger instanceof ICAL.Duration && trigger.toSeconds() <= 0 ? [{ minutesBefore: Math.round(-trigger.toSeconds() / 60) }] : [];
    }),
  };
  if (recurrence) event.recurrenceId = propertyInstant(recurrence, zones, timeZone);
  return { ok: true, value: event };
}

function eventEnd(vevent: ICAL.Component, startAt: Date, isAllDay: boolean, zones: Map<string, ICAL.Timezone>, timeZone: string): Date {
  const dtend = vevent.getFirstProperty("dtend");
  if (dtend) return propertyInstant(dtend, zones, timeZone);
  const duration = vevent.getFirstPropertyValue("duration");
  if (duration instanceof ICAL.Duration) return new Date(startAt.getTime() + duration.toSeconds() * 1000);
  // RFC 5545 3.6.1: no end means one day for a date, the start instant for a date-time.
  return new Date(startAt.getTime() + (isAllDay ? 86_400_000 : 0));
}

/** The instant of an iCalendar time: UTC stays UTC, an IANA TZID through Temporal, other TZIDs through the file's VTIMEZONE. */
function instantOf(time: ICAL.Time, tzid: string | undefined, zones: Map<string, ICAL.Timezone>, defaultZone: string): Date {
  if (time.isDate) return new Date(Date.UTC(time.year, time.month - 1, time.day));
  if (time.zone === ICAL.Timezone.utcTimezone) return new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second));
  const fileZone = tzid ? zones.get(tzid) : undefined;
  const zone = (tzid && validZone(tzid)) || (fileZone ? undefined : defaultZone);
  if (!zone && fileZone) {
    const copy = time.clone();
    copy.zone = fileZone;
    return new Date(copy.toUnixTime() * 1000);
  }
  const wall = Temporal.PlainDateTime.from({ year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: Math.min(time.second, 59) });
  return new Date(wall.toZonedDateTime(zone!).epochMilliseconds);
}

function propertyInstant(prop: ICAL.Property, zones: Map<string, ICAL.Timezone>, defaultZone: string): Date {
  return instantOf(prop.getFirstValue() as ICAL.Time, tzidOf(prop), zones, defaultZone);
}

function tzidOf(prop: ICAL.Property): string | undefined {
  const tzid = prop.getParameter("tzid");
  return typeof tzid === "string" && tzid ? tzid : undefined;
}

function fileZones(root: ICAL.Component): Map<string, ICAL.Timezone> {
  const zones = new Map<string, ICAL.Timezone>();
  for (const comp of root.getAllSubcomponents("vtimezone")) {
    const tzid = comp.getFirstPropertyValue("tzid");
    if (tzid) zones.set(String(tzid), new ICAL.Timezone(comp));
  }
  return zones;
}

function validZone(tzid: string): string | undefined {
  if (!tzid) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tzid }).resolvedOptions().timeZone ? tzid : undefined;
  } catch {
    return undefined;
  }
}

function textValue(comp: ICAL.Component, name: string): string | null {
  const value = comp.getFirstPropertyValue(name);
  return value === null || value === undefined || value === "" ? null : String(value);
}

function paramText(prop: ICAL.Property, name: string): string | null {
  const value = prop.getParameter(name);
  return typeof value === "string" && value ? value : null;
}

function mailAddress(value: unknown): string {
  return String(value ?? "").replace(/^mailto:/i, "").trim().toLowerCase();
}

function partstatOf(value: unknown): Partstat {
  const v = String(value ?? "").toUpperCase();
  if (v === "ACCEPTED") return "accepted";
  if (v === "DECLINED") return "declined";
  if (v === "TENTATIVE") return "tentative";
  return "needs_action";
}
