// Slack end to end: plan a meeting in one line, the invitee answers from the DM card, the organizer's card follows
// in place; the form warns about a clash; /crm agenda lists the day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, dateTimeState, inputState, optionState } from "../support/slack-requests.js";
import { ANA, BOB, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: meetings", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    // Bob is a colleague on another domain: an admin added him.
    await h.app.db.user.create({ data: { email: BOB.email, name: BOB.realName, timeZone: BOB.tz, slackTeamId: "T1", slackUserId: BOB.id } });
    await h.app.db.partner.create({ data: { kind: "company", name: "Acme" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("plans from the quick form; Bob accepts from his DM card, once; Ana's card is updated in place", async () => {
    await h.slack.command({ user_id: ANA.id, text: `meet Acme tomorrow 3pm for 45m with <@${BOB.id}|bob> and carol@acme.com`, response_url: h.fake.responseUrl("meet") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/meet");
    expect(answer.args.text).toMatch(/^Planned MTG-\d{4} “Meeting with Acme”/);
    const invitation = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === BOB.id && /^Invitation: MTG-/.test(c.args.text));
    const accept = buttonsOf(invitation.args.blocks).find((b) => b.text === "Accept")!;
    expect(buttonsOf(invitation.args.blocks).map((b) => b.text)).toEqual(["Accept", "Tentative", "Decline", "Email me the .ics"]);
    const organizerCard = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /MTG-\d{4} Meeting with Acme/.test(c.args.text));
    expect(blockTexts(organizerCard.args.blocks).join("\n")).toContain("Bob Stone — Not answered");

    // Ana cannot answer Bob's invitation.
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "meeting.answer", value: accept.value, responseUrl: h.fake.responseUrl("steal") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/steal")).args.text).toBe("Only the person invited can answer this invitation.");

    await h.slack.interaction(aBlockAction({ userId: BOB.id, actionId: "meeting.answer", value: accept.value, responseUrl: h.fake.responseUrl("accept") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/accept")).args.text).toMatch(/^You accepted MTG-/);
    await h.fake.waitForCall("chat.update", (c) => blockTexts(c.args.blocks).join("\n").includes("Bob Stone — Accepted"));
    await h.slack.interaction(aBlockAction({ userId: BOB.id, actionId: "meeting.answer", value: accept.value, responseUrl: h.fake.responseUrl("again") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/again")).args.text).toMatch(/^You already accepted MTG-/);
    const bob = await h.app.db.user.findUniqueOrThrow({ where: { email: BOB.email } });
    expect(await h.app.db.meetingAttendee.findFirstOrThrow({ where: { userId: bob.id } })).toMatchObject({ response: "accepted" });
    expect(await h.app.db.outbox.count({ where: { channel: "email", target: "carol@acme.com" } })).toBe(1);
  });

  it("the form warns about a clash and schedules anyway when the box is ticked", async () => {
    const first = await h.app.db.meeting.findFirstOrThrow();
    h.fake.reset();
    await h.slack.command({ user_id: ANA.id, text: "meet", response_url: h.fake.responseUrl("form") });
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("meeting.form");
    const values = {
      title: inputState("Overlap"),
      startAt: dateTimeState(new Date(first.startAt.getTime() + 15 * 60_000)),
      duration: inputState("30m"),
      reminders: inputState("15m"),
      repeat: optionState("static_select", "none"),
    };
    const res = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "meeting.form", values, privateMetadata: modal.private_metadata }));
    const body = (await res.json()) as any;
    expect(body.response_action).toBe("update");
    expect(JSON.stringify(body.view)).toMatch(/already busy then: MTG-\d{4} “Meeting with Acme”/);
    expect(await h.app.db.meeting.count({ where: { title: "Overlap" } })).toBe(0);
    const forced = { ...values, ignoreClashes: { type: "checkboxes", selected_options: [{ value: "yes" }] } };
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "meeting.form", values: forced, privateMetadata: body.view.private_metadata }));
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /Planned MTG-\d{4} “Overlap”/.test(c.args.text ?? ""));
    expect(await h.app.db.meeting.count({ where: { title: "Overlap" } })).toBe(1);
  });

  it("/crm agenda tomorrow lists both meetings in order", async () => {
    await h.slack.command({ user_id: ANA.id, text: "agenda tomorrow", response_url: h.fake.responseUrl("agenda") });
    const agenda = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/agenda");
    const lines = blockTexts(agenda.args.blocks).filter((t) => t.startsWith("📅"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("*Meeting with Acme*");
    expect(lines[1]).toContain("*Overlap*");
  });
});
