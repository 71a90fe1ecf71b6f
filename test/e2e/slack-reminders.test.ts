// Meeting reminders end to end, on the whole app (real job runner, outbox, transports): the DM arrives at its due
// time on Slack and on Teams, with Join and Snooze; Snooze works once. (One Slack and one Teams case in one file.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import { planMeetingReminders } from "../../src/handlers/meetings/plan-reminders.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { aBlockAction } from "../support/slack-requests.js";
import { actionsOf, cardOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const MIN = 60_000;

/** A 15-minute meeting for `userId`, due for its 15-minute reminder `inMs` from now, planned as a create would. */
async function aMeetingRemindedIn(app: Switchboard, userId: string, inMs: number) {
  const startAt = new Date(Date.now() + 15 * MIN + inMs);
  const m = await app.db.meeting.create({
    data: {
      uid: `e2e-${Date.now()}-${Math.random()}@switchboard`,
      title: "Standup",
      location: "Room 2",
      videoUrl: "https://meet.example.com/standup",
      startAt,
      endAt: new Date(startAt.getTime() + 15 * MIN),
      timeZone: "Europe/Berlin",
      organizerId: userId,
      attendees: { create: [{ userId, response: "accepted" }] },
      reminders: { create: [{ minutesBefore: 15, channel: "dm" }] },
    },
  });
  await app.db.$transaction((tx) => planMeetingReminders(tx, app.deps, m.id));
  return { ...m, dueAt: new Date(startAt.getTime() - 15 * MIN) };
}

describe("Slack: meeting reminders", () => {
  let h: SlackHarness;
  let anaId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    anaId = (await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("DMs the reminder at its due time with Join and Snooze; Snooze works once", async () => {
    const m = await aMeetingRemindedIn(h.app, anaId, 2000);
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /^⏰ Standup in 15 min/.test(c.args.text), 15_000);
    // Due → on Slack: one job poll (≤ 0.5 s) plus the outbox's next tick (≤ 1 s) plus delivery.
    expect(Date.now() - m.dueAt.getTime()).toBeLessThan(5000);
    expect(dm.args.text).toMatch(/^⏰ Standup in 15 min \(\d\d:\d\d–\d\d:\d\d, Room 2\)$/);
    const buttons = buttonsOf(dm.args.blocks);
    expect(buttons.map((b) => b.text)).toEqual(["Join", "Snooze 5 min", "Snooze 10 min"]);
    const snooze = buttons.find((b) => b.text === "Snooze 5 min")!;

    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "reminder.snooze", value: snooze.value!, responseUrl: h.fake.responseUrl("snooze") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/snooze");
    expect(answer.args.text).toMatch(/^Snoozed: I will remind you again at \d\d:\d\d\.$/);
    // A double click: one snooze, and it says until when.
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "reminder.snooze", value: snooze.value!, responseUrl: h.fake.responseUrl("again") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/again")).args.text).toMatch(/^This reminder is already snoozed until \d\d:\d\d\.$/);
    const delivery = await h.app.db.reminderDelivery.findFirstOrThrow({ where: { meetingId: m.id } });
    expect(delivery.snoozedUntil).not.toBeNull();
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === ANA.id && /^⏰/.test(c.args.text))).toHaveLength(1);
  });
});

describe("Teams: meeting reminders", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let ana: TeamsPerson;
  let anaId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, ana } = h);
    // Her personal chat with the bot is where DMs go.
    await postActivity(app.http.url, h.teams.message(ana, "whoami"));
    anaId = (await app.db.user.findUniqueOrThrow({ where: { email: ana.email } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("DMs the reminder card at its due time; Snooze answers once", async () => {
    const before = connector.sentActivities().length;
    await aMeetingRemindedIn(app, anaId, 2000);
    const isReminder = (a: { body: any }) => JSON.stringify(a.body ?? {}).includes("⏰ Standup in 15 min");
    await waitFor(() => connector.sentActivities().slice(before).some(isReminder), 15_000);
    const card = cardOf(connector.sentActivities().slice(before).find(isReminder)!);
    expect(textsOf(card)[0]).toMatch(/^⏰ Standup in 15 min \(\d\d:\d\d–\d\d:\d\d, Room 2\)$/);
    const actions = actionsOf(card);
    expect(actions.map((a) => a.title)).toEqual(["Join", "Snooze 5 min", "Snooze 10 min"]);
    expect(actions[0]).toMatchObject({ type: "Action.OpenUrl", url: "https://meet.example.com/standup" });
    const value = actions[2].data.value as string;
    const click = () => postActivity(app.http.url, h.teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "reminder.snooze", data: { value } } }));
    expect(JSON.stringify((await click()).body)).toMatch(/Snoozed: I will remind you again at \d\d:\d\d\./);
    expect(JSON.stringify((await click()).body)).toMatch(/This reminder is already snoozed until \d\d:\d\d\./);
  });
});
