// Recurrence rules: RFC 5545 §3.8.5.3 examples, DST, exceptions, bounded expansion, split and description.
import { describe, expect, it } from "vitest";
import {
  describeRule,
  fromRRule,
  nextOccurrenceAfter,
  occurrences,
  checkRRule,
  ruleProblem,
  seriesEnd,
  splitSeries,
  toRRule,
  type OccurrenceException,
  type RecurrenceRule,
  type Series,
} from "../../src/domain/recurrence.js";

const NY = "America/New_York";
const FAR = { from: new Date("1990-01-01T00:00:00Z"), to: new Date("2100-01-01T00:00:00Z") };

/** A one-hour series starting at a local wall time ("1997-09-02T09:00") in a zone. */
function aSeries(local: string, timeZone: string, rrule: string | null, minutes = 60): Series {
  const startAt = wall(local, timeZone);
  return { startAt, endAt: new Date(startAt.getTime() + minutes * 60_000), timeZone, isAllDay: false, rrule };
}

/** The instant of a wall-clock time in a zone, computed without the host's TZ. */
function wall(local: string, timeZone: string): Date {
  const guess = new Date(`${local}:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(guess);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asLocal = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return new Date(guess.getTime() - (asLocal - guess.getTime()));
}

/** Local dates and times of occurrences, read in the zone (what the RFC lists). */
function localDays(list: { startAt: Date }[], timeZone: string): string[] {
  const f = new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  return list.map((o) => f.format(o.startAt));
}

function expandEditorRule(rule: RecurrenceRule, local: string, timeZone = NY) {
  expect(ruleProblem(rule)).toBeUndefined();
  return occurrences(aSeries(local, timeZone, toRRule(rule, { timeZone })), [], FAR, 1000);
}

describe("RFC 5545 §3.8.5.3 examples the editor can express", () => {
  it("daily for 10 occurrences", () => {
    const list = expandEditorRule({ freq: "daily", interval: 1, end: { kind: "count", count: 10 } }, "1997-09-02T09:00");
    expect(localDays(list, NY)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((d) => `1997-09-${String(d).padStart(2, "0")} 09:00`));
  });

  it("daily until December 24, 1997 (UNTIL=19971224T000000Z is the local date 23 Dec)", () => {
    const rule = fromRRule("FREQ=DAILY;UNTIL=19971224T000000Z", NY)!;
    expect(rule.end).toEqual({ kind: "until", date: "1997-12-23" });
    const list = expandEditorRule(rule, "1997-09-02T09:00");
    expect(list).toHaveLength(113);
    expect(localDays([list[0]!, list.at(-1)!], NY)).toEqual(["1997-09-02 09:00", "1997-12-23 09:00"]);
  });

  it("every other day, forever (bounded by the window and the limit)", () => {
    const series = aSeries("1997-09-02T09:00", NY, toRRule({ freq: "daily", interval: 2, end: { kind: "never" } }));
    expect(localDays(occurrences(series, [], FAR, 4), NY)).toEqual(["1997-09-02 09:00", "1997-09-04 09:00", "1997-09-06 09:00", "1997-09-08 09:00"]);
  });

  it("every 10 days, 5 occurrences", () => {
    const list = expandEditorRule({ freq: "daily", interval: 10, end: { kind: "count", count: 5 } }, "1997-09-02T09:00");
    expect(localDays(list, NY)).toEqual(["1997-09-02 09:00", "1997-09-12 09:00", "1997-09-22 09:00", "1997-10-02 09:00", "1997-10-12 09:00"]);
  });

  it("weekly for 10 occurrences", () => {
    const list = expandEditorRule({ freq: "weekly", interval: 1, end: { kind: "count", count: 10 } }, "1997-09-02T09:00");
    expect(localDays(list, NY).map((s) => s.slice(5, 10))).toEqual(["09-02", "09-09", "09-16", "09-23", "09-30", "10-07", "10-14", "10-21", "10-28", "11-04"]);
    expect(localDays(list, NY).every((s) => s.endsWith("09:00"))).toBe(true);
  });

  it("weekly until December 24, 1997", () => {
    const list = expandEditorRule({ freq: "weekly", interval: 1, end: { kind: "until", date: "1997-12-23" } }, "1997-09-02T09:00");
    expect(list).toHaveLength(17);
    expect(localDays([list.at(-1)!], NY)).toEqual(["1997-12-23 09:00"]);
  });

  it("every other week on Monday, Wednesday and Friday until December 24, 1997", () => {
    const expected = ["09-01", "09-03", "09-05", "09-15", "09-17", "09-19", "09-29", "10-01", "10-03", "10-13", "10-15", "10-17", "10-27", "10-29", "10-31", "11-10", "11-12", "11-14", "11-24", "11-26", "11-28", "12-08", "12-10", "12-12", "12-22"];
    const editor = expandEditorRule({ freq: "weekly", interval: 2, byWeekday: ["MO", "WE", "FR"], end: { kind: "until", date: "1997-12-23" } }, "1997-09-01T09:00");
    expect(localDays(editor, NY).map((s) => s.slice(5, 10))).toEqual(expected);
    // The RFC's own text (WKST=SU) expanded as imported gives the same dates.
    const imported = occurrences(aSeries("1997-09-01T09:00", NY, "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR"), [], FAR);
    expect(localDays(imported, NY).map((s) => s.slice(5, 10))).toEqual(expected);
  });

  it("monthly on the first Friday for 10 occurrences", () => {
    const rule = fromRRule("FREQ=MONTHLY;COUNT=10;BYDAY=1FR", NY)!;
    expect(rule.monthly).toEqual({ kind: "nthWeekday", nth: 1, weekday: "FR" });
    const list = expandEditorRule(rule, "1997-09-05T09:00");
    expect(localDays(list, NY).map((s) => s.slice(0, 10))).toEqual(["1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05", "1998-01-02", "1998-02-06", "1998-03-06", "1998-04-03", "1998-05-01", "1998-06-05"]);
  });

  it("monthly on the last day (BYMONTHDAY=-1)", () => {
    const list = expandEditorRule({ freq: "monthly", interval: 1, monthly: { kind: "dayOfMonth", day: -1 }, end: { kind: "count", count: 4 } }, "1997-01-31T09:00");
    expect(localDays(list, NY).map((s) => s.slice(0, 10))).toEqual(["1997-01-31", "1997-02-28", "1997-03-31", "1997-04-30"]);
  });
});

describe("RFC examples the editor cannot express are still expanded as imported", () => {
  it("monthly on the second-to-last Monday: fromRRule says undefined, expansion follows the RFC", () => {
    const text = "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO";
    expect(fromRRule(text)).toBeUndefined();
    const list = occurrences(aSeries("1997-09-22T09:00", NY, text), [], FAR);
    expect(localDays(list, NY).map((s) => s.slice(0, 10))).toEqual(["1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"]);
  });

  it("yearly in June and July for 10 occurrences (BYMONTH)", () => {
    const text = "FREQ=YEARLY;COUNT=10;BYMONTH=6,7";
    expect(fromRRule(text)).toBeUndefined();
    const list = occurrences(aSeries("1997-06-10T09:00", NY, text), [], FAR);
    expect(localDays(list, NY).map((s) => s.slice(0, 10))).toEqual(["1997-06-10", "1997-07-10", "1998-06-10", "1998-07-10", "1999-06-10", "1999-07-10", "2000-06-10", "2000-07-10", "2001-06-10", "2001-07-10"]);
  });

  it("refuses BYSETPOS, BYHOUR, several month days, ordinal weekdays in weekly rules and oversized counts", () => {
    for (const text of ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=DAILY;BYHOUR=9,17", "FREQ=MONTHLY;BYMONTHDAY=1,15", "FREQ=WEEKLY;BYDAY=1MO", "FREQ=DAILY;COUNT=721", "FREQ=HOURLY", "FREQ=MONTHLY;BYDAY=5MO", "garbage", "FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z"]) {
      expect(fromRRule(text), text).toBeUndefined();
    }
  });
});

describe("unreadable rules", () => {
  it("says so in a sentence instead of expanding garbage or oversized text", () => {
    for (const rrule of ["FREQ=NEVER", "BYDAY=MO", "FREQ=WEEKLY;;", "FREQ=DAILY;COUNT=3;COUNT=4", `FREQ=DAILY;${"X=1;".repeat(300)}`, "FREQ=DAILY\r\nX:1"]) {
      expect(checkRRule(aSeries("2026-01-05T10:00", "UTC", rrule)), rrule).toBe("The repeat rule could not be read.");
    }
    expect(checkRRule(aSeries("2026-01-05T10:00", "UTC", "FREQ=MONTHLY;BYDAY=-2MO"))).toBeUndefined();
    expect(checkRRule(aSeries("2026-01-05T10:00", "UTC", null))).toBeUndefined();
  });
});

describe("editor rule <-> RRULE", () => {
  it("round-trips every shape the editor offers", () => {
    const rules: RecurrenceRule[] = [
      { freq: "daily", interval: 1, end: { kind: "never" } },
      { freq: "weekly", interval: 2, byWeekday: ["TU", "TH"], end: { kind: "count", count: 10 } },
      { freq: "monthly", interval: 1, monthly: { kind: "dayOfMonth", day: 15 }, end: { kind: "until", date: "2026-12-31" } },
      { freq: "monthly", interval: 3, monthly: { kind: "nthWeekday", nth: -1, weekday: "FR" }, end: { kind: "never" } },
      { freq: "yearly", interval: 1, end: { kind: "count", count: 5 } },
    ];
    for (const rule of rules) expect(fromRRule(toRRule(rule, { timeZone: "Europe/Madrid" }), "Europe/Madrid")).toEqual(rule);
  });

  it("writes UNTIL as the end of the local day in UTC, or as a DATE for all-day series", () => {
    const rule: RecurrenceRule = { freq: "daily", interval: 1, end: { kind: "until", date: "2026-07-01" } };
    expect(toRRule(rule, { timeZone: "Europe/Madrid" })).toBe("FREQ=DAILY;UNTIL=20260701T215959Z");
    expect(toRRule(rule, { timeZone: "Europe/Madrid", isAllDay: true })).toBe("FREQ=DAILY;UNTIL=20260701");
  });

  it("explains what is wrong with a rule", () => {
    expect(ruleProblem({ freq: "daily", interval: 0, end: { kind: "never" } })).toMatch(/every 1 to 99 days/);
    expect(ruleProblem({ freq: "daily", interval: 1, end: { kind: "count", count: 0 } })).toMatch(/1 to 720/);
    expect(ruleProblem({ freq: "monthly", interval: 1, monthly: { kind: "dayOfMonth", day: 32 }, end: { kind: "never" } })).toMatch(/1 to 31/);
    expect(ruleProblem({ freq: "daily", interval: 1, end: { kind: "until", date: "2026-02-30" } })).toMatch(/does not exist/);
  });

  it("describes rules in words", () => {
    expect(describeRule({ freq: "weekly", interval: 2, byWeekday: ["TH", "TU"], end: { kind: "count", count: 10 } })).toBe("Every 2 weeks on Tue and Thu, 10 times");
    expect(describeRule({ freq: "daily", interval: 1, end: { kind: "never" } })).toBe("Every day");
    expect(describeRule({ freq: "weekly", interval: 1, byWeekday: ["MO", "WE", "FR"], end: { kind: "until", date: "2026-03-05" } })).toBe("Every week on Mon, Wed and Fri, until 5 Mar 2026");
    expect(describeRule({ freq: "monthly", interval: 1, monthly: { kind: "nthWeekday", nth: 2, weekday: "TU" }, end: { kind: "never" } })).toBe("Every month on the 2nd Tuesday");
    expect(describeRule({ freq: "monthly", interval: 1, monthly: { kind: "dayOfMonth", day: -1 }, end: { kind: "count", count: 1 } })).toBe("Every month on the last day, once");
    expect(describeRule({ freq: "yearly", interval: 3, end: { kind: "never" } })).toBe("Every 3 years");
  });
});

describe("wall-clock time across daylight saving changes", () => {
  it("a weekly 09:00 Europe/Madrid meeting stays at 09:00 local; the UTC instant moves in March and October", () => {
    const series = aSeries("2026-03-23T09:00", "Europe/Madrid", "FREQ=WEEKLY");
    const march = occurrences(series, [], { from: new Date("2026-03-20T00:00:00Z"), to: new Date("2026-04-01T00:00:00Z") });
    expect(march.map((o) => o.startAt.toISOString())).toEqual(["2026-03-23T08:00:00.000Z", "2026-03-30T07:00:00.000Z"]);
    const october = occurrences(series, [], { from: new Date("2026-10-15T00:00:00Z"), to: new Date("2026-10-30T00:00:00Z") });
    expect(october.map((o) => o.startAt.toISOString())).toEqual(["2026-10-19T07:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
    expect(october.map((o) => o.endAt.getTime() - o.startAt.getTime())).toEqual([3_600_000, 3_600_000]);
  });

  it("the same for America/New_York in March and November", () => {
    const series = aSeries("2026-03-02T09:00", NY, "FREQ=WEEKLY;BYDAY=MO");
    const list = occurrences(series, [], { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-10T00:00:00Z") });
    expect(list.map((o) => o.startAt.toISOString())).toEqual(["2026-03-02T14:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
    const fall = occurrences(series, [], { from: new Date("2026-10-25T00:00:00Z"), to: new Date("2026-11-03T00:00:00Z") });
    expect(fall.map((o) => o.startAt.toISOString())).toEqual(["2026-10-26T13:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
  });

  it("gives the same instants whatever the host time zone is", () => {
    const saved = process.env.TZ;
    const run = () => occurrences(aSeries("2026-03-23T09:00", "Europe/Madrid", "FREQ=DAILY;COUNT=10"), [], FAR).map((o) => o.startAt.getTime());
    try {
      process.env.TZ = "UTC";
      const inUtc = run();
      process.env.TZ = "America/Los_Angeles";
      const inLa = run();
      process.env.TZ = "Asia/Kolkata";
      expect(run()).toEqual(inUtc);
      expect(inLa).toEqual(inUtc);
      expect(new Date(inUtc[7]!).toISOString()).toBe("2026-03-30T07:00:00.000Z");
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("exceptions, windows and limits", () => {
  const series = aSeries("2026-01-05T10:00", "UTC", "FREQ=WEEKLY;COUNT=6");
  const at = (iso: string) => new Date(`${iso}T10:00:00Z`);
  const exceptions: OccurrenceException[] = [
    { originalStart: at("2026-01-12"), isCancelled: true, startAt: null, endAt: null },
    { originalStart: at("2026-01-19"), isCancelled: false, startAt: new Date("2026-01-21T15:00:00Z"), endAt: new Date("2026-01-21T15:30:00Z") },
    // Moved far out of its week: it appears where it went.
    { originalStart: at("2026-02-09"), isCancelled: false, startAt: new Date("2026-03-30T10:00:00Z"), endAt: null },
  ];

  it("skips cancelled occurrences and shows moved ones at their new time", () => {
    const list = occurrences(series, exceptions, FAR);
    expect(list.map((o) => [o.originalStart.toISOString().slice(0, 10), o.startAt.toISOString(), o.isException])).toEqual([
      ["2026-01-05", "2026-01-05T10:00:00.000Z", false],
      ["2026-01-19", "2026-01-21T15:00:00.000Z", true],
      ["2026-01-26", "2026-01-26T10:00:00.000Z", false],
      ["2026-02-02", "2026-02-02T10:00:00.000Z", false],
      ["2026-03-30", "2026-03-30T10:00:00.000Z", true].map((v, i) => (i === 0 ? "2026-02-09" : v)),
    ]);
    expect(list[1]!.endAt.toISOString()).toBe("2026-01-21T15:30:00.000Z");
    expect(list[4]!.endAt.toISOString()).toBe("2026-03-30T11:00:00.000Z");
  });

  it("finds a moved occurrence in a window its rule time is not in, and drops one moved out of it", () => {
    const march = occurrences(series, exceptions, { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-04-01T00:00:00Z") });
    expect(march.map((o) => o.originalStart.toISOString())).toEqual(["2026-02-09T10:00:00.000Z"]);
    const feb = occurrences(series, exceptions, { from: new Date("2026-02-08T00:00:00Z"), to: new Date("2026-02-10T00:00:00Z") });
    expect(feb).toEqual([]);
  });

  it("includes an occurrence already in progress at the window start", () => {
    const list = occurrences(series, [], { from: new Date("2026-01-05T10:30:00Z"), to: new Date("2026-01-06T00:00:00Z") });
    expect(list.map((o) => o.startAt.toISOString())).toEqual(["2026-01-05T10:00:00.000Z"]);
  });

  it("ignores an exception for a time that is not an occurrence", () => {
    const stray: OccurrenceException = { originalStart: new Date("2026-01-06T10:00:00Z"), isCancelled: false, startAt: new Date("2026-01-07T10:00:00Z"), endAt: null };
    expect(occurrences(series, [stray], FAR)).toHaveLength(6);
  });

  it("next occurrence skips the cancelled one and finds the moved one", () => {
    expect(nextOccurrenceAfter(series, exceptions, at("2026-01-05"))?.startAt.toISOString()).toBe("2026-01-21T15:00:00.000Z");
    expect(nextOccurrenceAfter(series, exceptions, at("2026-02-02"))?.startAt.toISOString()).toBe("2026-03-30T10:00:00.000Z");
    expect(nextOccurrenceAfter(series, exceptions, at("2026-03-30"))).toBeNull();
  });

  it("a single meeting is its one occurrence", () => {
    const single = aSeries("2026-05-01T10:00", "UTC", null);
    expect(occurrences(single, [], FAR)).toHaveLength(1);
    expect(nextOccurrenceAfter(single, [], new Date("2026-01-01T00:00:00Z"))?.startAt).toEqual(single.startAt);
    expect(nextOccurrenceAfter(single, [], single.startAt)).toBeNull();
    expect(seriesEnd(single)).toEqual(single.endAt);
  });

  // Speed is a benchmark's business (DESIGN.md); this checks the caps that keep an endless rule bounded.
  it("an endless series over a century returns only `limit` occurrences, and never more than 5000", () => {
    const endless = aSeries("2026-01-01T00:00", "Europe/Madrid", "FREQ=MINUTELY;INTERVAL=5");
    const list = occurrences(endless, [], FAR, 50);
    expect(list).toHaveLength(50);
    expect(occurrences(endless, [], FAR, 1e9)).toHaveLength(5000);
  });

  it("finds the next occurrence of an hourly endless rule 20 years out", () => {
    const hourly = aSeries("2026-03-02T09:30", "Europe/Madrid", "FREQ=HOURLY");
    expect(nextOccurrenceAfter(hourly, [], new Date("2046-01-01T00:00:00Z"))?.startAt.toISOString()).toBe("2046-01-01T00:30:00.000Z");
    expect(nextOccurrenceAfter(hourly, [], new Date("2046-06-01T10:10:00Z"))?.startAt.toISOString()).toBe("2046-06-01T10:30:00.000Z");
  });
});

describe("series end", () => {
  it("is the end of the last occurrence for COUNT and UNTIL, null when endless", () => {
    expect(seriesEnd(aSeries("2026-01-05T10:00", "UTC", "FREQ=WEEKLY;COUNT=3"))?.toISOString()).toBe("2026-01-19T11:00:00.000Z");
    expect(seriesEnd(aSeries("2026-01-05T10:00", NY, "FREQ=DAILY;UNTIL=20260110T045959Z"))?.toISOString()).toBe("2026-01-09T16:00:00.000Z");
    expect(seriesEnd(aSeries("2026-01-05T10:00", "UTC", "FREQ=WEEKLY"))).toBeNull();
    // A DATE-valued UNTIL on a timed rule (seen in imports) includes that local day.
    expect(seriesEnd(aSeries("2026-01-05T23:30", NY, "FREQ=DAILY;UNTIL=20260107", 15))?.toISOString()).toBe("2026-01-08T04:45:00.000Z");
  });

  it("counts a last occurrence moved later", () => {
    const s = aSeries("2026-01-05T10:00", "UTC", "FREQ=WEEKLY;COUNT=2");
    const moved = [{ originalStart: new Date("2026-01-12T10:00:00Z"), isCancelled: false, startAt: new Date("2026-01-14T10:00:00Z"), endAt: new Date("2026-01-14T12:00:00Z") }];
    expect(seriesEnd(s, moved)?.toISOString()).toBe("2026-01-14T12:00:00.000Z");
  });
});

describe("all-day series", () => {
  const allDay: Series = { startAt: new Date("2026-03-27T00:00:00Z"), endAt: new Date("2026-03-28T00:00:00Z"), timeZone: "Europe/Madrid", isAllDay: true, rrule: "FREQ=WEEKLY;UNTIL=20260410" };

  it("stays on midnight UTC of each date, across DST, through a DATE-valued UNTIL", () => {
    expect(occurrences(allDay, [], FAR).map((o) => o.startAt.toISOString())).toEqual(["2026-03-27T00:00:00.000Z", "2026-04-03T00:00:00.000Z", "2026-04-10T00:00:00.000Z"]);
    expect(seriesEnd(allDay)?.toISOString()).toBe("2026-04-11T00:00:00.000Z");
  });
});

describe("this and following (splitSeries)", () => {
  it("ends the old rule before the occurrence and starts the new one there, with COUNT reduced", () => {
    const series = aSeries("2026-03-16T09:00", "Europe/Madrid", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10");
    const all = occurrences(series, [], FAR);
    const at = all[3]!.originalStart;
    const result = splitSeries(series, at, [{ originalStart: all[1]!.originalStart, isCancelled: true, startAt: null, endAt: null }, { originalStart: all[5]!.originalStart, isCancelled: true, startAt: null, endAt: null }]);
    if (!result.ok) throw new Error(result.reason);
    const { before, after, beforeExceptions, afterExceptions } = result.value;
    expect(after.rrule).toBe("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=7");
    expect(after.startAt).toEqual(at);
    expect(before!.rrule).toMatch(/^FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=\d{8}T\d{6}Z$/);
    const joined = [...occurrences(before!, [], FAR), ...occurrences(after, [], FAR)].map((o) => o.startAt.getTime());
    expect(joined).toEqual(all.map((o) => o.startAt.getTime()));
    expect(beforeExceptions).toHaveLength(1);
    expect(afterExceptions).toHaveLength(1);
  });

  it("keeps UNTIL for the new series, moves the whole series at the first occurrence, and refuses a non-occurrence", () => {
    const series = aSeries("2026-03-16T09:00", "Europe/Madrid", "FREQ=DAILY;UNTIL=20260331T225959Z");
    const third = occurrences(series, [], FAR)[2]!.originalStart;
    const split = splitSeries(series, third);
    expect(split.ok && split.value.after.rrule).toBe("FREQ=DAILY;UNTIL=20260331T225959Z");
    const whole = splitSeries(series, series.startAt);
    expect(whole.ok && whole.value.before).toBeNull();
    expect(splitSeries(series, new Date(third.getTime() + 60_000))).toEqual({ ok: false, reason: "That occurrence is not part of the series any more." });
    expect(splitSeries({ ...series, rrule: null }, series.startAt).ok).toBe(false);
  });
});
