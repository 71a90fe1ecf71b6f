// Stores the events of an imported .ics file as meetings, in one transaction: new UIDs become meetings, known UIDs of
// the importer are updated when the file is newer (SEQUENCE, then DTSTAMP), others' meetings are never overwritten.
import { importSummaryView, type ImportOutcome } from "../../bot/views/calendar-feed.js";
import { notice, privateMessage, truncate, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { MAX_ATTENDEES, MAX_REMINDER_MINUTES, MAX_REMINDERS, meetingReference, type AttendeeResponse } from "../../domain/meetings.js";
import { parseCalendar, type CalendarEvent } from "../../domain/icalendar.js";
import { checkRRule, seriesEnd } from "../../domain/recurrence.js";
import type { Deps } from "../deps.js";
import { recordCreated, watchRecord } from "../automation/events.js";
import type { Who } from "../resolve-actor.js";
import { planMeetingReminders } from "./plan-reminders.js";

/** A 1 MB file holds a few thousand events at most; past this, the rest is reported, not stored. */
const MAX_EVENTS = 1000;

export async function importCalendarText(deps: Deps, who: Who, text: string, source: string): Promise<Reply> {
  const read = parseCalendar(text);
  if (!read.ok) return privateMessage(notice(`That file is not a calendar Switchboard can read (${read.reason.replace(/\.$/, "")}). Nothing was imported.`));
  let outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0, skipped: [] };
  let references: string[] = [];
  for (let attempt = 1; ; attempt++) {
    outcome = { created: 0, updated: 0, unchanged: 0, skipped: [] };
    try {
      references = await deps.db.$transaction((tx) => storeEvents(tx, deps, who, read.value.events, source.slice(0, 1000), outcome), { timeout: 60_000, maxWait: 10_000 });
      break;
    } catch (error) {
      // Two imports of one file at once (a double click) both create its UIDs; the loser runs again and finds them.
      if (attempt >= 2 || (error as { code?: string }).code !== "P2002") throw error;
    }
  }
  deps.logger.info({ userId: who.user.id, created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, skipped: outcome.skipped.length }, "calendar imported");
  return privateMessage(importSummaryView(outcome, references));
}

async function storeEvents(tx: Tx, deps: Deps, who: Who, events: CalendarEvent[], source: string, outcome: ImportOutcome): Promise<string[]> {
  const masters = latestPerUid(events.filter((e) => !e.recurrenceId));
  const overrides = events.filter((e) => e.recurrenceId);
  const references: string[] = [];
  for (const [i, event] of masters.entries()) {
    if (i >= MAX_EVENTS) {
      outcome.skipped.push(`${masters.length - MAX_EVENTS} more events (at most ${MAX_EVENTS} per import)`);
      break;
    }
    const mine = overrides.filter((o) => o.uid === event.uid);
    const result = await storeMaster(tx, deps, who, event, mine, source);
    if (result.kind === "skipped") outcome.skipped.push(result.reason);
    else if (result.kind === "unchanged") outcome.unchanged += 1;
    else {
      outcome[result.kind] += 1;
      references.push(`${meetingReference(result.number)} ${truncate(event.title, 60)}`);
    }
  }
  const masterUids = new Set(masters.map((m) => m.uid));
  for (const o of overrides.filter((o) => !masterUids.has(o.uid))) {
    const result = await storeLoneOverride(tx, deps, who, o);
    if (result.kind === "skipped") outcome.skipped.push(result.reason);
    else outcome.updated += 1;
  }
  return references;
}

type Stored = { kind: "created" | "updated"; number: number } | { kind: "unchanged" } | { kind: "skipped"; reason: string };

async function storeMaster(tx: Tx, deps: Deps, who: Who, e: CalendarEvent, overrides: CalendarEvent[], source: string): Promise<Stored> {
  const label = `“${truncate(e.title || "Untitled", 60)}”`;
  const ruleProblem = e.rrule ? checkRRule(e) : undefined;
  if (ruleProblem) return { kind: "skipped", reason: `${label}: its repeat rule cannot be used (${ruleProblem})` };
  if (e.endAt.getTime() < e.startAt.getTime()) return { kind: "skipped", reason: `${label}: it ends before it starts` };
  const existing = await tx.meeting.findUnique({ where: { uid: e.uid }, include: { exceptions: true, reminders: true, attendees: { select: { email: true } } } });
  if (existing && existing.organizerId !== who.user.id) return { kind: "skipped", reason: `${label}: ${meetingReference(existing.number)} has this calendar UID and another organizer` };
  if (!existing && e.status === "cancelled") return { kind: "skipped", reason: `${label}: cancelled in the file` };
  const exceptions = dedupeExceptions([
    ...e.exdates.map((d) => ({ originalStart: d, isCancelled: true, startAt: null, endAt: null, title: null, location: null, description: null })),
    ...overrides.map((o) => exceptionOf(e, o)),
  ]);
  const columns = {
    sequence: e.sequence,
    title: truncate(e.title || "Untitled", 300),
    description: e.description ?? null,
    location: e.location ?? null,
    videoUrl: e.url ?? null,
    startAt: e.startAt,
    endAt: e.endAt,
    isAllDay: e.isAllDay,
    timeZone: e.timeZone,
    rrule: e.rrule,
    seriesEndAt: seriesEnd(e, exceptions),
    status: e.status,
    showAs: e.showAs ?? ("busy" as const),
    importedFrom: source,
  };
  const reminders = remindersOf(e);
  const people = attendeesWanted(who, e);
  if (existing && !isNewer(e, existing, fingerprint(columns, exceptions, reminders, [...people.keys()]), fingerprint(existing, existing.exceptions, existing.reminders, existing.attendees.flatMap((a) => (a.email ? [a.email] : []))))) {
    return { kind: "unchanged" };
  }
  const watch = existing ? await watchRecord(tx, deps, "meeting", existing.id, who.user.id) : null;
  const meeting = existing
    ? await tx.meeting.update({ where: { id: existing.id }, data: { ...columns, version: { increment: 1 } }, select: { id: true, number: true } })
    : await tx.meeting.create({ data: { ...columns, uid: e.uid, organizerId: who.user.id }, select: { id: true, number: true } });
  await writeAttendees(tx, meeting.id, people, Boolean(existing), deps.now());
  await tx.meetingReminder.deleteMany({ where: { meetingId: meeting.id } });
  await tx.meetingReminder.createMany({ data: reminders.map((r) => ({ meetingId: meeting.id, ...r })) });
  await tx.meetingException.deleteMany({ where: { meetingId: meeting.id } });
  for (const x of exceptions) await tx.meetingException.create({ data: { meetingId: meeting.id, ...x } });
  await tx.timelineEntry.create({
    data: { recordType: "meeting", recordId: meeting.id, kind: existing ? "imported-update" : "imported", actorId: who.user.id, summary: truncate(`${existing ? "Updated" : "Imported"} from ${source === "file" ? "an .ics file" : source}`, 500) },
  });
  await planMeetingReminders(tx, deps, meeting.id);
  if (watch) await watch.done();
  else await recordCreated(tx, deps, "meeting", meeting.id, who.user.id);
  return { kind: existing ? "updated" : "created", number: meeting.number };
}

/** A RECURRENCE-ID event whose series is not in the file: it changes one occurrence of a series imported earlier. */
async function storeLoneOverride(tx: Tx, deps: Deps, who: Who, o: CalendarEvent): Promise<{ kind: "updated" } | { kind: "skipped"; reason: string }> {
  const label = `“${truncate(o.title, 60)}” (one occurrence)`;
  const master = await tx.meeting.findUnique({ where: { uid: o.uid } });
  if (!master) return { kind: "skipped", reason: `${label}: its series is neither in the file nor in Switchboard` };
  if (master.organizerId !== who.user.id) return { kind: "skipped", reason: `${label}: ${meetingReference(master.number)} has another organizer` };
  const x = exceptionOf(master, o);
  const watch = await watchRecord(tx, deps, "meeting", master.id, who.user.id);
  await tx.meetingException.upsert({ where: { meetingId_originalStart: { meetingId: master.id, originalStart: x.originalStart } }, create: { meetingId: master.id, ...x }, update: x });
  await tx.meeting.update({ where: { id: master.id }, data: { version: { increment: 1 } } });
  await planMeetingReminders(tx, deps, master.id);
  await watch.done();
  return { kind: "updated" };
}

/**
 * RFC 5546 §2.1.5: a higher SEQUENCE wins. With an equal one, RFC 5546 compares DTSTAMP; parseCalendar does not give
 * it and the schema does not keep it, so "the file says something else" stands in: what the file describes is compared
 * with what is stored. Edits made in Switchboard bump SEQUENCE, so an older file never undoes them.
 */
function isNewer(e: CalendarEvent, existing: { sequence: number }, fromFile: string, stored: string): boolean {
  if (e.sequence !== existing.sequence) return e.sequence > existing.sequence;
  return fromFile !== stored;
}

type Fingerprinted = Pick<CalendarEvent, "startAt" | "endAt" | "isAllDay" | "timeZone" | "rrule" | "status"> & {
  title: string;
  description: string | null;
  location: string | null;
  videoUrl: string | null;
  showAs: string;
};

function fingerprint(m: Fingerprinted, exceptions: { originalStart: Date; isCancelled: boolean; startAt: Date | null; endAt: Date | null }[], reminders: { minutesBefore: number }[], emails: string[]): string {
  return JSON.stringify([
    [m.title, m.description, m.location, m.videoUrl, m.startAt.getTime(), m.endAt.getTime(), m.isAllDay, m.timeZone, m.rrule, m.status, m.showAs],
    exceptions.map((x) => [x.originalStart.getTime(), x.isCancelled, x.startAt?.getTime() ?? null, x.endAt?.getTime() ?? null]).sort(),
    reminders.map((r) => r.minutesBefore).sort((a, b) => a - b),
    emails.map((e) => e.toLowerCase()).sort(),
  ]);
}

function latestPerUid(events: CalendarEvent[]): CalendarEvent[] {
  const byUid = new Map<string, CalendarEvent>();
  for (const e of events) {
    const seen = byUid.get(e.uid);
    if (!seen || e.sequence > seen.sequence) byUid.set(e.uid, e);
  }
  return [...byUid.values()];
}

function exceptionOf(master: { title: string; location?: string | null; description?: string | null }, o: CalendarEvent) {
  return {
    originalStart: o.recurrenceId!,
    isCancelled: o.status === "cancelled",
    startAt: o.status === "cancelled" ? null : o.startAt,
    endAt: o.status === "cancelled" ? null : o.endAt,
    title: o.title !== master.title ? truncate(o.title, 300) : null,
    location: (o.location ?? null) !== (master.location ?? null) ? (o.location ?? null) : null,
    description: (o.description ?? null) !== (master.description ?? null) ? (o.description ?? null) : null,
  };
}

/** EXDATE and a RECURRENCE-ID for the same occurrence: the override (a moved occurrence) wins. */
function dedupeExceptions<T extends { originalStart: Date; isCancelled: boolean }>(list: T[]): T[] {
  const byStart = new Map<number, T>();
  for (const x of list) {
    const seen = byStart.get(x.originalStart.getTime());
    if (!seen || (seen.isCancelled && !x.isCancelled)) byStart.set(x.originalStart.getTime(), x);
  }
  return [...byStart.values()];
}

/** The file's VALARMs, as DM reminders within the editor's limits; none when the file has none (no default on import). */
function remindersOf(e: CalendarEvent): { minutesBefore: number; channel: "dm" }[] {
  const minutes = [...new Set((e.alarms ?? []).map((a) => a.minutesBefore))].filter((m) => m >= 0 && m <= MAX_REMINDER_MINUTES);
  return minutes.slice(0, MAX_REMINDERS).map((minutesBefore) => ({ minutesBefore, channel: "dm" as const }));
}

type Wanted = Map<string, { name: string | null; response: AttendeeResponse }>;

/** The importer (organizer, accepted), the file's ORGANIZER when someone else (accepted), then its ATTENDEEs, by email. */
function attendeesWanted(who: Who, e: CalendarEvent): Wanted {
  const me = who.user.email.toLowerCase();
  const wanted: Wanted = new Map();
  wanted.set(me, { name: who.user.name, response: "accepted" });
  if (e.organizer && e.organizer.email !== me) wanted.set(e.organizer.email, { name: e.organizer.name ?? null, response: "accepted" });
  for (const a of e.attendees) {
    if (wanted.size > MAX_ATTENDEES) break;
    if (!wanted.has(a.email)) wanted.set(a.email, { name: a.name ?? null, response: a.partstat });
  }
  return wanted;
}

/** People are matched by email; on an update, an answer given in Switchboard stays unless the file carries one. */
async function writeAttendees(tx: Tx, meetingId: string, wanted: Wanted, isUpdate: boolean, now: Date): Promise<void> {
  const users = await tx.user.findMany({ where: { email: { in: [...wanted.keys()] } }, select: { id: true, email: true, name: true } });
  const userOf = new Map(users.map((u) => [u.email.toLowerCase(), u]));
  const current = isUpdate ? await tx.meetingAttendee.findMany({ where: { meetingId } }) : [];
  const kept = new Set<string>();
  for (const [email, w] of wanted) {
    const user = userOf.get(email);
    const row = current.find((c) => (user && c.userId === user.id) || c.email?.toLowerCase() === email);
    const answered = w.response !== "needs_action";
    if (row) {
      kept.add(row.id);
      if (answered && row.response !== w.response) await tx.meetingAttendee.update({ where: { id: row.id }, data: { response: w.response, respondedAt: now } });
      continue;
    }
    await tx.meetingAttendee.create({
      data: { meetingId, userId: user?.id ?? null, email: user?.email ?? email, name: truncate(user?.name ?? w.name ?? email, 200), response: w.response, respondedAt: answered ? now : null },
    });
  }
  const gone = current.filter((c) => !kept.has(c.id)).map((c) => c.id);
  if (gone.length) await tx.meetingAttendee.deleteMany({ where: { id: { in: gone } } });
}
