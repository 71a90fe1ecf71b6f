// The calendar feed over real HTTP: what Google Calendar, Outlook and Apple Calendar see when they poll the link.
import { PassThrough } from "node:stream";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { runAction, runCommand, type Who } from "../../src/bot/dispatch.js";
import { CALENDAR_TURN_OFF, MEETING_IMPORT_FORM_ID, MEETING_IMPORT_FROM_MESSAGE } from "../../src/bot/views/calendar-feed.js";
import { FEED_READS_PER_MINUTE } from "../../src/http/calendar-route.js";
import { createLogger } from "../../src/log.js";
import { aPerson } from "../support/handler-deps.js";
import { testConfig } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { aMessageShortcut, aViewSubmission } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { postActivity } from "../support/teams-activities.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const slack = { commandPrefix: "/crm " };

describe("GET /calendar/<token>.ics", () => {
  let database: TestDatabase;
  let app: Switchboard;
  let ana: Who;
  let token: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const sink = new PassThrough();
    sink.on("data", (chunk: Buffer) => logLines.push(chunk.toString("utf8")));
    const logger = createLogger({ level: "debug", format: "json" }, sink);
    app = await startSwitchboard(testConfig({ DATABASE_URL: database.url.replace(/^postgresql:/, "postgres:"), PUBLIC_URL: "https://crm.example.com/" }), logger);
    ana = await aPerson(app.db, { timeZone: "Europe/Madrid" });
    await app.db.meeting.create({
      data: {
        uid: "feed-e2e-1@switchboard.test",
        title: "Weekly pipeline review",
        startAt: new Date("2026-12-01T09:00:00Z"),
        endAt: new Date("2026-12-01T09:30:00Z"),
        timeZone: "Europe/Madrid",
        rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        organizerId: ana.user.id,
      },
    });
    const reply = await runCommand(app.deps, ana, "calendar", slack);
    const url = reply.kind === "message" ? /`(https:\/\/crm\.example\.com\/calendar\/[^`]+)`/.exec(JSON.stringify(reply.view.blocks))?.[1] : undefined;
    token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics$/.exec(url ?? "")![1]!;
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });

  const feedUrl = (t: string) => `${app.http.url}/calendar/${t}.ics`;

  it("answers 200 text/calendar with the person's meetings, cacheable privately for 5 minutes", async () => {
    const res = await fetch(feedUrl(token));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, max-age=300");
    expect(res.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events.map((e) => e.getFirstPropertyValue("uid"))).toContain("feed-e2e-1@switchboard.test");
  });

  it("answers 304 with no body when the calendar already has this version", async () => {
    const first = await fetch(feedUrl(token));
    const etag = first.headers.get("etag")!;
    await first.text();
    const again = await fetch(feedUrl(token), { headers: { "if-none-match": `W/"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const changed = await fetch(feedUrl(token), { headers: { "if-none-match": `"stale"` } });
    expect(changed.status).toBe(200);
  });

  it("answers unknown, malformed and revoked links with the same 404 as any unknown route", async () => {
    const unknown = await fetch(feedUrl("B".repeat(43)));
    const malformed = await fetch(`${app.http.url}/calendar/nope`);
    const route = await fetch(`${app.http.url}/no-such-route`);
    const bodies = [await unknown.text(), await malformed.text(), await route.text()];
    expect([unknown.status, malformed.status, route.status]).toEqual([404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);

    const bob = await aPerson(app.db);
    const made = await runCommand(app.deps, bob, "calendar", slack);
    const bobToken = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(JSON.stringify(made))![1]!;
    expect((await fetch(feedUrl(bobToken))).status).toBe(200);
    const row = await app.db.calendarFeedToken.findFirstOrThrow({ where: { userId: bob.user.id } });
    await runAction(app.deps, bob, CALENDAR_TURN_OFF, row.id);
    const revoked = await fetch(feedUrl(bobToken));
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).toBe(bodies[0]);
  });

  it("slows down a client that polls in a loop (per link, per replica)", async () => {
    const loop = "C".repeat(43);
    const statuses: number[] = [];
    for (let i = 0; i < FEED_READS_PER_MINUTE + 1; i++) {
      const res = await fetch(feedUrl(loop));
      await res.text();
      statuses.push(res.status);
    }
    expect(statuses.slice(0, FEED_READS_PER_MINUTE).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another link is not affected.
    expect((await fetch(feedUrl(token))).status).toBe(200);
  });

  it("never writes a feed token into the logs", async () => {
    await fetch(feedUrl(token));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(token);
  });
});

describe("importing an .ics file from a Slack message (shortcut, files.info, download with the bot token)", () => {
  let h: SlackHarness;
  const uid = "slack-import-1@google.com";
  const file = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "BEGIN:VEVENT",
    "DTSTART;TZID=Europe/Berlin:20261202T140000",
    "DTEND;TZID=Europe/Berlin:20261202T150000",
    "DTSTAMP:20261120T120000Z",
    `UID:${uid}`,
    "SUMMARY:Supplier call",
    "ATTENDEE;PARTSTAT=NEEDS-ACTION;CN=Eve:mailto:eve@supplier.test",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.files.set("F1ICS", { name: "invite.ics", mimetype: "text/calendar", content: Buffer.from(file) });
    h.fake.files.set("F2BIG", { name: "year.ics", mimetype: "text/calendar", content: Buffer.alloc(2 * 1024 * 1024, 65) });
  });
  afterAll(async () => h?.stop());

  async function importFrom(files: string[]): Promise<string> {
    const shortcut = aMessageShortcut({ userId: ANA.id, callbackId: MEETING_IMPORT_FROM_MESSAGE, text: "the invite", responseUrl: h.fake.responseUrl(), channelId: "C7", ts: "1700000000.000200" });
    (shortcut.message as Record<string, unknown>).files = files.map((id) => ({ id }));
    expect((await h.slack.interaction(shortcut)).status).toBe(200);
    const open = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === MEETING_IMPORT_FORM_ID && c.args.view?.private_metadata.includes(files[0]!));
    expect(JSON.parse(open.args.view.private_metadata)).toEqual({ files: files.join(",") });
    const before = h.fake.callsTo("chat.postMessage").length;
    const submit = aViewSubmission({ userId: ANA.id, callbackId: MEETING_IMPORT_FORM_ID, privateMetadata: open.args.view.private_metadata, values: {} });
    expect((await h.slack.interaction(submit)).status).toBe(200);
    await waitFor(async () => h.fake.callsTo("chat.postMessage").length > before, 10_000);
    return h.fake.callsTo("chat.postMessage").at(-1)!.args.text as string;
  }

  it("imports the meetings of the message's .ics file, downloaded with the bot token", async () => {
    expect(await importFrom(["F1ICS"])).toBe("Imported 1 meeting (0 updated, 1 new).");
    const meeting = await h.app.db.meeting.findUniqueOrThrow({ where: { uid }, include: { attendees: true, organizer: true } });
    expect(meeting).toMatchObject({ title: "Supplier call", importedFrom: "file", startAt: new Date("2026-12-02T13:00:00Z"), timeZone: "Europe/Berlin", organizer: { email: ANA.email } });
    expect(meeting.attendees.map((a) => a.email).sort()).toEqual([ANA.email, "eve@supplier.test"]);
    expect(h.fake.callsTo("file_download").map((c) => [c.args.id, c.token])).toEqual([["F1ICS", "xoxb-test"]]);
  });

  it("a second import of the same file changes nothing; a file over 1 MB is refused without downloading it", async () => {
    expect(await importFrom(["F1ICS"])).toBe("Imported 0 meetings (0 updated, 0 new); 1 unchanged.");
    expect(await h.app.db.meeting.count({ where: { uid } })).toBe(1);
    const downloads = h.fake.callsTo("file_download").length;
    expect(await importFrom(["F2BIG"])).toBe("year.ics is larger than 1 MB, the most Switchboard imports at once. Export a shorter period and try again.");
    expect(h.fake.callsTo("file_download").length).toBe(downloads);
  });
});

describe("importing an .ics file from a Teams message (message action, personal-chat file link)", () => {
  let h: TeamsHarness;
  const uid = "teams-import-1@outlook.test";

  beforeAll(async () => {
    h = await startTeamsHarness();
    await postActivity(h.app.http.url, h.teams.message(h.ana, "whoami"));
    const ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", "BEGIN:VEVENT", "DTSTART:20261203T090000Z", "DTEND:20261203T093000Z", "DTSTAMP:20261120T120000Z", `UID:${uid}`, "SUMMARY:Vendor demo", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
    h.connector.files.set("ics1", { contentType: "text/calendar", content: Buffer.from(ics) });
  });
  afterAll(async () => h?.stop());

  it("asks first, then imports the file the message carries", async () => {
    const action = {
      commandId: MEETING_IMPORT_FROM_MESSAGE,
      commandContext: "message",
      messagePayload: {
        id: "1700000000009",
        body: { contentType: "html", content: "<p>invite attached</p>" },
        attachments: [{ contentType: "application/vnd.microsoft.teams.file.download.info", name: "demo.ics", content: { downloadUrl: `${h.connector.serviceUrl}download/ics1`, fileType: "ics" } }],
      },
    };
    const { body } = await postActivity(h.app.http.url, h.teams.invoke(h.ana, "composeExtension/fetchTask", action));
    const card = body.task.value.card.content;
    expect(body.task.value.title).toBe("Import meetings");
    expect(JSON.parse(card.actions[0].data.context.files).map((f: { n: string }) => f.n)).toEqual(["demo.ics"]);
    const submitted = await postActivity(h.app.http.url, h.teams.invoke(h.ana, "composeExtension/submitAction", { commandId: MEETING_IMPORT_FROM_MESSAGE, commandContext: "message", data: card.actions[0].data }));
    expect(submitted.status).toBe(200);
    expect(JSON.stringify(submitted.body)).toContain("Imported 1 meeting (0 updated, 1 new).");
    const meeting = await h.app.db.meeting.findUniqueOrThrow({ where: { uid }, include: { organizer: true } });
    expect(meeting).toMatchObject({ title: "Vendor demo", importedFrom: "file", organizer: { email: h.ana.email } });
  });
});
