// Slack end to end, the whole sale in one go: capture a lead in one line, convert it (creating the customer),
// move it through the pipeline and win it; the sales channel's card follows every step in place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, optionState } from "../support/slack-requests.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: a lead from capture to won", () => {
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

  const press = async (actionId: string, lead: { id: string; version: number }, path: string) => {
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId, value: `${lead.id}:${lead.version}`, responseUrl: h.fake.responseUrl(path) }));
  };
  const current = () => h.app.db.lead.findFirstOrThrow({ where: { title: "wants 40 seats" } });

  it("captures, converts with a new customer, moves to Proposition and wins, with one channel card updated in place", async () => {
    await h.slack.command({ user_id: ANA.id, text: "lead Jane Roe, Globex, jane@globex.test: wants 40 seats #saas $40k", response_url: h.fake.responseUrl("quick") });
    const captured = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/quick");
    expect(buttonsOf(captured.args.blocks).map((b) => b.action_id)).toContain("lead.convert");
    const posted = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && /wants 40 seats/.test(c.args.text));
    expect(posted.args.text).toMatch(/^LEAD-\d{4} wants 40 seats/);
    let lead = await current();
    expect(lead).toMatchObject({ type: "lead", contactName: "Jane Roe", companyName: "Globex", tags: ["saas"], teamId: salesId, salespersonId: anaId });
    expect(Number(lead.expectedRevenue)).toBe(40000);

    // Convert: the modal's defaults are Odoo's (a new opportunity; create the customer since there are names).
    await press("lead.convert", lead, "convert");
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    const inputs = Object.fromEntries(modal.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(inputs.action.initial_option.value).toBe("convert");
    expect(inputs.customer.initial_option.value).toBe("create");
    const converted = await h.slack.interaction(
      aViewSubmission({
        userId: ANA.id,
        callbackId: "lead.convert-form",
        privateMetadata: modal.private_metadata,
        values: {
          action: optionState("radio_buttons", "convert"),
          customer: optionState("radio_buttons", "create"),
          partner: optionState("external_select", null),
          salesperson: optionState("external_select", anaId),
          team: optionState("static_select", salesId),
        },
      }),
    );
    expect(converted.status).toBe(200);
    lead = await current();
    expect(lead).toMatchObject({ type: "opportunity", version: 1 });
    const company = await h.app.db.partner.findUniqueOrThrow({ where: { id: lead.partnerId! }, include: { contacts: true } });
    expect({ name: company.name, kind: company.kind, contacts: company.contacts.map((c) => [c.name, c.email]) }).toEqual({ name: "Globex", kind: "company", contacts: [["Jane Roe", "jane@globex.test"]] });
    await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CSALES" && /^OPP-\d{4} wants 40 seats/.test(c.args.text));

    // Move stage, then win.
    await press("lead.stage", lead, "stage");
    const stageModal = (await h.fake.waitForCall("views.open", (c) => c.args.view.callback_id === "lead.stage-form")).args.view;
    const proposition = await h.app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "Proposition" } });
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "lead.stage-form", values: { stage: optionState("static_select", proposition.id) }, privateMetadata: stageModal.private_metadata }));
    lead = await current();
    expect(lead).toMatchObject({ stageId: proposition.id, probability: 60, version: 2 });
    await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CSALES" && blockTexts(c.args.blocks).includes("*Stage*\nProposition"));

    await press("lead.won", lead, "won");
    const won = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/won");
    expect(won.args.text).toMatch(/^🏆 OPP-\d{4} is won\./);
    expect(await current()).toMatchObject({ probability: 100, isOpen: false, version: 3 });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && /^🎉/.test(c.args.text));
    await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CSALES" && buttonsOf(c.args.blocks).some((b) => b.action_id === "lead.restore"));

    // One card in the channel for the whole life of the record: posted once, then only updated.
    const cardPosts = h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "CSALES" && /wants 40 seats/.test(c.args.text));
    expect(cardPosts).toHaveLength(1);
    const history = await h.app.db.timelineEntry.findMany({ where: { recordType: "lead", recordId: lead.id }, orderBy: { createdAt: "asc" }, select: { summary: true } });
    expect(history.map((e) => e.summary)).toEqual([
      expect.stringMatching(/^Captured by Ana Ruiz/),
      "Converted to an opportunity by Ana Ruiz (customer: created Globex)",
      expect.stringMatching(/Proposition/),
      expect.stringMatching(/[Ww]on/),
    ]);
  });
});
