import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { aBlockAction, aBlockSuggestion, aMessageShortcut, aViewSubmission, dateTimeState, inputState, optionState } from "../support/slack-requests.js";

describe("Slack modals, type-ahead and the message shortcut", () => {
  let h: SlackHarness;
  let acmeId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    acmeId = (await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } })).id;
    // Ana's first contact, so later requests are known users.
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
  });
  afterAll(async () => {
    await h?.stop();
  });

  function callForm(values: Record<string, Record<string, unknown>>, privateMetadata?: string) {
    return aViewSubmission({ userId: ANA.id, callbackId: "call.form", values, privateMetadata });
  }

  const validValues = (at: Date) => ({
    direction: optionState("radio_buttons", "inbound"),
    state: optionState("radio_buttons", "held"),
    partner: optionState("external_select", "new:Initech"),
    contactPhone: inputState("+49 30 1234567"),
    subject: inputState("Renewal terms"),
    notes: inputState(null),
    durationMinutes: { type: "number_input", value: "35" },
    callAt: dateTimeState(at),
  });

  it("answers a submission with bad values with errors under the fields, and stores nothing", async () => {
    const before = await h.app.db.phoneCall.count();
    const res = await h.slack.interaction(
      callForm({ ...validValues(new Date()), subject: inputState(null), durationMinutes: { type: "number_input", value: "abc" }, callAt: { type: "datetimepicker", selected_date_time: "next blue moon" } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: "errors",
      errors: {
        subject: "Say what the call was about.",
        durationMinutes: "Duration is a whole number of minutes, e.g. 20.",
        callAt: "Use a date and time like 2026-11-24 10:00.",
      },
    });
    expect(await h.app.db.phoneCall.count()).toBe(before);
    expect(await h.app.db.partner.count({ where: { name: "Initech" } })).toBe(0);
  });

  it("stores a valid submission, closes the modal and DMs the card", async () => {
    const at = new Date(Date.UTC(2026, 10, 20, 9, 30));
    const res = await h.slack.interaction(callForm(validValues(at)));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id);
    expect(dm.token).toBe("xoxb-test");
    expect(dm.args.blocks[0].text.text).toBe("Call from Initech");
    const partner = await h.app.db.partner.findFirstOrThrow({ where: { name: "Initech" } });
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { partnerId: partner.id } });
    expect(call).toMatchObject({ direction: "inbound", state: "held", subject: "Renewal terms", durationMinutes: 35, contactPhone: "+49 30 1234567", callAt: at });
    expect(buttonsOf(dm.args.blocks).map((b) => b.action_id)).toEqual(["call.to-opportunity", "meeting.new-for", "call.follow-up", "call.edit"]);
  });

  it("edits the call the form's private_metadata names", async () => {
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { subject: "Renewal terms" } });
    const res = await h.slack.interaction(callForm({ ...validValues(call.callAt), subject: inputState("Renewal terms, signed") }, JSON.stringify({ callId: call.id })));
    expect(res.status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.text?.includes("Renewal terms, signed"));
    expect(await h.app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ subject: "Renewal terms, signed" });
  });

  it("opens the edit form prefilled from the card's Edit button", async () => {
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { subject: "Renewal terms, signed" } });
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "call.edit", value: call.id, responseUrl: h.fake.responseUrl() }));
    const open = await h.fake.waitForCall("views.open");
    const view = open.args.view;
    expect(view.title.text).toBe("Edit call");
    expect(JSON.parse(view.private_metadata)).toEqual({ callId: call.id });
    const byId = Object.fromEntries(view.blocks.map((b: any) => [b.block_id, b.element]));
    expect(byId.subject.initial_value).toBe("Renewal terms, signed");
    expect(byId.direction.initial_option.value).toBe("inbound");
    expect(byId.partner.initial_option).toEqual({ text: { type: "plain_text", text: "Initech" }, value: call.partnerId });
    expect(byId.callAt.initial_date_time).toBe(Math.floor(call.callAt.getTime() / 1000));
  });

  it("suggests partners as the person types, with a Create option for a new name", async () => {
    const res = await h.slack.interaction(aBlockSuggestion({ userId: ANA.id, actionId: "search:partners", value: "Acm" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      options: [
        { text: { type: "plain_text", text: "Acme Corp" }, value: acmeId },
        { text: { type: "plain_text", text: "Create “Acm”" }, value: "new:Acm" },
      ],
    });
  });

  it("opens the call form from a message with its text and permalink in the notes", async () => {
    h.fake.reset();
    const text = "Globex called: they want a quote for 40 seats by Friday";
    const res = await h.slack.interaction(aMessageShortcut({ userId: ANA.id, callbackId: "call.from-message", text, responseUrl: h.fake.responseUrl(), channelId: "C7", ts: "1700000000.000100" }));
    expect(res.status).toBe(200);
    const open = await h.fake.waitForCall("views.open");
    expect(h.fake.callsTo("chat.getPermalink")[0]!.args).toMatchObject({ channel: "C7", message_ts: "1700000000.000100" });
    const view = open.args.view;
    const link = "https://test.slack.com/archives/C7/p1700000000000100";
    expect(view.title.text).toBe("Log call from message");
    expect(blockTexts(view.blocks)[0]).toBe("Logging a call from a chat message.");
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.notes.initial_value).toBe(`${text}\n\nFrom: ${link}`);
    expect(byId.subject.initial_value).toBe(text);
    expect(JSON.parse(view.private_metadata)).toEqual({ sourceLink: link });
  });

  it("keeps the source link of a call logged from a message", async () => {
    const link = "https://test.slack.com/archives/C7/p1700000000000100";
    await h.slack.interaction(callForm({ ...validValues(new Date()), subject: inputState("Quote for 40 seats") }, JSON.stringify({ sourceLink: link })));
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.text?.includes("Quote for 40 seats"));
    expect(await h.app.db.phoneCall.findFirstOrThrow({ where: { subject: "Quote for 40 seats" } })).toMatchObject({ sourceLink: link });
  });
});
