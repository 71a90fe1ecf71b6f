import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formFromMessage, homeView, runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { LEAD_FORM_ID } from "../../src/bot/views/lead-forms.js";
import type { Action, MessageView, Reply } from "../../src/bot/views/view.js";
import { DUPLICATE_LIMIT, leadReference, matchKeys } from "../../src/domain/leads.js";
import { findDuplicates } from "../../src/handlers/leads/find-duplicates.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply)}`);
}

const buttons = (view: MessageView, id: string): Action[] => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).filter((a) => a.id === id);
const textOf = (view: MessageView) => view.blocks.map((b) => ("text" in b ? b.text : b.type === "fields" ? b.fields.map((f) => `${f.label}: ${f.value}`).join("\n") : "")).join("\n");

function formOf(reply: Reply) {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}

describe("capturing and finding leads through the dispatcher", () => {
  let h: HandlerHarness;
  let salesId: string;
  let supportId: string;
  let newStageId: string;
  let ana: Who; // sales agent
  let bob: Who; // another sales agent
  let globexId: string;

  beforeAll(async () => {
    h = await handlerHarness();
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", teamsConversationId: "19:sales@thread.tacv2" } });
    const support = await h.db.team.create({ data: { name: "Support", kind: "support" } });
    [salesId, supportId] = [sales.id, support.id];
    ana = await aPerson(h.db, { teamIds: [support.id, sales.id] });
    bob = await aPerson(h.db, { teamIds: [sales.id] });
    newStageId = (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
    globexId = (await h.db.partner.create({ data: { kind: "company", name: "Globex Corporation" } })).id;
  });
  afterAll(async () => h?.close());

  /** A record stored directly, as another part of the app (or an earlier capture) would have. */
  async function aLead(over: { title?: string; email?: string; phone?: string; partnerId?: string; type?: "lead" | "opportunity"; companyName?: string; salespersonId?: string; isOpen?: boolean }) {
    return h.db.lead.create({
      data: {
        title: over.title ?? "Existing lead",
        email: over.email ?? null,
        phone: over.phone ?? null,
        ...matchKeys(over),
        partnerId: over.partnerId ?? null,
        companyName: over.companyName ?? null,
        type: over.type ?? "lead",
        salespersonId: over.salespersonId ?? null,
        isOpen: over.isOpen ?? true,
        stageId: newStageId,
      },
    });
  }

  async function captureQuick(who: Who, text: string) {
    const view = viewOf(await runCommand(h.deps, who, `lead ${text}`, slack));
    const number = Number(/(?:LEAD|OPP)-(\d+)/.exec(view.text)?.[1]);
    return { view, lead: await h.db.lead.findUniqueOrThrow({ where: { number }, include: { stage: true } }) };
  }

  it("captures a lead from the quick form into my first sales team's first open stage, and posts its card there", async () => {
    const { view, lead } = await captureQuick(ana, "Jane Roe, Globex, Jane@Globex.com, +34 600 12 34 56: wants 40 seats #saas $40k !high");
    expect(lead).toMatchObject({
      title: "wants 40 seats",
      contactName: "Jane Roe",
      companyName: "Globex",
      email: "Jane@Globex.com",
      emailNormalized: "jane@globex.com",
      emailDomain: "globex.com",
      phoneSanitized: "+34600123456",
      tags: ["saas"],
      priority: 2,
      type: "lead",
      teamId: salesId,
      salespersonId: ana.user.id,
      createdById: ana.user.id,
      probability: 10,
      isOpen: true,
      version: 0,
      stage: { name: "New", teamId: null },
    });
    expect(Number(lead.expectedRevenue)).toBe(40_000);
    expect(view.text).toBe(`${leadReference(lead)} wants 40 seats — New, 40,000, ${ana.user.name}`);
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "lead", recordId: lead.id } });
    expect(timeline.map((t) => t.summary)).toEqual([`Captured by ${ana.user.name} (quick form): ${leadReference(lead)} wants 40 seats`]);
    const rows = await h.db.outbox.findMany({ where: { subjectKey: `lead:${lead.id}` }, orderBy: { channel: "asc" } });
    expect(rows.map((r) => [r.channel, r.target])).toEqual([
      ["slack", "CSALES"],
      ["teams", "19:sales@thread.tacv2"],
    ]);
  });

  it("shows the new lead's duplicates on its card at once: same email, same company domain, same phone", async () => {
    const byEmail = await aLead({ title: "Old email lead", email: "jane.roe@initech.com" });
    const byDomain = await aLead({ title: "Same company", email: "peter@initech.com" });
    const byPhone = await aLead({ title: "Same phone", phone: "0044 20 7946 0000" });
    await aLead({ title: "Closed one", email: "jane.roe@initech.com", isOpen: false });
    const { view, lead } = await captureQuick(bob, "Jane Roe, JANE.ROE@initech.com, 0044-20-7946-0000: second inquiry");
    const text = textOf(view);
    expect(text).toContain("Possible duplicates");
    expect(text).toContain(`${leadReference(byEmail)}* Old email lead (same email)`);
    expect(text).toContain(`${leadReference(byPhone)}* Same phone (same phone)`);
    expect(text).toContain(`${leadReference(byDomain)}* Same company (same email domain)`);
    expect(text).not.toContain("Closed one");
    expect(buttons(view, "lead.open").map((b) => b.value)).toEqual([byEmail.id, byPhone.id, byDomain.id]);
    expect(lead.teamId).toBe(salesId);
  });

  it("does not call two webmail addresses duplicates, but does match the same webmail address", async () => {
    const same = await aLead({ title: "Gmail person", email: "someone@gmail.com" });
    await aLead({ title: "Other gmail", email: "other@gmail.com" });
    const { view } = await captureQuick(ana, "someone@gmail.com: wants a demo");
    const text = textOf(view);
    expect(text).toContain(`${leadReference(same)}* Gmail person (same email)`);
    expect(text).not.toContain("Other gmail");
  });

  it("finds duplicates by partner, and keeps the strongest reasons when a shared domain has more than the limit", async () => {
    const partnerDup = await aLead({ title: "Globex renewal", partnerId: globexId });
    for (let i = 0; i < DUPLICATE_LIMIT + 4; i++) await aLead({ title: `Bulk ${i}`, email: `person${i}@umbrella.example` });
    const exact = await aLead({ title: "Exact", email: "ceo@umbrella.example" });
    const found = await findDuplicates(h.db, { emailNormalized: "ceo@umbrella.example", emailDomain: "umbrella.example", phoneSanitized: null, partnerId: globexId });
    expect(found).toHaveLength(DUPLICATE_LIMIT);
    expect(found[0]).toMatchObject({ id: exact.id, reason: "email" });
    expect(found[1]).toMatchObject({ id: partnerDup.id, reason: "partner" });
    expect(found.slice(2).every((d) => d.reason === "domain")).toBe(true);
    expect(await findDuplicates(h.db, { id: exact.id, emailNormalized: "ceo@umbrella.example", emailDomain: null, phoneSanitized: null, partnerId: null })).toEqual([]);
  });

  it("explains a bad quick form and stores nothing", async () => {
    const before = await h.db.lead.count();
    expect(viewOf(await runCommand(h.deps, ana, "lead Jane Roe, Globex, jane@: wants seats", slack)).text).toBe("That email address is not valid: jane@");
    expect(viewOf(await runCommand(h.deps, ana, "lead Jane, Globex:   ", slack)).text).toContain("Say what the lead is about after the colon");
    expect(viewOf(await runCommand(h.deps, ana, `lead Globex: ${"x".repeat(5000)}`, slack)).text).toContain("longer than 300 characters");
    expect(await h.db.lead.count()).toBe(before);
  });

  it("opens the form with me as salesperson and my first sales team, and only sales teams to choose from", async () => {
    const form = formOf(await runCommand(h.deps, ana, "lead", slack));
    expect(form.id).toBe(LEAD_FORM_ID);
    const field = (id: string) => form.fields.find((f) => f.id === id)!;
    expect(field("salesperson")).toMatchObject({ initial: ana.user.id });
    expect(field("team")).toMatchObject({ initial: salesId, options: [{ value: salesId, label: "Sales" }] });
  });

  it("answers form mistakes field by field (bad email, forged non-sales team, inactive salesperson, huge title, negative revenue), then creates the lead", async () => {
    const gone = await aPerson(h.db, { teamIds: [salesId] });
    await h.db.user.update({ where: { id: gone.user.id }, data: { isActive: false } });
    const before = await h.db.lead.count();
    const bad = await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Initech upgrade", email: "jane@", team: supportId, salesperson: gone.user.id, expectedRevenue: "-5" }, {});
    expect(bad).toEqual({
      kind: "errors",
      errors: { email: "That email address is not valid: jane@", expectedRevenue: "Expected revenue is an amount of 0 or more, like 12500 or 12,500.50." },
    });
    const routed = await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Initech upgrade", team: supportId, salesperson: gone.user.id }, {});
    expect(routed).toEqual({ kind: "errors", errors: { team: "Support is not a sales team; choose a sales team.", salesperson: "That person's account is deactivated; choose someone active." } });
    expect(await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "x".repeat(301) }, {})).toMatchObject({ kind: "errors", errors: { title: expect.stringContaining("300") } });
    expect(await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "ok", team: "not-an-id" }, {})).toEqual({ kind: "errors", errors: { team: "Choose a sales team from the list." } });
    expect(await h.db.lead.count()).toBe(before);

    const done = await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Initech upgrade", contactName: "Bill", email: "bill@initech.com", team: salesId, salesperson: bob.user.id, tags: "upgrade, #Enterprise, upgrade", channel: (await h.db.channel.findUniqueOrThrow({ where: { code: "referral" } })).id, referredBy: "Ana's friend", expectedRevenue: "12,500.50", notes: "Call after lunch" }, {});
    expect(done.kind).toBe("done");
    const lead = await h.db.lead.findFirstOrThrow({ where: { title: "Initech upgrade" }, include: { channel: true } });
    expect(lead).toMatchObject({ salespersonId: bob.user.id, teamId: salesId, tags: ["upgrade", "Enterprise"], channel: { code: "referral" }, referredBy: "Ana's friend", emailDomain: "initech.com", notes: "Call after lunch", createdById: ana.user.id });
    expect(Number(lead.expectedRevenue)).toBe(12_500.5);
    expect(textOf(viewOf(done))).toContain("Possible duplicates");
    const targets = (await h.db.outbox.findMany({ where: { subjectKey: `lead:${lead.id}` } })).map((r) => r.target).sort();
    expect(targets).toEqual(["19:sales@thread.tacv2", "CSALES"]);
    // Bob was chosen by Ana, so Bob hears about it; Ana, who did it, does not.
    const dms = await h.db.outbox.findMany({ where: { target: { in: [bob.user.slackUserId!, ana.user.slackUserId!] }, createdAt: { gte: lead.createdAt } } });
    expect(dms.map((d) => d.target)).toEqual([bob.user.slackUserId]);
    expect((dms[0]!.payload as { text: string }).text).toContain(`${ana.user.name} captured a lead for you.`);
  });

  it("'Create lead from message' opens the form with the text as notes, and keeps the link on the lead", async () => {
    const message = { text: "Hi, Umbrella here — we need 200 licences\nPlease call back", link: "https://acme.slack.com/archives/C1/p1700000000000100", channel: "C1", ts: "1700000000.000100" };
    const form = formOf(await formFromMessage(h.deps, ana, "lead.from-message", message));
    expect(form.id).toBe(LEAD_FORM_ID);
    expect(form.fields.find((f) => f.id === "title")!.initial).toBe("Hi, Umbrella here — we need 200 licences");
    expect(form.fields.find((f) => f.id === "notes")!.initial).toBe(message.text);
    expect(form.context).toEqual({ sourceLink: message.link });
    const done = await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Umbrella licences", notes: message.text, salesperson: ana.user.id }, form.context!);
    const lead = await h.db.lead.findFirstOrThrow({ where: { title: "Umbrella licences" } });
    expect(lead).toMatchObject({ sourceLink: message.link, notes: message.text, teamId: salesId });
    expect(textOf(viewOf(done))).toContain(`<${message.link}|source message>`);
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "lead", recordId: lead.id } });
    expect(entry.summary).toContain("(from a message)");
    const forged = await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Forged link" }, { sourceLink: "javascript:alert(1)" });
    expect(forged.kind).toBe("done");
    expect((await h.db.lead.findFirstOrThrow({ where: { title: "Forged link" } })).sourceLink).toBeNull();
  });

  it("shows a record by either reference prefix, and says so for an unknown one", async () => {
    const opp = await aLead({ title: "Big deal", type: "opportunity" });
    for (const ref of [`lead LEAD-${opp.number}`, `opp OPP-${String(opp.number).padStart(4, "0")}`, `opp lead-${opp.number}`]) {
      expect(viewOf(await runCommand(h.deps, ana, ref, slack)).text).toMatch(new RegExp(`^OPP-0*${opp.number} Big deal`));
    }
    expect(viewOf(await runCommand(h.deps, ana, "lead LEAD-999999", slack)).text).toBe("There is no lead or opportunity number 999999.");
    expect(viewOf(await runAction(h.deps, ana, "lead.open", opp.id)).text).toMatch(/^OPP-\d+ Big deal/);
    expect(viewOf(await runAction(h.deps, ana, "lead.open", "not-an-id")).text).toBe("That lead no longer exists.");
  });

  it("searches open opportunities by title, company or customer, with % and _ taken literally", async () => {
    const half = await aLead({ title: "50% discount renewal", type: "opportunity" });
    await aLead({ title: "500 seats", type: "opportunity" });
    await aLead({ title: "a_b rollout", type: "opportunity" });
    await aLead({ title: "axb rollout", type: "opportunity" });
    await aLead({ title: "50% closed", type: "opportunity", isOpen: false });
    await aLead({ title: "50% still a lead", type: "lead" });
    const one = viewOf(await runCommand(h.deps, ana, "opp 50%", slack));
    expect(one.text).toMatch(new RegExp(`^${leadReference(half)} 50% discount renewal`));
    expect(viewOf(await runCommand(h.deps, ana, "opp a_b", slack)).text).toMatch(/a_b rollout/);

    const viaCompany = await aLead({ title: "Expansion", companyName: "Hooli XYZ", type: "opportunity" });
    const viaPartner = await aLead({ title: "Services", partnerId: globexId, type: "opportunity" });
    expect(viewOf(await runCommand(h.deps, ana, "opp hooli xyz", slack)).text).toMatch(new RegExp(`^${leadReference(viaCompany)}`));
    expect(viewOf(await runCommand(h.deps, ana, "opp globex corp", slack)).text).toMatch(new RegExp(`^${leadReference(viaPartner)}`));

    for (let i = 0; i < 12; i++) await aLead({ title: `Zeta project ${i}`, type: "opportunity" });
    const many = viewOf(await runCommand(h.deps, ana, "opp zeta", slack));
    expect(buttons(many, "lead.open")).toHaveLength(10);
    expect(textOf(many)).toContain("Zeta project 11");
    expect(textOf(many)).not.toContain("Zeta project 1\n");
    expect(textOf(many)).toContain("type more of the name");
    expect(viewOf(await runCommand(h.deps, ana, "opp nothing-like-this", slack)).text).toBe("No open opportunity matches “nothing-like-this”.");
  });

  it("lists my open leads and opportunities newest first with a total, and counts my opportunities on App Home", async () => {
    const carl = await aPerson(h.db, { teamIds: [salesId] });
    expect(viewOf(await runCommand(h.deps, carl, "leads", slack)).text).toBe("Your open leads and opportunities: none");
    for (let i = 0; i < 22; i++) await aLead({ title: `Carl ${i}`, salespersonId: carl.user.id, type: i % 2 ? "opportunity" : "lead" });
    await aLead({ title: "Carl closed", salespersonId: carl.user.id, isOpen: false, type: "opportunity" });
    const list = viewOf(await runCommand(h.deps, carl, "leads", slack));
    expect(list.text).toBe("Your open leads and opportunities: 22");
    const opens = buttons(list, "lead.open");
    expect(opens).toHaveLength(20);
    expect(textOf(list).indexOf("Carl 21")).toBeLessThan(textOf(list).indexOf("Carl 20"));
    expect(textOf(list)).toContain("…and 2 more.");
    expect(viewOf(await runCommand(h.deps, carl, "opp", slack)).text).toBe("Your open leads and opportunities: 22");
    expect((await homeView(h.deps, carl)).text).toContain("Your open opportunities: 11");
  });
});
