// Replies in the Slack thread a case was opened from are added to the case's timeline as internal notes.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { anEventCallback } from "../support/slack-requests.js";
import { ANA, BOB, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack thread replies on a case's source message", () => {
  let h: SlackHarness;
  let caseId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    const team = await h.app.db.team.create({ data: { name: "Support", kind: "support" } });
    const stage = await h.app.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const c = await h.app.db.case.create({ data: { subject: "Printer jams", teamId: team.id, stageId: stage.id, sourceChannel: "C100", sourceTs: "1700000000.000100" } });
    caseId = c.id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const notes = () => h.app.db.timelineEntry.findMany({ where: { recordType: "case", recordId: caseId, kind: "note" }, orderBy: { createdAt: "asc" } });
  const reply = (over: Record<string, unknown>) => ({
    type: "message",
    channel: "C100",
    channel_type: "channel",
    user: ANA.id,
    text: "Tried a new tray, still jams",
    ts: `1700000100.${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
    thread_ts: "1700000000.000100",
    event_ts: "1700000100.000001",
    ...over,
  });

  it("adds a person's reply as an internal note by that person, once even when Slack retries the event", async () => {
    const envelope = anEventCallback(reply({ text: "Tried a new tray, still jams" }), { eventId: "EvREPLY1" });
    expect((await h.slack.event(envelope)).status).toBe(200);
    await waitFor(async () => (await notes()).length > 0, 5000);
    const retry = await h.slack.event(envelope, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    await sleep(500);
    const found = await notes();
    expect(found).toHaveLength(1);
    const ana = await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } });
    expect(found[0]).toMatchObject({ actorId: ana.id, summary: "Tried a new tray, still jams", data: expect.objectContaining({ internal: true, source: "thread-reply" }) });
    // Ana did not open the case: her reply is its first response.
    expect((await h.app.db.case.findUniqueOrThrow({ where: { id: caseId } })).firstResponseAt).not.toBeNull();
  });

  it("keeps a reply by someone Switchboard does not admit, without an actor", async () => {
    await h.slack.event(anEventCallback(reply({ user: BOB.id, text: "Same here on floor 3" })));
    await waitFor(async () => (await notes()).length === 2, 5000);
    expect((await notes())[1]).toMatchObject({ actorId: null, summary: "Same here on floor 3" });
  });

  it("ignores the bot's own replies, other bots, edits, the parent message and threads of no case", async () => {
    await h.slack.event(anEventCallback(reply({ user: "UBOT", bot_id: "BBOT", text: "bot says hi" })));
    await h.slack.event(anEventCallback(reply({ user: "UOTHER", bot_id: "B2", text: "another bot" })));
    await h.slack.event(
      anEventCallback({
        type: "message",
        subtype: "message_changed",
        channel: "C100",
        hidden: true,
        ts: "1700000200.000001",
        message: { type: "message", user: ANA.id, text: "edited", ts: "1700000100.000001", thread_ts: "1700000000.000100" },
        event_ts: "1700000200.000001",
      }),
    );
    await h.slack.event(anEventCallback(reply({ ts: "1700000000.000100", text: "the parent itself" })));
    await h.slack.event(anEventCallback(reply({ thread_ts: "1700000999.000100", text: "another thread" })));
    await h.slack.event(anEventCallback(reply({ channel: "C999", text: "another channel" })));
    await sleep(800);
    expect(await notes()).toHaveLength(2);
    expect(await h.app.db.timelineEntry.count({ where: { summary: { in: ["another thread", "another channel", "the parent itself", "edited"] } } })).toBe(0);
  });
});
