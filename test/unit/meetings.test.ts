import { describe, expect, it } from "vitest";
import {
  agendaWindow,
  findClash,
  isOnAgenda,
  meetingReference,
  parseDuration,
  parseMeetingReference,
  parsePeople,
  parseQuickMeeting,
  parseReminders,
  formatReminders,
} from "../../src/domain/meetings.js";

const now = new Date("2026-11-23T09:00:00Z"); // a Monday
const at = (iso: string) => new Date(iso);
const interval = (start: string, end: string) => ({ startAt: at(start), endAt: at(end) });

describe("meeting references", () => {
  it("writes MTG-0042 and reads it back in any case, with or without the prefix", () => {
    expect(meetingReference(42)).toBe("MTG-0042");
    expect(meetingReference(12345)).toBe("MTG-12345");
    expect(parseMeetingReference("MTG-0042")).toBe(42);
    expect(parseMeetingReference(" mtg-42 ")).toBe(42);
    expect(parseMeetingReference("42")).toBe(42);
    expect(parseMeetingReference("CASE-0042")).toBeUndefined();
    expect(parseMeetingReference("MTG-")).toBeUndefined();
    expect(parseMeetingReference("9".repeat(50))).toBeUndefined();
  });
});

describe("durations and reminders", () => {
  it("reads 45m, 1h, 1h30, 1h 30m, 90 and 1.5h", () => {
    expect(parseDuration("45m")).toBe(45);
    expect(parseDuration("1h")).toBe(60);
    expect(parseDuration("1h30")).toBe(90);
    expect(parseDuration("1h 30m")).toBe(90);
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("1.5h")).toBe(90);
    expect(parseDuration("soon")).toBeUndefined();
  });

  it("reads reminders with units and channels, drops duplicates, sorts them", () => {
    const r = parseReminders("1d, 15m, 1h email, 15m");
    expect(r).toEqual({ ok: true, value: [{ minutesBefore: 15, channel: "dm" }, { minutesBefore: 60, channel: "email" }, { minutesBefore: 1440, channel: "dm" }] });
    expect(formatReminders(r.ok ? r.value : [])).toBe("15m, 1h email, 1d");
    expect(parseReminders("")).toEqual({ ok: true, value: [] });
  });

  it("refuses malformed, too many and too distant reminders with a sentence", () => {
    expect(parseReminders("15 parsecs")).toMatchObject({ ok: false, reason: expect.stringContaining("not a reminder") });
    expect(parseReminders("1m,2m,3m,4m,5m,6m")).toMatchObject({ ok: false, reason: expect.stringContaining("At most 5") });
    expect(parseReminders("5w")).toMatchObject({ ok: false, reason: expect.stringContaining("4 weeks") });
  });
});

describe("attendee lists", () => {
  it("reads Slack mentions, emails, Teams names and @names, separated by commas and 'and'", () => {
    expect(parsePeople("<@U123>, <@U456|bea> and bob@ACME.com & @ana, Carl Jones")).toEqual([
      { kind: "slack", slackUserId: "U123" },
      { kind: "slack", slackUserId: "U456" },
      { kind: "email", email: "bob@acme.com" },
      { kind: "name", name: "ana" },
      { kind: "name", name: "Carl Jones" },
    ]);
    expect(parsePeople("<mailto:eve@x.org|eve@x.org>")).toEqual([{ kind: "email", email: "eve@x.org" }]);
  });
});

describe("the quick form", () => {
  it("reads partner, time in the person's zone, duration and people", () => {
    const r = parseQuickMeeting("Acme tomorrow 3pm for 45m with <@U1> and bob@acme.com", now, "Europe/Berlin");
    expect(r).toEqual({
      ok: true,
      value: { partnerName: "Acme", title: undefined, startAt: at("2026-11-24T14:00:00Z"), durationMinutes: 45, people: [{ kind: "slack", slackUserId: "U1" }, { kind: "email", email: "bob@acme.com" }], repeat: undefined },
    });
  });

  it("takes a title after a colon, 1h30 durations and a default of one hour", () => {
    const r = parseQuickMeeting("Acme Corp: quarterly review tomorrow 10am for 1h30", now, "UTC");
    expect(r).toMatchObject({ ok: true, value: { partnerName: "Acme Corp", title: "quarterly review", durationMinutes: 90, startAt: at("2026-11-24T10:00:00Z") } });
    expect(parseQuickMeeting("Globex tomorrow 9am", now, "UTC")).toMatchObject({ ok: true, value: { durationMinutes: 60 } });
  });

  it("turns 'weekly' and 'every Tuesday and Thursday' into a repeat, starting on the first named day", () => {
    expect(parseQuickMeeting("Acme tomorrow 3pm weekly", now, "UTC")).toMatchObject({ ok: true, value: { repeat: { freq: "weekly" } } });
    expect(parseQuickMeeting("Acme tomorrow 3pm every month", now, "UTC")).toMatchObject({ ok: true, value: { partnerName: "Acme", repeat: { freq: "monthly" } } });
    expect(parseQuickMeeting("Acme every fri 9am", now, "UTC")).toMatchObject({ ok: true, value: { repeat: { freq: "weekly", byWeekday: ["FR"] }, startAt: at("2026-11-27T09:00:00Z") } });
    const r = parseQuickMeeting("Acme every Thursday and Tuesday 10am for 30m with ana", now, "UTC");
    expect(r).toMatchObject({ ok: true, value: { partnerName: "Acme", repeat: { freq: "weekly", byWeekday: ["TH", "TU"] }, startAt: at("2026-11-26T10:00:00Z"), people: [{ kind: "name", name: "ana" }] } });
  });

  it("explains what is missing or wrong", () => {
    expect(parseQuickMeeting("Acme with ana", now, "UTC")).toMatchObject({ ok: false, reason: expect.stringContaining("Say when") });
    expect(parseQuickMeeting("Acme yesterday 3pm", now, "UTC")).toMatchObject({ ok: false, reason: expect.stringContaining("in the past") });
    expect(parseQuickMeeting("Acme tomorrow 3pm for ever", now, "UTC")).toMatchObject({ ok: false, reason: expect.stringContaining("not a duration") });
    expect(parseQuickMeeting("Acme tomorrow 3pm for 400h", now, "UTC")).toMatchObject({ ok: false, reason: expect.stringContaining("14 days") });
    expect(parseQuickMeeting(`Acme tomorrow 3pm ${"x".repeat(2000)}`, now, "UTC")).toMatchObject({ ok: false, reason: expect.stringContaining("too long") });
  });
});

describe("the clash rule", () => {
  const weekly = { meeting: { id: "weekly" }, occurrences: [interval("2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z"), interval("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z")] };
  const other = { meeting: { id: "other" }, occurrences: [interval("2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z")] };

  it("finds the earliest clash over any occurrence of the new meeting", () => {
    const mine = [interval("2026-11-30T10:30:00Z", "2026-11-30T11:30:00Z"), interval("2026-12-01T10:30:00Z", "2026-12-01T11:30:00Z")];
    expect(findClash(mine, [weekly, other])).toEqual({ meeting: { id: "other" }, at: other.occurrences[0] });
  });

  it("does not count meetings that only touch (one ends when the other starts)", () => {
    expect(findClash([interval("2026-11-24T11:00:00Z", "2026-11-24T12:00:00Z")], [weekly])).toBeUndefined();
    expect(findClash([interval("2026-11-24T10:59:00Z", "2026-11-24T12:00:00Z")], [weekly])?.meeting).toEqual({ id: "weekly" });
  });
});

describe("agenda windows", () => {
  it("reads today, tomorrow, week and a date in the person's zone", () => {
    expect(agendaWindow("", now, "Europe/Berlin")).toEqual({ ok: true, value: { from: at("2026-11-22T23:00:00Z"), to: at("2026-11-23T23:00:00Z"), label: "Today" } });
    expect(agendaWindow("tomorrow", now, "Europe/Berlin")).toMatchObject({ ok: true, value: { from: at("2026-11-23T23:00:00Z"), to: at("2026-11-24T23:00:00Z") } });
    expect(agendaWindow("week", now, "UTC")).toMatchObject({ ok: true, value: { from: at("2026-11-23T00:00:00Z"), to: at("2026-11-30T00:00:00Z") } });
    expect(agendaWindow("2026-12-01", now, "America/New_York")).toMatchObject({ ok: true, value: { from: at("2026-12-01T05:00:00Z"), to: at("2026-12-02T05:00:00Z") } });
  });

  it("keeps a day 23 hours long across the DST change", () => {
    expect(agendaWindow("2026-03-29", now, "Europe/Madrid")).toMatchObject({ ok: true, value: { from: at("2026-03-28T23:00:00Z"), to: at("2026-03-29T22:00:00Z") } });
  });

  it("refuses other words and impossible dates", () => {
    expect(agendaWindow("someday", now, "UTC")).toMatchObject({ ok: false });
    expect(agendaWindow("2026-02-31", now, "UTC")).toMatchObject({ ok: false });
  });

  it("shows a meeting to its organizer and to attendees who have not declined", () => {
    const m = { organizerId: "o", attendees: [{ userId: "a", response: "accepted" as const }, { userId: "d", response: "declined" as const }] };
    expect([isOnAgenda("o", m), isOnAgenda("a", m), isOnAgenda("d", m), isOnAgenda("x", m)]).toEqual([true, true, false, false]);
  });
});
