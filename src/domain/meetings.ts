// Meeting rules (Odoo's calendar.event, notes §1.6): references, reminders, durations, the quick form, clashes, agenda windows.
import type { Frequency, Weekday } from "./recurrence.js";
import { findDateTime, fromLocalInput, localDayBounds, toLocalInput } from "./time.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export type AttendeeResponse = "needs_action" | "accepted" | "declined" | "tentative";

export const RESPONSE_LABEL: Record<AttendeeResponse, string> = {
  needs_action: "Not answered",
  accepted: "Accepted",
  declined: "Declined",
  tentative: "Tentative",
};

/** A meeting lasts at most two weeks (longer spans are not meetings; they break clash checks). */
export const MAX_MEETING_MINUTES = 14 * 24 * 60;
/** Reminders at most four weeks ahead, and at most 5 per meeting (Odoo seeds 15 min … 1 day). */
export const MAX_REMINDER_MINUTES = 28 * 24 * 60;
export const MAX_REMINDERS = 5;
/** Attendees per meeting: the invitation fan-out stays bounded. */
export const MAX_ATTENDEES = 50;
/** Clashes are checked against the first 50 occurrences of each series (the brief's bound). */
export const CLASH_OCCURRENCES = 50;

export function meetingReference(number: number): string {
  return `MTG-${String(number).padStart(4, "0")}`;
}

/** "MTG-0042", "mtg-42" or "42"; undefined for anything else. */
export function parseMeetingReference(text: string): number | undefined {
  const m = /^(?:mtg-)?0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** "45m", "1h", "1h30", "1h 30m", "90", "1.5h" → minutes. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  let m = /^(\d{1,5})\s*(?:m|min|mins|minutes?)?$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(\d{1,3})\s*(?:h|hr|hrs|hours?)\s*(?:(\d{1,2})\s*(?:m|min|mins|minutes?)?)?$/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2] ?? 0);
  m = /^(\d{1,3})[.,](\d)\s*(?:h|hr|hrs|hours?)$/.exec(t);
  if (m) return Number(m[1]) * 60 + Number(m[2]) * 6;
  return undefined;
}

export interface ReminderRule {
  minutesBefore: number;
  channel: "dm" | "email";
}

const REMINDER_UNITS: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/** "15m, 1h email, 1d" → reminders (DM unless "email" follows); duplicates kept once. Empty text means none. */
export function parseReminders(text: string): Parsed<ReminderRule[]> {
  const parts = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length > MAX_REMINDERS) return { ok: false, reason: `At most ${MAX_REMINDERS} reminders, e.g. "15m, 1h email".` };
  const rules: ReminderRule[] = [];
  for (const part of parts) {
    const m = /^(\d{1,5})\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)\s*(dm|email|mail)?$/i.exec(part);
    if (!m) return { ok: false, reason: `“${part.slice(0, 40)}” is not a reminder: write an amount and a unit, e.g. "15m", "1h email", "1d".` };
    const minutesBefore = Number(m[1]) * REMINDER_UNITS[m[2]!.toLowerCase()[0]!]!;
    if (minutesBefore > MAX_REMINDER_MINUTES) return { ok: false, reason: "A reminder can be at most 4 weeks before the meeting." };
    const channel = m[3] && /mail/i.test(m[3]) ? "email" : "dm";
    if (!rules.some((r) => r.minutesBefore === minutesBefore && r.channel === channel)) rules.push({ minutesBefore, channel });
  }
  return { ok: true, value: rules.sort((a, b) => a.minutesBefore - b.minutesBefore) };
}

/** "15m, 1h email": the reminders as the form shows them. */
export function formatReminders(rules: ReminderRule[]): string {
  const one = (m: number) => (m % 1440 === 0 && m > 0 ? `${m / 1440}d` : m % 60 === 0 && m > 0 ? `${m / 60}h` : `${m}m`);
  return rules.map((r) => `${one(r.minutesBefore)}${r.channel === "email" ? " email" : ""}`).join(", ");
}

/** Someone named in an attendee list: a Slack mention, an email address, or a name (Teams, or typed). */
export type PersonRef = { kind: "slack"; slackUserId: string } | { kind: "email"; email: string } | { kind: "name"; name: string };

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** "<@U123>, @ana and bob@acme.com" → people; "and" and commas separate them. */
export function parsePeople(text: string): PersonRef[] {
  const refs: PersonRef[] = [];
  const parts = text.split(/,|;|\s+and\s+|\s+&\s+/i).map((p) => p.trim()).filter(Boolean);
  for (const part of parts) {
    // One part can hold several Slack mentions ("<@U1> <@U2>").
    const mentions = [...part.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)];
    if (mentions.length) {
      for (const m of mentions) refs.push({ kind: "slack", slackUserId: m[1]! });
      continue;
    }
    const mailto = part.replace(/^<mailto:([^|>]+)(?:\|[^>]*)?>$/i, "$1");
    if (EMAIL.test(mailto)) refs.push({ kind: "email", email: mailto.toLowerCase() });
    else refs.push({ kind: "name", name: part.replace(/^@/, "").replace(/^<at>|<\/at>$/g, "").trim() });
  }
  return refs.filter((r) => r.kind !== "name" || r.name.length > 0);
}

const WEEKDAY_WORDS: Record<string, Weekday> = { mon: "MO", tue: "TU", wed: "WE", thu: "TH", fri: "FR", sat: "SA", sun: "SU" };

export interface QuickRepeat {
  freq: Frequency;
  byWeekday?: Weekday[];
}

export interface QuickMeeting {
  partnerName?: string;
  title?: string;
  startAt: Date;
  durationMinutes: number;
  people: PersonRef[];
  repeat?: QuickRepeat;
}

const QUICK_EXAMPLE = "/crm meet Acme tomorrow 3pm for 45m with @ana and bob@acme.com";
// Whole day names or their usual short forms only: "every month" must not read as "every Monday".
const DAY_NAME = "(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![a-z])";

/**
 * Reads "[PARTNER[: title]] WHEN [for DURATION] [with PEOPLE] [weekly | every Tuesday …]".
 * The partner comes before the time; the time is read in the person's zone (chrono through time.ts).
 */
export function parseQuickMeeting(text: string, now: Date, timeZone: string): Parsed<QuickMeeting> {
  if (text.length > 1000) return { ok: false, reason: "That is too long for a quick meeting; use the form (`/crm meet`)." };
  let rest = ` ${text.trim()} `;
  let repeat: QuickRepeat | undefined;
  const every = new RegExp(`\\s(?:every|each|on)\\s+(${DAY_NAME}(?:\\s*(?:,|and)\\s*${DAY_NAME})*)s?(?=\\s)`, "i").exec(rest);
  if (every && /^(every|each)/i.test(every[0].trim())) {
    const days = [...every[1]!.matchAll(new RegExp(DAY_NAME, "gi"))].map((d) => WEEKDAY_WORDS[d[0].slice(0, 3).toLowerCase()]!);
    repeat = { freq: "weekly", byWeekday: [...new Set(days)] };
    // Keep the first day in the text so the first meeting falls on it ("every Tuesday 10am" → next Tuesday).
    rest = `${rest.slice(0, every.index)} ${every[1]!.split(/\s*(?:,|and)\s*/i)[0]} ${rest.slice(every.index + every[0].length)}`;
  } else {
    const freq = /\s(daily|every day|weekly|every week|monthly|every month|yearly|annually|every year)(?=\s)/i.exec(rest);
    if (freq) {
      const word = freq[1]!.toLowerCase();
      repeat = { freq: word.includes("day") || word === "daily" ? "daily" : word.includes("week") ? "weekly" : word.includes("month") ? "monthly" : "yearly" };
      rest = rest.slice(0, freq.index) + rest.slice(freq.index + freq[0].length);
    }
  }
  const withIndex = rest.search(/\swith\s/i);
  let people: PersonRef[] = [];
  if (withIndex >= 0) {
    people = parsePeople(rest.slice(withIndex + 6));
    rest = rest.slice(0, withIndex);
  }
  if (people.length > MAX_ATTENDEES) return { ok: false, reason: `At most ${MAX_ATTENDEES} attendees.` };
  let durationMinutes = 60;
  const forMatch = /\sfor\s+(\S+(?:\s+\d+\s*m(?:in(?:utes?)?)?)?|\d+\s+(?:minutes?|hours?))(?=\s|$)/i.exec(rest);
  if (forMatch) {
    const minutes = parseDuration(forMatch[1]!.replace(/\s+(?=[a-z])/i, ""));
    if (minutes === undefined || minutes <= 0) return { ok: false, reason: `“for ${forMatch[1]}” is not a duration: write "for 45m", "for 1h" or "for 1h30".` };
    if (minutes > MAX_MEETING_MINUTES) return { ok: false, reason: "A meeting can last at most 14 days." };
    durationMinutes = minutes;
    rest = rest.slice(0, forMatch.index) + rest.slice(forMatch.index + forMatch[0].length);
  }
  const when = findDateTime(rest, now, timeZone);
  if (!when) return { ok: false, reason: `Say when, e.g. \`${QUICK_EXAMPLE}\`.` };
  let startAt = when.at;
  // "every Friday 9am" on a Monday: chrono may pick the nearest Friday, which can be last week's.
  if (repeat?.byWeekday) while (startAt < now) startAt = new Date(startAt.getTime() + 7 * 24 * 3600_000);
  if (startAt < now) return { ok: false, reason: `${when.matched} is in the past; say when the meeting will be, e.g. \`${QUICK_EXAMPLE}\`.` };
  const before = rest.slice(0, rest.indexOf(when.matched)).replace(/\s+(on|at)\s*$/i, "").trim();
  const colon = before.indexOf(":");
  const partnerName = (colon >= 0 ? before.slice(0, colon) : before).trim() || undefined;
  const title = colon >= 0 ? before.slice(colon + 1).trim() || undefined : undefined;
  if (partnerName && partnerName.length > 200) return { ok: false, reason: "The partner name is longer than 200 characters." };
  if (title && title.length > 200) return { ok: false, reason: "The title is longer than 200 characters; use the form for details." };
  return { ok: true, value: { partnerName, title, startAt, durationMinutes, people, repeat } };
}

export interface Interval {
  startAt: Date;
  endAt: Date;
}

export const overlaps = (a: Interval, b: Interval): boolean => a.startAt.getTime() < b.endAt.getTime() && b.startAt.getTime() < a.endAt.getTime();

/** The first of `others` (busy meetings with their occurrences) that overlaps any occurrence of the new meeting. */
export function findClash<M>(candidate: Interval[], others: { meeting: M; occurrences: Interval[] }[]): { meeting: M; at: Interval } | undefined {
  let best: { meeting: M; at: Interval } | undefined;
  for (const other of others) {
    for (const mine of candidate) {
      const hit = other.occurrences.find((o) => overlaps(mine, o));
      if (hit && (!best || hit.startAt < best.at.startAt)) best = { meeting: other.meeting, at: hit };
      if (hit) break;
    }
  }
  return best;
}

export interface AgendaWindow {
  from: Date;
  to: Date;
  label: string;
}

/** `/crm agenda [today|tomorrow|week|YYYY-MM-DD]` → the window in the person's time zone. */
export function agendaWindow(text: string, now: Date, timeZone: string): Parsed<AgendaWindow> {
  const word = text.trim().toLowerCase();
  const today = localDayBounds(now, timeZone);
  const dayAfter = (start: Date, days: number) => {
    const local = toLocalInput(new Date(start.getTime() + days * 24 * 3600_000 + 12 * 3600_000), timeZone).slice(0, 10);
    return fromLocalInput(`${local}T00:00`, timeZone)!;
  };
  if (word === "" || word === "today") return { ok: true, value: { from: today.start, to: today.end, label: "Today" } };
  if (word === "tomorrow") return { ok: true, value: { from: today.end, to: dayAfter(today.end, 1), label: "Tomorrow" } };
  if (word === "week" || word === "this week") return { ok: true, value: { from: today.start, to: dayAfter(today.start, 7), label: "The next 7 days" } };
  const m = /^(\d{4}-\d{2}-\d{2})$/.exec(word);
  const from = m ? fromLocalInput(`${m[1]}T00:00`, timeZone) : undefined;
  if (!from || toLocalInput(from, timeZone).slice(0, 10) !== m![1]) return { ok: false, reason: "Write `agenda`, `agenda tomorrow`, `agenda week` or a date like `agenda 2026-12-01`." };
  return { ok: true, value: { from, to: dayAfter(from, 1), label: m![1]! } };
}

/** Who sees a meeting in their agenda: the organizer, and attendees who have not declined. */
export function isOnAgenda(personId: string, m: { organizerId: string; attendees: { userId: string | null; response: AttendeeResponse }[] }): boolean {
  return m.organizerId === personId || m.attendees.some((a) => a.userId === personId && a.response !== "declined");
}

export const isValidVideoUrl = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
};
