// From the submitted meeting form to what is stored: times (all-day dates), the RRULE, attendees, reminders.
import type { MeetingFormInput } from "../../bot/views/meeting-forms.js";
import type { ReminderRule } from "../../domain/meetings.js";
import { ruleProblem, seriesEnd, toRRule, WEEKDAYS, type RecurrenceRule, type Series } from "../../domain/recurrence.js";
import { toLocalInput } from "../../domain/time.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import { partnerFromFormValue } from "../resolve-partner.js";
import { resolvePeople, unknownPeopleMessage } from "./resolve-people.js";

export interface MeetingDraft {
  title: string;
  description: string | null;
  location: string | null;
  videoUrl: string | null;
  startAt: Date;
  endAt: Date;
  isAllDay: boolean;
  timeZone: string;
  rrule: string | null;
  showAs: "busy" | "free";
  /** A partner id, "new:<name>" or a typed name (resolved in the write transaction). */
  partner?: string;
  userIds: string[];
  emails: string[];
  reminders: ReminderRule[];
}

export type DraftResult = { ok: true; draft: MeetingDraft } | { ok: false; errors: Record<string, string> };

const DAY = 24 * 3600_000;

export async function draftFromForm(db: Deps["db"], input: MeetingFormInput, personTimeZone: string): Promise<DraftResult> {
  const timeZone = input.timeZone ?? personTimeZone;
  let startAt = input.startAt;
  let endAt = new Date(startAt.getTime() + input.durationMinutes * 60_000);
  if (input.isAllDay) {
    // Stored as UTC midnights of the dates the person picked (schema: a date, not an instant).
    startAt = utcMidnight(toLocalInput(input.startAt, personTimeZone));
    const last = input.endAt ? utcMidnight(toLocalInput(input.endAt, personTimeZone)) : startAt;
    if (last < startAt) return { ok: false, errors: { endAt: "The last day must not be before the first." } };
    endAt = new Date(last.getTime() + DAY);
  }
  let rrule: string | null = null;
  if (input.repeat !== "none") {
    const rule = ruleFromInput(input, startAt, input.isAllDay ? "UTC" : timeZone);
    const problem = ruleProblem(rule);
    if (problem) return { ok: false, errors: { [input.repeat === "weekly" && problem.includes("weekday") ? "weekdays" : "interval"]: problem } };
    rrule = toRRule(rule, { timeZone, isAllDay: input.isAllDay });
    if (rule.end.kind === "until" && rule.end.date < toLocalInput(startAt, input.isAllDay ? "UTC" : timeZone).slice(0, 10)) {
      return { ok: false, errors: { until: "The last date is before the first meeting." } };
    }
  }
  const people = await resolvePeople(db, input.people);
  if (people.unknown.length) return { ok: false, errors: { people: unknownPeopleMessage(people.unknown) } };
  return {
    ok: true,
    draft: {
      title: input.title,
      description: input.description ?? null,
      location: input.location ?? null,
      videoUrl: input.videoUrl ?? null,
      startAt,
      endAt,
      isAllDay: input.isAllDay,
      timeZone,
      rrule,
      showAs: input.showAs,
      partner: input.partner,
      userIds: people.userIds,
      emails: people.emails,
      reminders: input.reminderRules,
    },
  };
}

export function ruleFromInput(input: MeetingFormInput, startAt: Date, zone: string): RecurrenceRule {
  const local = toLocalInput(startAt, zone);
  const day = Number(local.slice(8, 10));
  const weekday = WEEKDAYS[(new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  const freq = input.repeat as RecurrenceRule["freq"];
  const nth = Math.ceil(day / 7);
  return {
    freq,
    interval: input.interval ?? 1,
    ...(freq === "weekly" && input.byWeekday.length ? { byWeekday: input.byWeekday } : {}),
    ...(freq === "monthly" ? { monthly: input.monthlyBy === "nth" ? { kind: "nthWeekday" as const, nth: nth > 4 ? -1 : nth, weekday } : { kind: "dayOfMonth" as const, day } } : {}),
    end: input.ends === "count" && input.count ? { kind: "count", count: input.count } : input.ends === "until" && input.until ? { kind: "until", date: input.until } : { kind: "never" },
  };
}

export function draftSeries(d: Pick<MeetingDraft, "startAt" | "endAt" | "timeZone" | "isAllDay" | "rrule">): Series {
  return { startAt: d.startAt, endAt: d.endAt, timeZone: d.timeZone, isAllDay: d.isAllDay, rrule: d.rrule };
}

/** The columns a draft sets on a Meeting row (the series end is derived for range queries). */
export async function meetingColumns(tx: Tx, deps: Deps, d: MeetingDraft, organizerId: string) {
  return {
    title: d.title,
    description: d.description,
    location: d.location,
    videoUrl: d.videoUrl,
    startAt: d.startAt,
    endAt: d.endAt,
    isAllDay: d.isAllDay,
    timeZone: d.timeZone,
    rrule: d.rrule,
    seriesEndAt: seriesEnd(draftSeries(d)),
    showAs: d.showAs,
    partnerId: await partnerFromFormValue(tx, deps, d.partner, organizerId),
  };
}

function utcMidnight(local: string): Date {
  return new Date(`${local.slice(0, 10)}T00:00:00.000Z`);
}
