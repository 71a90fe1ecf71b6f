// Teams end to end: a lead's Convert button opens the conversion dialog; submitting it with each customer option makes
// the lead an opportunity, posts its card to the sales team's channel and DMs the salesperson.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { Db } from "../../src/db/client.js";
import { matchKeys } from "../../src/domain/leads.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SALES_CHANNEL = channel("sales");

let seq = 0;
async function aLead(db: Db, over: { contactName?: string | null; companyName?: string | null; salespersonId?: string; teamId: string }) {
  seq += 1;
  const stage = await db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
  const email = `buyer${seq}@teams-convert${seq}.test`;
  return db.lead.create({
    data: {
      title: `Teams deal ${seq}`,
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

describe("Teams: converting a lead", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let carl: TeamsPerson;
  let anaId: string;
  let carlId: string;
  let salesId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    carl = h.addPerson("Carl Diaz");
    // Ana's first contact is in the sales channel (the bot learns the channel); Carl opens a personal chat (for DMs).
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SALES_CHANNEL }));
    await postActivity(app.http.url, teams.message(carl, "whoami"));
    anaId = (await app.db.user.findUniqueOrThrow({ where: { email: ana.email } })).id;
    carlId = (await app.db.user.findUniqueOrThrow({ where: { email: carl.email } })).id;
    salesId = (await app.db.team.create({ data: { name: "Sales", kind: "sales", teamsConversationId: SALES_CHANNEL.id, members: { create: [{ userId: anaId }, { userId: carlId }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function pressConvert(lead: { id: string; version: number }) {
    const opener = { kind: "action", verb: "lead.convert", value: `${lead.id}:${lead.version}` };
    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener } }));
    return fetched.body.task.value;
  }

  const submit = (card: any, inputs: Record<string, unknown>) => postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: { ...card.actions[0].data, ...inputs } }));

  it("opens the dialog with Odoo's choices and defaults, and creates the customer, posts the card and DMs the salesperson", async () => {
    const lead = await aLead(app.db, { contactName: "Jane Roe", companyName: "Globex", salespersonId: carlId, teamId: salesId });
    const dialog = await pressConvert(lead);
    expect(dialog.title).toMatch(/^Convert LEAD-\d{4}$/);
    const card = dialog.card.content;
    const inputs = inputsOf(card);
    expect(inputs.action.value).toBe("convert");
    expect(inputs.customer.choices.map((c: any) => c.title)).toEqual(["Create a new customer", "Link to an existing customer", "Do not link to a customer"]);
    expect(inputs.customer.value).toBe("create");
    expect(inputs.salesperson.value).toBe(carlId);
    expect(inputs.salesperson["choices.data"]).toEqual({ type: "Data.Query", dataset: "users" });
    expect(inputs.team.value).toBe(salesId);

    const before = connector.sentActivities().length;
    const done = await submit(card, { action: "convert", customer: "create", salesperson: carlId, team: salesId });
    expect(done.status).toBe(200);
    const company = await app.db.partner.findFirstOrThrow({ where: { name: "Globex" }, include: { contacts: true } });
    expect(company.contacts.map((c) => c.name)).toEqual(["Jane Roe"]);
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: company.id, salespersonId: carlId, version: 1 });

    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === SALES_CHANNEL.id), 8000);
    const posted = connector.sentActivities().slice(before).find((a) => a.conversationId === SALES_CHANNEL.id)!;
    expect(textsOf(cardOf(posted))[0]).toBe(`OPP-${String(lead.number).padStart(4, "0")}: ${lead.title}`);
    expect(textsOf(cardOf(posted))).toContain("Customer: Globex");
    expect(actionsOf(cardOf(posted)).map((a) => a.title)).toContain("Won");
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === personalChat(carl).id), 8000);
    const dm = connector.sentActivities().slice(before).find((a) => a.conversationId === personalChat(carl).id)!;
    expect(textsOf(cardOf(dm))[0]).toBe(`Ana Ruiz converted LEAD-${String(lead.number).padStart(4, "0")} into an opportunity for you.`);
  });

  it("links an existing customer, after showing the error for a missing one in the dialog", async () => {
    const acme = await app.db.partner.create({ data: { kind: "company", name: "Acme" } });
    const lead = await aLead(app.db, { salespersonId: anaId, teamId: salesId });
    const card = (await pressConvert(lead)).card.content;
    const missing = await submit(card, { action: "convert", customer: "exist", salesperson: anaId, team: salesId });
    expect(missing.body.task.type).toBe("continue");
    expect(textsOf(missing.body.task.value.card.content)).toContain("Choose the existing customer to link, or choose “Create a new customer”.");
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "lead", version: 0 });
    const done = await submit(card, { action: "convert", customer: "exist", partner: acme.id, salesperson: anaId, team: salesId });
    expect(done.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/is now OPP-\d{4}/) });
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: acme.id });
  });

  it("links no customer when told so, once, even when the dialog is submitted twice", async () => {
    const lead = await aLead(app.db, { teamId: salesId });
    const card = (await pressConvert(lead)).card.content;
    const values = { action: "convert", customer: "nothing", salesperson: anaId, team: salesId };
    expect((await submit(card, values)).body.task.value).toMatch(/is now OPP-\d{4}/);
    expect((await submit(card, values)).body.task.value).toMatch(/is already an opportunity/);
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "opportunity", partnerId: null, version: 1 });
    expect(await app.db.timelineEntry.count({ where: { recordId: lead.id, kind: "converted" } })).toBe(1);
  });
});
