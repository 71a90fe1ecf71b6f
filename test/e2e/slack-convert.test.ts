// Slack end to end: a lead's Convert button opens the conversion modal; submitting it with each customer option makes
// the lead an opportunity, posts its card to the sales team's channel and DMs the salesperson.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/client.js";
import { matchKeys } from "../../src/domain/leads.js";
import { aBlockAction, aViewSubmission, optionState } from "../support/slack-requests.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

const CARL = { id: "U7", email: "carl@example.com", realName: "Carl Diaz", tz: "Europe/Madrid" };

let seq = 0;
async function aLead(db: Db, over: { contactName?: string | null; companyName?: string | null; email?: string; salespersonId?: string; teamId: string }) {
  seq += 1;
  const stage = await db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
  const email = over.email ?? `buyer${seq}@slack-convert${seq}.test`;
  return db.lead.create({
    data: {
      title: `Slack deal ${seq}`,
      contactName: over.contactName === undefined ? `Contact ${seq}` : over.contactName,
      companyName: over.companyName === undefined ? `Company ${seq}` : over.companyName,
      email,
      ...matchKeys({ email }),
      salespersonId: over.salespersonId ?? null,
      teamId: over.teamId,
      stageId: stage.id,
      probability: stage.probability,
    },
  });
}

describe("Slack: converting a lead", () => {
  let h: SlackHarness;
  let salesId: string;
  let anaId: string;
  let carlId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.users.set(CARL.id, { email: CARL.email, realName: CARL.realName, tz: CARL.tz });
    for (const [who, path] of [[ANA.id, "ana"], [CARL.id, "carl"]] as const) {
      await h.slack.command({ user_id: who, text: "whoami", response_url: h.fake.responseUrl(path) });
      await h.fake.waitForCall("response_url", (c) => c.args.path === `/response/${path}`);
    }
    anaId = (await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } })).id;
    carlId = (await h.app.db.user.findUniqueOrThrow({ where: { email: CARL.email } })).id;
    salesId = (await h.app.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", members: { create: [{ userId: anaId }, { userId: carlId }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function pressConvert(lead: { id: string; version: number }) {
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.convert", value: `${lead.id}:${lead.version}`, responseUrl: h.fake.responseUrl("convert") }));
    return (await h.fake.waitForCall("views.open")).args.view;
  }

  const submit = (modal: any, values: { action?: string; customer: string; partner?: string | null; salesperson: string; team?: string }) =>
    h.slack.interaction(
      aViewSubmission({
        userId: ANA.id,
        callbackId: "lead.convert-form",
        privateMetadata: modal.private_metadata,
        values: {
          action: optionState("radio_buttons", values.action ?? "convert"),
          customer: optionState("radio_buttons", values.customer),
          partner: optionState("external_select", values.partner ?? null),
          salesperson: optionState("external_select", values.salesperson),
          team: optionState("static_select", values.team ?? salesId),
        },
      }),
    );

  it("opens the modal with Odoo's choices and defaults, and creates the customer, posts the card and DMs the salesperson", async () => {
    h.fake.reset();
    const lead = await aLead(h.app.db, { contactName: "Jane Roe", companyName: "Globex", email: "jane@globex.test", salespersonId: carlId, teamId: salesId });
    const modal = await pressConvert(lead);
    expect(modal.callback_id).toBe("lead.convert-form");
    expect(modal.title.text).toMatch(/^Convert LEAD-\d{4}$/);
    expect(JSON.parse(modal.private_metadata)).toEqual({ leadId: lead.id, version: "0" });
    const byId = Object.fromEntries(modal.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.action.initial_option.value).toBe("convert");
    expect(byId.customer.options.map((o: any) => o.text.text)).toEqual(["Create a new customer", "Link to an existing customer", "Do not link to a customer"]);
    expect(byId.customer.initial_option.value).toBe("create");
    expect(byId.salesperson.initial_option.value).toBe(carlId);
    expect(byId.team.initial_option.value).toBe(salesId);

    const res = await submit(modal, { customer: "create", salesperson: carlId });
    expect(res.status).toBe(200);
    const company = await h.app.db.partner.findFirstOrThrow({ where: { name: "Globex" }, include: { contacts: true } });
    expect(company.contacts.map((c) => c.name)).toEqual(["Jane Roe"]);
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: company.id, salespersonId: carlId, version: 1 });

    const posted = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES");
    expect(blockTexts(posted.args.blocks)[0]).toBe(`OPP-${String(lead.number).padStart(4, "0")}: ${lead.title}`);
    expect(blockTexts(posted.args.blocks)).toContain("*Customer*\nGlobex");
    expect(buttonsOf(posted.args.blocks).map((b) => b.action_id)).toContain("lead.won");
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === CARL.id);
    expect(dm.args.text).toMatch(new RegExp(`^Ana Ruiz converted LEAD-0*${lead.number} into an opportunity for you\\. — OPP-`));
  });

  it("links an existing customer, and first asks for one when none is chosen", async () => {
    h.fake.reset();
    const acme = await h.app.db.partner.create({ data: { kind: "company", name: "Acme" } });
    const lead = await aLead(h.app.db, { salespersonId: anaId, teamId: salesId });
    const modal = await pressConvert(lead);
    const missing = await submit(modal, { customer: "exist", salesperson: anaId });
    expect(await missing.json()).toEqual({ response_action: "errors", errors: { partner: "Choose the existing customer to link, or choose “Create a new customer”." } });
    expect((await submit(modal, { customer: "exist", partner: acme.id, salesperson: anaId })).status).toBe(200);
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: acme.id });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CSALES" && blockTexts(c.args.blocks).includes("*Customer*\nAcme"));
    // Ana converted it for herself: no DM.
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === ANA.id && /converted/.test(c.args.text))).toHaveLength(0);
  });

  it("links no customer when told so; a salesperson outside the team is refused first", async () => {
    h.fake.reset();
    const enterprise = await h.app.db.team.create({ data: { name: "Enterprise Sales", kind: "sales" } });
    const lead = await aLead(h.app.db, { teamId: salesId });
    const modal = await pressConvert(lead);
    const wrongTeam = await submit(modal, { customer: "nothing", salesperson: anaId, team: enterprise.id });
    expect(await wrongTeam.json()).toEqual({ response_action: "errors", errors: { salesperson: "Ana Ruiz is not in Enterprise Sales; choose a member of the team or another team." } });
    expect((await submit(modal, { customer: "nothing", salesperson: anaId })).status).toBe(200);
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: null, version: 1 });
    const entry = await h.app.db.timelineEntry.findFirstOrThrow({ where: { recordId: lead.id, kind: "converted" } });
    expect(entry.summary).toBe("Converted to an opportunity by Ana Ruiz (customer: none)");
    // The same modal submitted again converts nothing more.
    await submit(modal, { customer: "nothing", salesperson: anaId });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /is already an opportunity/.test(c.args.text));
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ version: 1 });
  });
});
