// Slack end to end: move an opportunity's stage (modal), win it (celebration in the team channel), lose another
// with a reason, and /crm pipeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, inputState, optionState } from "../support/slack-requests.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: the opportunity pipeline", () => {
  let h: SlackHarness;
  let salesId: string;
  let anaId: string;
  let stageIds: Record<string, string>;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    anaId = (await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } })).id;
    salesId = (await h.app.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", members: { create: [{ userId: anaId }] } } })).id;
    const stages = await h.app.db.leadStage.findMany({ where: { teamId: null } });
    stageIds = Object.fromEntries(stages.map((s) => [s.name, s.id]));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const anOpportunity = (title: string, revenue: number) =>
    h.app.db.lead.create({ data: { title, type: "opportunity", salespersonId: anaId, teamId: salesId, stageId: stageIds.New!, probability: 10, expectedRevenue: revenue } });

  it("Move stage opens a modal of open stages; the submit applies the stage's probability", async () => {
    const opp = await anOpportunity("Globex: 40 seats", 40000);
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.stage", value: `${opp.id}:0`, responseUrl: h.fake.responseUrl("stage") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("lead.stage-form");
    expect(JSON.parse(modal.private_metadata)).toEqual({ leadId: opp.id, version: "0" });
    const select = modal.blocks.find((b: any) => b.block_id === "stage").element;
    expect(select.options.map((o: any) => o.text.text)).toEqual(["New (10%)", "Qualified (30%)", "Proposition (60%)", "Negotiation (80%)"]);

    const res = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.stage-form", values: { stage: optionState("static_select", stageIds.Negotiation!) }, privateMetadata: modal.private_metadata }));
    expect(res.status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /is now in stage Negotiation \(80%\)/.test(c.args.text));
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Negotiation, probability: 80, version: 1 });
    const card = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES");
    expect(blockTexts(card.args.blocks)).toContain("*Stage*\nNegotiation");
  });

  it("Won closes the opportunity and posts the first-deal celebration to the team channel, once for a double click", async () => {
    const opp = await h.app.db.lead.findFirstOrThrow({ where: { title: "Globex: 40 seats" } });
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.won", value: `${opp.id}:1`, responseUrl: h.fake.responseUrl("won") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/won");
    expect(answer.args.text).toMatch(/^🏆 OPP-\d{4} is won\. Go, go, go! Congrats for your first deal\./);
    expect(buttonsOf(answer.args.blocks).map((b) => b.action_id)).toEqual(["lead.restore", "lead.email"]);
    const party = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && /^🎉/.test(c.args.text));
    expect(party.args.text).toBe("🎉 Go, go, go! Congrats for your first deal.");
    expect(blockTexts(party.args.blocks).join("\n")).toContain("Ana Ruiz won OPP-");

    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.won", value: `${opp.id}:1`, responseUrl: h.fake.responseUrl("again") }));
    expect((await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/again")).args.text).toMatch(/is already won/);
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Won, probability: 100, isOpen: false, version: 2 });
    expect(h.fake.callsTo("chat.postMessage").filter((c) => /^🎉/.test(c.args.text))).toHaveLength(1);
  });

  it("Lost asks for a reason and a note, and stores both", async () => {
    const opp = await anOpportunity("Initech renewal", 5000);
    const reason = await h.app.db.lostReason.findFirstOrThrow({ where: { isActive: true }, orderBy: { name: "asc" } });
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.lost", value: `${opp.id}:0`, responseUrl: h.fake.responseUrl("lost") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("lead.lost-form");
    const values = { lostReason: optionState("static_select", reason.id), closingNote: inputState("They stayed with their vendor") };
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.lost-form", values, privateMetadata: modal.private_metadata }));
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /is marked lost/.test(c.args.text));
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Lost, isOpen: false, probability: 0, lostReasonId: reason.id, closingNote: "They stayed with their vendor" });
  });

  it("/crm pipeline answers with the open opportunities per stage and the forecast", async () => {
    await anOpportunity("Umbrella pilot", 2000);
    await h.slack.command({ user_id: ANA.id, text: "pipeline", response_url: h.fake.responseUrl("pipeline") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/pipeline");
    expect(answer.args.text).toBe("Pipeline — your opportunities: 1 open opportunity, 2,000 expected, 200 weighted forecast; 0 overdue");
    expect(blockTexts(answer.args.blocks)).toContain("*New*\n1 · 2,000");
  });
});
