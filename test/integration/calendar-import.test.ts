import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formFromMessage, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { MEETING_IMPORT_FORM_ID, MEETING_IMPORT_FROM_MESSAGE } from "../../src/bot/views/calendar-feed.js";
import type { Reply } from "../../src/bot/views/view.js";
import type { FileSource, IncomingAttachment } from "../../src/handlers/claims/attachments.js";
import { downloadCalendar, importCalendarFromUrl, type CalendarFetchIo } from "../../src/handlers/meetings/import-calendar.js";
import { meetingIcs } from "../../src/handlers/meetings/meeting-ics.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function textOf(reply: Reply): string {
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  expect(reply.visibility).toBe("private");
  return reply.view.text;
}

const ics = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");

const NEW_YORK = [
  "BEGIN:VTIMEZONE",
  "TZID:America/New_York",
  "X-LIC-LOCATION:America/New_York",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:-0500",
  "TZOFFSETTO:-0400",
  "TZNAME:EDT",
  "DTSTART:19700308T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:-0400",
  "TZOFFSETTO:-0500",
  "TZNAME:EST",
  "DTSTART:19701101T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/** A weekly series as Google Calendar exports it: VTIMEZONE, RRULE, EXDATE, an override, attendees and alarms. */
function googleSeries(opts: { uid: string; organizer: string; colleague: string; sequence?: number; summary?: string; alarms?: boolean }): string {
  return ics(
    ...NEW_YORK,
    "BEGIN:VEVENT",
    "DTSTART;TZID=America/New_York:20261201T100000",
    "DTEND;TZID=America/New_York:20261201T110000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8",
    "EXDATE;TZID=America/New_York:20261215T100000",
    "DTSTAMP:20261120T120000Z",
    `ORGANIZER;CN=Organizer:mailto:${opts.organizer}`,
    `UID:${opts.uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Colleague:mailto:${opts.colleague}`,
    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE;CN=Bob Buyer:mailto:bob@acme.test",
    `SEQUENCE:${opts.sequence ?? 0}`,
    "STATUS:CONFIRMED",
    `SUMMARY:${opts.summary ?? "Acme weekly sync"}`,
    "LOCATION:Room 4",
    "DESCRIPTION:Pipeline\\, renewals and blockers",
    "TRANSP:OPAQUE",
    ...(opts.alarms === false
      ? []
      : ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT10M", "END:VALARM", "BEGIN:VALARM", "ACTION:EMAIL", "SUMMARY:Reminder", "DESCRIPTION:Reminder", `ATTENDEE:mailto:${opts.organizer}`, "TRIGGER:-P1D", "END:VALARM"]),
    "END:VEVENT",
    "BEGIN:VEVENT",
    "DTSTART;TZID=America/New_York:20261209T150000",
    "DTEND;TZID=America/New_York:20261209T160000",
    "DTSTAMP:20261120T120000Z",
    `UID:${opts.uid}`,
    "RECURRENCE-ID;TZID=America/New_York:20261208T100000",
    `SEQUENCE:${opts.sequence ?? 0}`,
    `SUMMARY:${opts.summary ?? "Acme weekly sync"} (moved)`,
    "LOCATION:Room 4",
    "DESCRIPTION:Pipeline\\, renewals and blockers",
    "END:VEVENT",
  );
}

/** A fake network: answers one https URL; the host resolves to a public address unless told otherwise. */
function fakeIo(answer: (url: URL) => Response, addresses = ["93.184.216.34"]): CalendarFetchIo & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup: async () => addresses,
    fetch: async (input) => {
      calls.push(String(input));
      return answer(new URL(String(input)));
    },
  };
}

function aFile(name: string, content: string | Buffer, over: Partial<IncomingAttachment> = {}): IncomingAttachment {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  return { name, contentType: "application/octet-stream", size: bytes.length, sourceRef: "F1", fetch: async () => bytes, ...over };
}

const filesOf =
  (...files: IncomingAttachment[]): FileSource =>
  async () =>
    files;

describe("importing meetings from an .ics file", () => {
  let h: HandlerHarness;
  let ana: Who;
  let carla: Who;
  let outsider: Who;

  beforeAll(async () => {
    h = await handlerHarness({ now: () => new Date("2026-11-23T09:00:00Z") });
    ana = await aPerson(h.db, { timeZone: "Europe/Madrid" });
    carla = await aPerson(h.db);
    outsider = await aPerson(h.db);
  });
  afterAll(async () => h?.close());

  const meetingsOf = (uid: string) => h.db.meeting.findMany({ where: { uid }, include: { attendees: true, reminders: true, exceptions: { orderBy: { originalStart: "asc" } } } });

  it("imports a Google-style series with its time zone, rule, EXDATE, moved occurrence, attendees and alarms", async () => {
    const uid = "g-series-1@google.com";
    const reply = await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("invite.ics", googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email }))));
    expect(textOf(reply)).toBe("Imported 1 meeting (0 updated, 1 new).");
    const [m, ...more] = await meetingsOf(uid);
    expect(more).toHaveLength(0);
    expect(m).toMatchObject({
      title: "Acme weekly sync",
      organizerId: ana.user.id,
      timeZone: "America/New_York",
      startAt: new Date("2026-12-01T15:00:00Z"),
      endAt: new Date("2026-12-01T16:00:00Z"),
      isAllDay: false,
      location: "Room 4",
      description: "Pipeline, renewals and blockers",
      importedFrom: "file",
      status: "confirmed",
      showAs: "busy",
      sequence: 0,
    });
    expect(m!.rrule).toMatch(/FREQ=WEEKLY/);
    expect(m!.rrule).toMatch(/COUNT=8/);
    expect(m!.seriesEndAt).toEqual(new Date("2027-01-19T16:00:00Z"));
    expect(m!.exceptions.map((x) => ({ originalStart: x.originalStart, isCancelled: x.isCancelled, startAt: x.startAt, title: x.title }))).toEqual([
      { originalStart: new Date("2026-12-08T15:00:00Z"), isCancelled: false, startAt: new Date("2026-12-09T20:00:00Z"), title: "Acme weekly sync (moved)" },
      { originalStart: new Date("2026-12-15T15:00:00Z"), isCancelled: true, startAt: null, title: null },
    ]);
    const byEmail = Object.fromEntries(m!.attendees.map((a) => [a.email, { userId: a.userId, response: a.response }]));
    expect(byEmail).toEqual({
      [ana.user.email]: { userId: ana.user.id, response: "accepted" },
      [carla.user.email]: { userId: carla.user.id, response: "accepted" },
      "bob@acme.test": { userId: null, response: "tentative" },
    });
    // parseCalendar gives each VALARM's offset, not its ACTION: every imported reminder is a DM.
    expect(m!.reminders.map((r) => [r.minutesBefore, r.channel]).sort()).toEqual([
      [10, "dm"],
      [1440, "dm"],
    ]);
  });

  it("recognises a second import of the same file (nothing duplicated), and updates on a higher SEQUENCE", async () => {
    const uid = "g-series-2@google.com";
    const file = (sequence: number, summary: string) => filesOf(aFile("invite.ics", googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email, sequence, summary })));
    await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, file(0, "Kick-off"));
    const [first] = await meetingsOf(uid);
    expect(textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, file(0, "Kick-off")))).toBe("Imported 0 meetings (0 updated, 0 new); 1 unchanged.");
    expect(textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, file(2, "Kick-off, rescheduled")))).toBe("Imported 1 meeting (1 updated, 0 new).");
    const after = await meetingsOf(uid);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: first!.id, number: first!.number, title: "Kick-off, rescheduled", sequence: 2, version: first!.version + 1 });
    expect(after[0]!.exceptions).toHaveLength(2);
    expect(after[0]!.attendees).toHaveLength(3);
  });

  it("a double click on Import stores the file once", async () => {
    const uid = "g-series-double@google.com";
    const submit = () => submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("invite.ics", googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email }))));
    const replies = (await Promise.all([submit(), submit()])).map(textOf).sort();
    expect(replies).toEqual(["Imported 0 meetings (0 updated, 0 new); 1 unchanged.", "Imported 1 meeting (0 updated, 1 new)."]);
    const [m, ...more] = await meetingsOf(uid);
    expect(more).toHaveLength(0);
    expect(m!.attendees).toHaveLength(3);
    expect(m!.exceptions).toHaveLength(2);
  });

  it("plans the imported reminders: the first occurrence's jobs are queued", async () => {
    const [m] = await meetingsOf("g-series-1@google.com");
    const jobs = await h.db.$queryRaw<{ data: { reminderId: string; originalStart: string; dueAt: string } }[]>`SELECT data FROM pgboss.job WHERE name = 'meeting-reminder' AND data->>'meetingId' = ${m!.id}`;
    const due = jobs.map((j) => j.data.dueAt).sort();
    // The test's clock is 23 Nov but the job runner's is real: once these are due in real time, they run and plan
    // the next occurrence's jobs too. The first occurrence's are what the import planned.
    expect(due.slice(0, 2)).toEqual(["2026-11-30T15:00:00.000Z", "2026-12-01T14:50:00.000Z"]);
  });

  it("with an equal SEQUENCE (Google keeps 0), updates when the file says something else, and not otherwise", async () => {
    const uid = "g-series-seq0@google.com";
    const file = (summary: string) => filesOf(aFile("invite.ics", googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email, summary })));
    await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, file("Standup"));
    expect(textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, file("Standup (room change)")))).toBe("Imported 1 meeting (1 updated, 0 new).");
    const [m] = await meetingsOf(uid);
    expect(m).toMatchObject({ title: "Standup (room change)", sequence: 0 });
    expect(m!.exceptions.find((x) => !x.isCancelled)?.title).toBe("Standup (room change) (moved)");
  });

  it("applies a lone moved occurrence to a series imported earlier, and skips one whose series is unknown", async () => {
    const uid = "g-series-1@google.com";
    const lone = (id: string) =>
      ics(
        "BEGIN:VEVENT",
        "DTSTART:20261222T180000Z",
        "DTEND:20261222T190000Z",
        "DTSTAMP:20261121T120000Z",
        `UID:${id}`,
        "RECURRENCE-ID:20261222T150000Z",
        "SUMMARY:Acme weekly sync",
        "END:VEVENT",
      );
    const reply = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("one.ics", lone(uid)))));
    expect(reply).toBe("Imported 1 meeting (1 updated, 0 new).");
    const [m] = await meetingsOf(uid);
    expect(m!.exceptions.find((x) => x.originalStart.getTime() === Date.parse("2026-12-22T15:00:00Z"))).toMatchObject({ isCancelled: false, startAt: new Date("2026-12-22T18:00:00Z") });
    const unknown = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("one.ics", lone("nobody@x")))));
    expect(unknown).toBe("Imported 0 meetings (0 updated, 0 new); skipped 1: “Acme weekly sync” (one occurrence): its series is neither in the file nor in Switchboard.");
  });

  it("never overwrites a meeting with the same UID organized by someone else, and says so", async () => {
    const uid = "g-series-3@google.com";
    await submitForm(h.deps, outsider, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("a.ics", googleSeries({ uid, organizer: outsider.user.email, colleague: carla.user.email, summary: "Theirs" }))));
    const reply = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("a.ics", googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email, sequence: 5, summary: "Mine now" })))));
    expect(reply).toMatch(/^Imported 0 meetings \(0 updated, 0 new\); skipped 1: “Mine now”: MTG-\d{4,} has this calendar UID and another organizer\.$/);
    const [m] = await meetingsOf(uid);
    expect(m).toMatchObject({ title: "Theirs", organizerId: outsider.user.id, sequence: 0 });
  });

  it("keeps the file's organizer as an accepted attendee when the importer is someone else, and adds no reminders without VALARMs", async () => {
    const uid = "g-series-4@google.com";
    await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("b.ics", googleSeries({ uid, organizer: "host@partner.test", colleague: carla.user.email, alarms: false }))));
    const [m] = await meetingsOf(uid);
    expect(m!.organizerId).toBe(ana.user.id);
    expect(m!.attendees.find((a) => a.email === "host@partner.test")).toMatchObject({ userId: null, response: "accepted" });
    expect(m!.reminders).toEqual([]);
  });

  it("answers a malformed file with a clear sentence and stores nothing", async () => {
    const before = await h.db.meeting.count();
    const broken = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:not-a-date\r\nSUMMARY:Broken\r\n";
    const reply = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("broken.ics", broken))));
    expect(reply).toMatch(/^That file is not a calendar Switchboard can read \(.+\)\. Nothing was imported\.$/);
    const notCalendar = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("notes.ics", "hello, world"))));
    expect(notCalendar).toMatch(/Nothing was imported\.$/);
    expect(await h.db.meeting.count()).toBe(before);
  });

  it("refuses a file over 1 MB, from a message or from a link, without storing anything", async () => {
    const before = await h.db.meeting.count();
    const huge = googleSeries({ uid: "huge@x", organizer: ana.user.email, colleague: carla.user.email }).replace("SUMMARY:", `X-PAD:${"x".repeat(1024 * 1024)}\r\nSUMMARY:`);
    const declared = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("huge.ics", huge))));
    expect(declared).toBe("huge.ics is larger than 1 MB, the most Switchboard imports at once. Export a shorter period and try again.");
    const undeclared = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("huge.ics", huge, { size: 0 }))));
    expect(undeclared).toMatch(/larger than 1 MB/);

    let served = 0;
    const streaming = fakeIo(
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              served += 64 * 1024;
              controller.enqueue(new Uint8Array(64 * 1024).fill(65));
              if (served > 4 * 1024 * 1024) controller.close();
            },
          }),
          { headers: { "content-type": "text/calendar" } },
        ),
    );
    const link = await downloadCalendar("https://cal.example.test/big.ics", streaming);
    expect(link).toEqual({ ok: false, reason: "That file is larger than 1 MB, the most Switchboard imports at once. Export a shorter period and try again." });
    expect(served).toBeLessThan(2 * 1024 * 1024);
    expect(await h.db.meeting.count()).toBe(before);
  });

  it("imports from an https link, keeping the link as the source", async () => {
    const uid = "link-1@example.test";
    const io = fakeIo(() => new Response(googleSeries({ uid, organizer: ana.user.email, colleague: carla.user.email }), { headers: { "content-type": "text/calendar; charset=utf-8" } }));
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "https://cal.example.test/team.ics", io))).toBe("Imported 1 meeting (0 updated, 1 new).");
    const [m] = await meetingsOf(uid);
    expect(m!.importedFrom).toBe("https://cal.example.test/team.ics");
    // A link the chat client wrapped as <url|label> is the same link.
    expect(textOf(await importCalendarFromUrl(h.deps, ana, " <https://cal.example.test/team.ics|team.ics>", io))).toBe("Imported 0 meetings (0 updated, 0 new); 1 unchanged.");
    expect(io.calls).toEqual(["https://cal.example.test/team.ics", "https://cal.example.test/team.ics"]);
  });

  it("refuses http:// links, links into private networks and redirects to either, before downloading", async () => {
    const io = fakeIo(() => new Response("BEGIN:VCALENDAR", { headers: { "content-type": "text/calendar" } }));
    expect(textOf(await runCommand(h.deps, ana, "meet import http://cal.example.test/team.ics", slack))).toBe("Only https:// links can be imported: an http:// link could be changed on its way.");
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "http://cal.example.test/team.ics", io))).toMatch(/^Only https:\/\//);
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "https://127.0.0.1/x.ics", io))).toMatch(/private network/);
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "https://intranet.example.test/x.ics", fakeIo(() => new Response(""), ["10.1.2.3"])))).toMatch(/private network/);
    expect(io.calls).toEqual([]);
    const redirecting = fakeIo((url) => (url.pathname === "/x.ics" ? new Response(null, { status: 302, headers: { location: "http://cal.example.test/y.ics" } }) : new Response("")));
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "https://cal.example.test/x.ics", redirecting))).toMatch(/^Only https:\/\//);
    expect(redirecting.calls).toEqual(["https://cal.example.test/x.ics"]);
    const html = fakeIo(() => new Response("<html>", { headers: { "content-type": "text/html" } }));
    expect(textOf(await importCalendarFromUrl(h.deps, ana, "https://cal.example.test/page", html))).toMatch(/not an \.ics calendar file/);
  });

  it("the message shortcut asks first, carrying the file references; a message without an .ics file is answered plainly", async () => {
    const opened = await formFromMessage(h.deps, ana, MEETING_IMPORT_FROM_MESSAGE, { text: "see invite", files: "F1,F2" });
    expect(opened).toMatchObject({ kind: "form", form: { id: MEETING_IMPORT_FORM_ID, context: { files: "F1,F2" } } });
    expect(textOf(await formFromMessage(h.deps, ana, MEETING_IMPORT_FROM_MESSAGE, { text: "no files" }))).toMatch(/^That message has no file\./);
    const reply = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("photo.png", "png", { contentType: "image/png" }))));
    expect(reply).toBe("That message has no .ics file (it has: photo.png). Post an .ics file and try again.");
  });

  it("round trip: a meeting Switchboard exported imports as the same meeting, and a changed export updates it", async () => {
    const uid = "round-trip-1@switchboard";
    const meeting = await h.db.meeting.create({
      data: { uid, title: "Quarterly review", startAt: new Date("2026-12-03T10:00:00Z"), endAt: new Date("2026-12-03T11:00:00Z"), timeZone: "Europe/Madrid", rrule: "FREQ=MONTHLY;COUNT=4", organizerId: ana.user.id },
    });
    await h.db.meetingAttendee.create({ data: { meetingId: meeting.id, userId: ana.user.id, email: ana.user.email, name: ana.user.name, response: "accepted" } });
    await h.db.meetingAttendee.create({ data: { meetingId: meeting.id, email: "cfo@acme.test", name: "CFO", response: "tentative" } });
    await h.db.meetingReminder.create({ data: { meetingId: meeting.id, minutesBefore: 30 } });
    await h.db.meetingException.createMany({
      data: [
        { meetingId: meeting.id, originalStart: new Date("2027-01-03T10:00:00Z"), isCancelled: true },
        { meetingId: meeting.id, originalStart: new Date("2027-02-03T10:00:00Z"), isCancelled: false, startAt: new Date("2027-02-04T10:00:00Z"), endAt: new Date("2027-02-04T11:00:00Z") },
      ],
    });
    const exported = await meetingIcs(h.db, meeting.id, "PUBLISH");
    expect(exported).toBeDefined();
    const first = textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("export.ics", exported!))));
    expect(first).toBe("Imported 0 meetings (0 updated, 0 new); 1 unchanged.");
    expect(await h.db.meeting.count({ where: { uid } })).toBe(1);
    const changed = exported!.replace(/SEQUENCE:\d+/, "SEQUENCE:7").replace("SUMMARY:Quarterly review", "SUMMARY:Quarterly review (board)");
    expect(textOf(await submitForm(h.deps, ana, MEETING_IMPORT_FORM_ID, {}, { files: "F1" }, filesOf(aFile("export.ics", changed))))).toBe("Imported 1 meeting (1 updated, 0 new).");
    const after = await meetingsOf(uid);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: meeting.id, title: "Quarterly review (board)", sequence: 7, rrule: expect.stringContaining("FREQ=MONTHLY") });
    expect(after[0]!.exceptions.map((x) => [x.originalStart.toISOString(), x.isCancelled, x.startAt?.toISOString() ?? null])).toEqual([
      ["2027-01-03T10:00:00.000Z", true, null],
      ["2027-02-03T10:00:00.000Z", false, "2027-02-04T10:00:00.000Z"],
    ]);
    expect(Object.fromEntries(after[0]!.attendees.map((a) => [a.email, a.response]))).toEqual({ [ana.user.email]: "accepted", "cfo@acme.test": "tentative" });
    expect(after[0]!.reminders.map((r) => r.minutesBefore)).toEqual([30]);
  });
});
