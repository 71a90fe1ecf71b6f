// Slack end to end: the lead quick form answers with the card and its duplicate; "Create lead from message" opens the
// form with the text; a field error, then the lead stored and its card posted to the sales team's channel.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aMessageShortcut, aViewSubmission, inputState, optionState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: leads", () => {
  let h: SlackHarness;
  let salesId: string;
  let anaId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    anaId = (await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } })).id;
    salesId = (await h.app.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", members: { create: [{ userId: anaId }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answers the quick form with the new lead's card, showing an earlier lead with the same email as a duplicate", async () => {
    h.fake.reset();
    const stage = await h.app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const earlier = await h.app.db.lead.create({ data: { title: "Trade fair contact", email: "jane@globex.com", emailNormalized: "jane@globex.com", emailDomain: "globex.com", stageId: stage.id } });
    await h.slack.command({ user_id: ANA.id, text: "lead Jane Roe, Globex, jane@globex.com: wants 40 seats #saas", response_url: h.fake.responseUrl("quick") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/quick");
    expect(answer.args.response_type).toBe("ephemeral");
    const texts = blockTexts(answer.args.blocks).join("\n");
    expect(texts).toMatch(/LEAD-\d{4}: wants 40 seats/);
    expect(texts).toContain(`LEAD-${String(earlier.number).padStart(4, "0")}* Trade fair contact (same email)`);
    expect(buttonsOf(answer.args.blocks).find((b) => b.action_id === "lead.open")?.value).toBe(earlier.id);
    const lead = await h.app.db.lead.findFirstOrThrow({ where: { title: "wants 40 seats" } });
    expect(lead).toMatchObject({ teamId: salesId, salespersonId: anaId, emailNormalized: "jane@globex.com", tags: ["saas"] });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && /wants 40 seats/.test(c.args.text));

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.open", value: earlier.id, responseUrl: h.fake.responseUrl("open") }));
    const opened = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/open");
    expect(blockTexts(opened.args.blocks)[0]).toMatch(/^LEAD-\d{4}: Trade fair contact$/);
  });

  it("opens the lead form from a message shortcut with the text as notes, then a field error, then the lead and its channel card", async () => {
    h.fake.reset();
    const text = "Hi! Initech here.\nWe would like a quote for 200 seats.";
    await h.slack.interaction(aMessageShortcut({ userId: ANA.id, callbackId: "lead.from-message", text, responseUrl: h.fake.responseUrl(), channelId: "C9", ts: "1700000000.000200" }));
    const view = (await h.fake.waitForCall("views.open")).args.view;
    const link = "https://test.slack.com/archives/C9/p1700000000000200";
    expect(view.title.text).toBe("Create lead from message");
    expect(view.callback_id).toBe("lead.form");
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.title.initial_value).toBe("Hi! Initech here.");
    expect(byId.notes.initial_value).toBe(text);
    expect(byId.team.initial_option.value).toBe(salesId);
    expect(byId.salesperson.initial_option.value).toBe(anaId);
    expect(JSON.parse(view.private_metadata)).toEqual({ sourceLink: link });
    const channelId = async (code: string) => (await h.app.db.channel.findUniqueOrThrow({ where: { code } })).id;
    // A lead from a chat message came in by chat; the person may choose another way in.
    expect(byId.channel.initial_option.value).toBe(await channelId("chat"));
    const web = await channelId("web");

    const values = (email: string) => ({
      title: inputState("Initech: 200 seats"),
      email: inputState(email),
      notes: inputState(text),
      team: optionState("static_select", salesId),
      salesperson: optionState("external_select", anaId),
      channel: optionState("static_select", web),
    });
    const bad = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.form", values: values("bill@"), privateMetadata: view.private_metadata }));
    expect(await bad.json()).toEqual({ response_action: "errors", errors: { email: "That email address is not valid: bill@" } });
    expect(await h.app.db.lead.count({ where: { title: "Initech: 200 seats" } })).toBe(0);

    const ok = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.form", values: values("bill@initech.com"), privateMetadata: view.private_metadata }));
    expect(ok.status).toBe(200);
    const lead = await h.app.db.lead.findFirstOrThrow({ where: { title: "Initech: 200 seats" } });
    expect(lead).toMatchObject({ teamId: salesId, salespersonId: anaId, channelId: web, sourceLink: link, emailDomain: "initech.com", notes: text });
    const posted = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && /Initech: 200 seats/.test(c.args.text));
    expect(blockTexts(posted.args.blocks)[0]).toMatch(/^LEAD-\d{4}: Initech: 200 seats$/);
    expect(buttonsOf(posted.args.blocks).find((b) => b.action_id === "lead.convert")?.value).toBe(`${lead.id}:0`);
    await waitFor(async () => (await h.app.db.outbox.count({ where: { subjectKey: `lead:${lead.id}`, state: "sent" } })) === 1, 5000);
  });

  it("refuses a forged non-sales team id in the submission with a field error", async () => {
    const support = await h.app.db.team.create({ data: { name: "Support", kind: "support" } });
    const res = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.form", values: { title: inputState("Forged"), team: optionState("static_select", support.id) } }));
    expect(await res.json()).toEqual({ response_action: "errors", errors: { team: "Support is not a sales team; choose a sales team." } });
    expect(await h.app.db.lead.count({ where: { title: "Forged" } })).toBe(0);
  });

  it("says so for an unknown reference", async () => {
    await h.slack.command({ user_id: ANA.id, text: "opp OPP-9999", response_url: h.fake.responseUrl("unknown") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/unknown");
    expect(answer.args.text).toBe("There is no lead or opportunity number 9999.");
  });
});
