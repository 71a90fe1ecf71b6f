// A meeting's .ics and a person's feed, from a real database, read back with the parser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Who } from "../../src/bot/dispatch.js";
import { parseCalendar } from "../../src/domain/icalendar.js";
import { feedIcs, meetingIcs } from "../../src/handlers/meetings/meeting-ics.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const NOW = new Date("2026-06-15T12:00:00Z");
let seq = 0;

describe("meeting .ics files and feeds", () => {
  let h: HandlerHarness;
  let ana: Who;
  let bo: Who;
  let cy: Who;

  beforeAll(async () => {
    h = await handlerHarness();
    [ana, bo, cy] = [await aPerson(h.db), await aPerson(h.db), await aPerson(h.db)];
  });
  afterAll(async () => h?.close());

  /** A meeting organized by ana, with bo attending, one hour, in Madrid time. */
  async function aMeeting(over: { startAt?: Date; rrule?: string | null; seriesEndAt?: Date | null; status?: "confirmed" | "cancelled"; organizerId?: string; boResponse?: "accepted" | "declined" | "needs_action" } = {}) {
    seq += 1;
    const startAt = over.startAt ?? new Date("2026-06-22T07:00:00Z");
    return h.db.meeting.create({
      data: {
        uid: `ics-test-${seq}-${Date.now()}@switchboard.test`,
        sequence: 2,
        title: `Weekly sync ${seq}`,
        description: "Numbers, risks; decisions",
        location: "Room 1",
        videoUrl: "https://meet.example.com/x",
        startAt,
        endAt: new Date(startAt.getTime() + 3_600_000),
        timeZone: "Europe/Madrid",
        rrule: over.rrule === undefined ? null : over.rrule,
        seriesEndAt: over.seriesEndAt ?? null,
        status: over.status ?? "confirmed",
        showAs: "busy",
        organizerId: over.organizerId ?? ana.user.id,
        attendees: {
          create: [
            { userId: bo.user.id, email: bo.user.email, response: over.boResponse ?? "accepted" },
            { email: "guest@partner.example", name: "Guest, Outside", response: "needs_action" },
          ],
        },
        reminders: { create: [{ minutesBefore: 10, channel: "dm" }, { minutesBefore: 10, channel: "email" }, { minutesBefore: 60, channel: "dm" }] },
      },
    });
  }

  it("builds a REQUEST with attendees, reminders, cancelled and moved occurrences of a series", async () => {
    const m = await aMeeting({ rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=8", seriesEndAt: new Date("2026-08-10T08:00:00Z") });
    await h.db.meetingException.createMany({
      data: [
        { meetingId: m.id, originalStart: new Date("2026-06-29T07:00:00Z"), isCancelled: true },
        { meetingId: m.id, originalStart: new Date("2026-07-06T07:00:00Z"), startAt: new Date("2026-07-07T14:00:00Z"), endAt: new Date("2026-07-07T15:30:00Z"), title: "Sync (Tuesday this time)" },
      ],
    });
    const text = await meetingIcs(h.db, m.id, "REQUEST", NOW);
    const parsed = parseCalendar(text!);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.method).toBe("REQUEST");
    const [series, moved, ...rest] = parsed.value.events;
    expect(rest).toEqual([]);
    expect(series).toMatchObject({
      uid: m.uid,
      sequence: 2,
      title: m.title,
      description: "Numbers, risks; decisions",
      url: "https://meet.example.com/x",
      startAt: m.startAt,
      timeZone: "Europe/Madrid",
      exdates: [new Date("2026-06-29T07:00:00Z")],
      status: "confirmed",
      organizer: { email: ana.user.email, name: ana.user.name },
      alarms: [{ minutesBefore: 10 }, { minutesBefore: 60 }],
    });
    expect(series!.rrule!.split(";").sort()).toEqual(["BYDAY=MO", "COUNT=8", "FREQ=WEEKLY"]);
    expect(series!.attendees).toEqual(
      expect.arrayContaining([
        { email: bo.user.email.toLowerCase(), name: bo.user.name, partstat: "accepted" },
        { email: "guest@partner.example", name: "Guest, Outside", partstat: "needs_action" },
      ]),
    );
    expect(moved).toMatchObject({ uid: m.uid, recurrenceId: new Date("2026-07-06T07:00:00Z"), startAt: new Date("2026-07-07T14:00:00Z"), endAt: new Date("2026-07-07T15:30:00Z"), title: "Sync (Tuesday this time)", location: "Room 1", rrule: null });
    expect(text).toContain("DTSTART;TZID=Europe/Madrid:20260622T090000\r\n");
    expect(text).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\n");
  });

  it("marks the whole meeting cancelled for CANCEL, and answers undefined for an unknown meeting", async () => {
    const m = await aMeeting();
    const parsed = parseCalendar((await meetingIcs(h.db, m.id, "CANCEL", NOW))!);
    expect(parsed.ok && [parsed.value.method, parsed.value.events[0]!.status, parsed.value.events[0]!.rrule]).toEqual(["CANCEL", "cancelled", null]);
    expect(await meetingIcs(h.db, "00000000-0000-4000-8000-000000000000", "REQUEST", NOW)).toBeUndefined();
  });

  it("works inside a transaction (as invitations are enqueued)", async () => {
    const m = await aMeeting();
    const text = await h.db.$transaction((tx) => meetingIcs(tx, m.id, "PUBLISH", NOW));
    expect(text).toContain(`UID:${m.uid}`);
  });

  it("feeds what a person organizes or attends: recent, coming and endless; not cancelled, declined, old or other people's", async () => {
    const coming = await aMeeting();
    const recent = await aMeeting({ startAt: new Date("2026-06-01T07:00:00Z") });
    const old = await aMeeting({ startAt: new Date("2026-04-01T07:00:00Z") });
    const endless = await aMeeting({ startAt: new Date("2025-01-06T08:00:00Z"), rrule: "FREQ=WEEKLY" });
    const endedSeries = await aMeeting({ startAt: new Date("2025-01-06T08:00:00Z"), rrule: "FREQ=WEEKLY;COUNT=3", seriesEndAt: new Date("2025-01-20T09:00:00Z") });
    const runningSeries = await aMeeting({ startAt: new Date("2026-01-05T08:00:00Z"), rrule: "FREQ=WEEKLY;COUNT=40", seriesEndAt: new Date("2026-10-05T08:00:00Z") });
    const cancelled = await aMeeting({ status: "cancelled" });
    const declined = await aMeeting({ boResponse: "declined" });
    const cysOwn = await aMeeting({ organizerId: cy.user.id });

    const uidsIn = async (userId: string) => {
      const parsed = parseCalendar(await feedIcs(h.db, userId, NOW));
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.value.method).toBe("PUBLISH");
      return new Set(parsed.value.events.map((e) => e.uid));
    };
    const bos = await uidsIn(bo.user.id);
    for (const m of [coming, recent, endless, runningSeries]) expect(bos.has(m.uid), m.title).toBe(true);
    for (const m of [old, endedSeries, cancelled, declined]) expect(bos.has(m.uid), m.title).toBe(false);
    // The organizer sees the meeting bo declined but not cy's; cy sees only cy's own.
    const anas = await uidsIn(ana.user.id);
    expect([anas.has(declined.uid), anas.has(cysOwn.uid)]).toEqual([true, false]);
    expect([...(await uidsIn(cy.user.id))]).toEqual([cysOwn.uid]);
  });

  it("gives a person with no meetings a valid, empty feed", async () => {
    const loner = await aPerson(h.db);
    const text = await feedIcs(h.db, loner.user.id, NOW);
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*METHOD:PUBLISH\r\n[\s\S]*END:VCALENDAR$/);
    expect(text).not.toContain("BEGIN:VEVENT");
  });
});
