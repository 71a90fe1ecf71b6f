// Slack end to end: plan a call in one line, mark it held in a modal, note a voicemail (a double click acts once),
// and create an opportunity from a call (its card goes to the sales channel).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, inputState } from "../support/slack-requests.js";
import { ANA, BOB, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: the call workflow", () => {
  let h: SlackHarness;
  let anaId: string;

  beforeAll(async () => {
    // Bob may use Switchboard, so the refusal comes from the call policy, not from the sign-in.
    h = await startSlackHarness({ ALLOWED_EMAIL_DOMAINS: "example.com,other.org" });
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    anaId = (await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } })).id;
    await h.app.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", members: { create: [{ userId: anaId }] } } });
    await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function planCall(subject: string) {
    const path = `plan-${subject.replace(/\W+/g, "-")}`;
    await h.slack.command({ user_id: ANA.id, text: `call Acme Corp: ${subject} tomorrow 10am`, response_url: h.fake.responseUrl(path) });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === `/response/${path}`);
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { subject } });
    return { answer, call };
  }

  it("a planned call's card offers Held, Voicemail, Cancel call, Create opportunity, Schedule meeting, follow-up and Edit", async () => {
    const { answer, call } = await planCall("send the quote");
    expect(answer.args.text).toMatch(/^Planned call Acme Corp: send the quote/);
    expect(buttonsOf(answer.args.blocks).map((b) => b.text)).toEqual(["Held", "Voicemail", "Cancel call", "Create opportunity", "Schedule meeting", "Schedule follow-up", "Edit"]);
    expect(buttonsOf(answer.args.blocks).find((b) => b.action_id === "call.held")!.value).toBe(`${call.id}:0`);
  });

  it("Held opens a modal; its submit stores notes and duration and answers in the DM", async () => {
    const { call } = await planCall("pricing questions");
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "call.held", value: `${call.id}:0`, responseUrl: h.fake.responseUrl("held") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("call.held");
    expect(JSON.parse(modal.private_metadata)).toEqual({ callId: call.id, version: "0" });
    const values = { notes: inputState("They want 40 seats"), durationMinutes: { type: "number_input", value: "25" } };
    const res = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "call.held", values, privateMetadata: modal.private_metadata }));
    expect(res.status).toBe(200);
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /Call marked held/.test(c.args.text));
    expect(blockTexts(dm.args.blocks)).toContain("*Duration*\n25 min");
    expect(await h.app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "held", notes: "They want 40 seats", durationMinutes: 25, version: 1 });
  });

  it("Voicemail marks the call held once; the second click says so; someone else is refused", async () => {
    const { call } = await planCall("no answer");
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: BOB.id, actionId: "call.voicemail", value: `${call.id}:0`, responseUrl: h.fake.responseUrl("bob") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/bob")).args.text).toMatch(/Only the call's owner/);
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "call.voicemail", value: `${call.id}:0`, responseUrl: h.fake.responseUrl("vm1") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/vm1")).args.text).toMatch(/^📼 Voicemail noted/);
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "call.voicemail", value: `${call.id}:0`, responseUrl: h.fake.responseUrl("vm2") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/vm2")).args.text).toMatch(/already marked held/);
    expect(await h.app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "held", kind: "voicemail", version: 1 });
  });

  it("Create opportunity answers with the opportunity card and posts it to the sales channel", async () => {
    const { call } = await planCall("wants a pilot");
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "call.to-opportunity", value: `${call.id}:0`, responseUrl: h.fake.responseUrl("opp") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/opp");
    expect(answer.args.text).toMatch(/^✅ OPP-\d{4} created from CALL-\d{4}; the call is marked held\./);
    const opp = await h.app.db.lead.findFirstOrThrow({ where: { title: "wants a pilot" }, include: { channel: true } });
    expect(opp).toMatchObject({ type: "opportunity", salespersonId: anaId, channel: { code: "phone" } });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && c.args.text.includes("wants a pilot"));
    expect(await h.app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ leadId: opp.id, state: "held" });
  });
});
