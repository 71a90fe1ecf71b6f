// iCalendar files: what we build reads back (with ical.js directly and through parseCalendar), and bad files are refused.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildCalendar, parseCalendar, parseReply, type CalendarEvent } from "../../src/domain/icalendar.js";

/** ical.js writes RRULE parts in its own order; the rule is the same. */
const sortedParts = (rrule: string | null) => (rrule ?? "").split(";").sort().join(";");

const NOW = new Date("2026-03-01T12:00:00Z");

function anEvent(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: "mtg-42@switchboard.test",
    sequence: 3,
    title: "Renewal review",
    description: "Agenda: pricing, terms; next steps\nSecond line 🚀",
    location: "Room 4, Madrid",
    url: "https://meet.example.com/abc-defg-hij",
    startAt: new Date("2026-03-23T08:00:00Z"),
    endAt: new Date("2026-03-23T09:00:00Z"),
    isAllDay: false,
    timeZone: "Europe/Madrid",
    rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=10",
    exdates: [new Date("2026-04-06T07:00:00Z")],
    status: "confirmed",
    showAs: "busy",
    organizer: { email: "ana@example.com", name: "Ana Ruiz" },
    attendees: [
      { email: "bo@example.com", name: "Bo; \"The\" Boss", partstat: "accepted" },
      { email: "cy@example.com", name: null, partstat: "needs_action" },
      { email: "di@example.com", name: "Di", partstat: "declined" },
      { email: "ed@example.com", name: "Ed", partstat: "tentative" },
    ],
    alarms: [{ minutesBefore: 15 }, { minutesBefore: 60 }],
    ...over,
  };
}

const moved = anEvent({
  title: "Renewal review (moved)",
  rrule: null,
  exdates: [],
  recurrenceId: new Date("2026-03-30T07:00:00Z"),
  startAt: new Date("2026-03-31T13:00:00Z"),
  endAt: new Date("2026-03-31T14:00:00Z"),
});

describe("buildCalendar", () => {
  const text = buildCalendar({ method: "REQUEST", now: NOW, events: [anEvent(), moved] });

  it("ends lines with CRLF and folds them at 75 octets", () => {
    expect(text.split("\r\n").join("")).not.toMatch(/\n/);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    // The long description must have been folded somewhere.
    expect(text).toMatch(/\r\n /);
  });

  it("reads back with ical.js alone: calendar, time zone, event properties", () => {
    const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    expect(root.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(root.getFirstPropertyValue("prodid")).toMatch(/Switchboard/);
    const zones = root.getAllSubcomponents("vtimezone");
    expect(zones.map((z) => z.getFirstPropertyValue("tzid"))).toEqual(["Europe/Madrid"]);
    const [series, override] = root.getAllSubcomponents("vevent");
    expect(series!.getFirstPropertyValue("uid")).toBe("mtg-42@switchboard.test");
    expect(series!.getFirstPropertyValue("sequence")).toBe(3);
    expect(series!.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/Madrid");
    expect(String(series!.getFirstPropertyValue("dtstart"))).toBe("2026-03-23T09:00:00");
    expect(sortedParts(String(series!.getFirstPropertyValue("rrule")))).toBe(sortedParts("FREQ=WEEKLY;BYDAY=MO;COUNT=10"));
    expect(String(series!.getFirstPropertyValue("exdate"))).toBe("2026-04-06T09:00:00");
    expect(series!.getFirstPropertyValue("summary")).toBe("Renewal review");
    expect(series!.getFirstPropertyValue("description")).toBe("Agenda: pricing, terms; next steps\nSecond line 🚀");
    expect(series!.getFirstPropertyValue("location")).toBe("Room 4, Madrid");
    expect(series!.getFirstPropertyValue("url")).toBe("https://meet.example.com/abc-defg-hij");
    expect(series!.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(series!.getFirstPropertyValue("transp")).toBe("OPAQUE");
    expect(series!.getFirstPropertyValue("dtstamp")!.toString()).toBe("2026-03-01T12:00:00Z");
    const organizer = series!.getFirstProperty("organizer")!;
    expect([organizer.getFirstValue(), organizer.getParameter("cn")]).toEqual(["mailto:ana@example.com", "Ana Ruiz"]);
    const attendees = series!.getAllProperties("attendee").map((p) => [String(p.getFirstValue()).toLowerCase(), p.getParameter("partstat"), p.getParameter("rsvp"), p.getParameter("cn") ?? null]);
    expect(attendees).toEqual([
      ["mailto:bo@example.com", "ACCEPTED", "TRUE", "Bo; \"The\" Boss".replaceAll('"', "'")],
      ["mailto:cy@example.com", "NEEDS-ACTION", "TRUE", null],
      ["mailto:di@example.com", "DECLINED", "TRUE", "Di"],
      ["mailto:ed@example.com", "TENTATIVE", "TRUE", "Ed"],
    ]);
    const alarms = series!.getAllSubcomponents("valarm").map((a) => [a.getFirstPropertyValue("action"), String(a.getFirstPropertyValue("trigger"))]);
    expect(alarms).toEqual([["DISPLAY", "-PT15M"], ["DISPLAY", "-PT1H"]]);
    expect(String(override!.getFirstPropertyValue("recurrence-id"))).toBe("2026-03-30T09:00:00");
    expect(override!.getFirstProperty("rrule")).toBeNull();
  });

  it("round-trips through parseCalendar: uid, sequence, rule, exdates, override, attendees, alarms", () => {
    const parsed = parseCalendar(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.method).toBe("REQUEST");
    const [series, override] = parsed.value.events;
    const { alarms, attendees, ...rest } = anEvent();
    expect(sortedParts(series!.rrule)).toBe(sortedParts(rest.rrule));
    expect(series).toMatchObject({ ...rest, rrule: series!.rrule, attendees: attendees.map((a) => ({ ...a, name: a.name?.replaceAll('"', "'") ?? null })) });
    expect(series!.alarms).toEqual(alarms);
    expect(override).toMatchObject({ uid: moved.uid, recurrenceId: moved.recurrenceId, startAt: moved.startAt, endAt: moved.endAt, title: moved.title, rrule: null });
  });

  it("marks cancellations, free time and all-day series", () => {
    const allDay = anEvent({ isAllDay: true, startAt: new Date("2026-05-01T00:00:00Z"), endAt: new Date("2026-05-03T00:00:00Z"), rrule: "FREQ=YEARLY", exdates: [new Date("2027-05-01T00:00:00Z")], status: "cancelled", showAs: "free" });
    const text2 = buildCalendar({ method: "CANCEL", now: NOW, events: [allDay] });
    expect(text2).toContain("DTSTART;VALUE=DATE:20260501\r\n");
    expect(text2).toContain("DTEND;VALUE=DATE:20260503\r\n");
    expect(text2).toContain("EXDATE;VALUE=DATE:20270501\r\n");
    expect(text2).toContain("STATUS:CANCELLED\r\n");
    expect(text2).toContain("TRANSP:TRANSPARENT\r\n");
    expect(text2).toContain("METHOD:CANCEL\r\n");
    const parsed = parseCalendar(text2);
    expect(parsed.ok && parsed.value.events[0]).toMatchObject({ isAllDay: true, startAt: allDay.startAt, endAt: allDay.endAt, exdates: allDay.exdates, status: "cancelled", showAs: "free" });
  });

  it("writes one VTIMEZONE per zone used, none for UTC, and no METHOD for a feed", () => {
    const text3 = buildCalendar({ method: null, now: NOW, events: [anEvent(), anEvent({ uid: "b", timeZone: "America/New_York" }), anEvent({ uid: "c", timeZone: "UTC", exdates: [] })] });
    expect(text3).not.toContain("METHOD:");
    expect([...text3.matchAll(/^TZID:(.+)\r$/gm)].map((m) => m[1])).toEqual(["Europe/Madrid", "America/New_York"]);
    expect(text3).toContain("DTSTART;TZID=America/New_York:20260323T040000");
  });

  it("gives the same file whatever the host time zone is", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "Pacific/Auckland";
      const other = buildCalendar({ method: "REQUEST", now: NOW, events: [anEvent(), moved] });
      expect(other).toBe(text);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("parseCalendar on files from elsewhere", () => {
  const outlook = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "METHOD:REQUEST", "X-UNKNOWN-THING:whatever",
    "BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD", "DTSTART:16011028T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
    "END:VTIMEZONE",
    "BEGIN:VEVENT", "UID:040000008200E00074C5B7101A82E008", "SUMMARY:Kick-off", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
    "DTSTART;TZID=W. Europe Standard Time:20260701T100000", "DURATION:PT30M",
    "ORGANIZER;CN=Max:MAILTO:Max@Example.com", "ATTENDEE;PARTSTAT=DELEGATED:mailto:x@example.com", "END:VEVENT",
    "END:VCALENDAR", "",
  ].join("\r\n");

  it("reads a Windows time zone through the file's VTIMEZONE, DURATION, and ignores unknown properties", () => {
    const parsed = parseCalendar(outlook);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.events[0]).toMatchObject({
      uid: "040000008200E00074C5B7101A82E008",
      title: "Kick-off",
      startAt: new Date("2026-07-01T08:00:00Z"),
      endAt: new Date("2026-07-01T08:30:00Z"),
      organizer: { email: "max@example.com", name: "Max" },
      attendees: [{ email: "x@example.com", name: null, partstat: "needs_action" }],
      sequence: 0,
    });
  });

  it("refuses files over 1 MB, without events, or that are not iCalendar, with a sentence a person can act on", () => {
    const huge = outlook.replace("SUMMARY:Kick-off", `SUMMARY:${"x".repeat(1_100_000)}`);
    expect(parseCalendar(huge)).toEqual({ ok: false, reason: "The calendar file is larger than 1 MB." });
    expect(parseCalendar("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")).toEqual({ ok: false, reason: "The calendar file has no events in it." });
    expect(parseCalendar("hello, world")).toEqual({ ok: false, reason: "This is not a calendar file that can be read (iCalendar .ics)." });
    expect(parseCalendar("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\n")).toEqual({ ok: false, reason: "This is not a calendar file that can be read (iCalendar .ics)." });
    expect(parseCalendar(outlook.replace("UID:040000008200E00074C5B7101A82E008\r\n", ""))).toEqual({ ok: false, reason: "An event in the calendar file has no UID or no start time." });
  });
});

describe("parseReply", () => {
  const reply = (method: string, extra = "") => [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", `METHOD:${method}`,
    "BEGIN:VEVENT", "UID:mtg-42@switchboard.test", "SEQUENCE:3", "DTSTART:20260330T070000Z", extra,
    "ATTENDEE;CN=Bo;PARTSTAT=DECLINED:mailto:Bo@Example.com", "END:VEVENT", "END:VCALENDAR", "",
  ].filter(Boolean).join("\r\n");

  it("reads who answered what, for which meeting and occurrence", () => {
    expect(parseReply(reply("REPLY", "RECURRENCE-ID;TZID=Europe/Madrid:20260330T090000"))).toEqual({
      ok: true,
      value: { uid: "mtg-42@switchboard.test", sequence: 3, recurrenceId: new Date("2026-03-30T07:00:00Z"), email: "bo@example.com", partstat: "declined" },
    });
  });

  it("refuses a file that is not a REPLY", () => {
    expect(parseReply(reply("REQUEST"))).toEqual({ ok: false, reason: "This calendar file is not an answer to an invitation (METHOD:REPLY)." });
  });
});
