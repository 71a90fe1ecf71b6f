// Converting a lead into an opportunity through the dispatcher, on a real database: the form's defaults, each
// customer option, the checks, the merge into one opportunity, and what is queued for the channels and the DM.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, submitForm, type Who } from "../../src/bot/dispatch.js";
import { LEAD_CONVERT_FORM_ID } from "../../src/bot/views/lead-convert-form.js";
import type { Form, MessageView, Reply } from "../../src/bot/views/view.js";
import type { Db } from "../../src/db/client.js";
import { matchKeys } from "../../src/domain/leads.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
}

const field = (form: Form, id: string) => form.fields.find((f) => f.id === id)!;

interface LeadSeed {
  title?: string;
  contactName?: string | null;
  companyName?: string | null;
  email?: string | null;
  phone?: string | null;
  salespersonId?: string | null;
  teamId?: string | null;
  type?: "lead" | "opportunity";
  stage?: string;
  probability?: number;
  partnerId?: string | null;
}

let seq = 0;

/** A lead as the capture form would store it, in a shared stage ("New" unless told). */
async function aLead(db: Db, over: LeadSeed = {}) {
  seq += 1;
  const stage = await db.leadStage.findFirstOrThrow({ where: { teamId: null, name: over.stage ?? "New" } });
  const email = over.email === undefined ? `buyer${seq}@company${seq}.test` : over.email;
  return db.lead.create({
    data: {
      title: over.title ?? `Deal ${seq}`,
      type: over.type ?? "lead",
      contactName: over.contactName === undefined ? `Contact ${seq}` : over.contactName,
      companyName: over.companyName === undefined ? `Company ${seq}` : over.companyName,
      email,
      phone: over.phone ?? null,
      ...matchKeys({ email, phone: over.phone }),
      salespersonId: over.salespersonId ?? null,
      teamId: over.teamId ?? null,
      partnerId: over.partnerId ?? null,
      stageId: stage.id,
      probability: over.probability ?? stage.probability,
      isOpen: stage.kind === "open",
    },
  });
}

describe("converting a lead", () => {
  let h: HandlerHarness;
  let salesId: string;
  let enterpriseId: string;
  let discoveryId: string;
  let ana: Who; // Sales
  let carl: Who; // Sales
  let bob: Who; // Enterprise Sales
  let eve: Who; // Support, no sales team
  let gone: Who; // deactivated, in Sales

  beforeAll(async () => {
    h = await handlerHarness();
    salesId = (await h.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES" } })).id;
    enterpriseId = (await h.db.team.create({ data: { name: "Enterprise Sales", kind: "sales", slackChannelId: "CENT" } })).id;
    const support = await h.db.team.create({ data: { name: "Support", kind: "support" } });
    discoveryId = (await h.db.leadStage.create({ data: { teamId: enterpriseId, name: "Discovery", sequence: 1, probability: 20 } })).id;
    await h.db.leadStage.create({ data: { teamId: enterpriseId, name: "Signed", sequence: 70, kind: "won", probability: 100 } });
    ana = await aPerson(h.db, { teamIds: [salesId] });
    carl = await aPerson(h.db, { teamIds: [salesId] });
    bob = await aPerson(h.db, { teamIds: [enterpriseId] });
    eve = await aPerson(h.db, { teamIds: [support.id] });
    gone = await aPerson(h.db, { teamIds: [salesId] });
    await h.db.user.update({ where: { id: gone.user.id }, data: { isActive: false } });
  });
  afterAll(async () => h?.close());

  const submit = (who: Who, lead: { id: string; version: number }, values: Record<string, unknown>) =>
    submitForm(h.deps, who, LEAD_CONVERT_FORM_ID, values, { leadId: lead.id, version: String(lead.version) });
  const convertValues = (who: Who, over: Record<string, unknown> = {}) => ({ action: "convert", customer: "nothing", salesperson: who.user.id, team: salesId, ...over });
  const dmsTo = (who: Who) => h.db.outbox.findMany({ where: { target: who.user.slackUserId! } });

  describe("the form", () => {
    it("opens with Odoo's defaults: convert, create the customer from the names, the lead's salesperson and team", async () => {
      const lead = await aLead(h.db, { salespersonId: carl.user.id, teamId: salesId });
      const form = formOf(await runAction(h.deps, ana, "lead.convert", `${lead.id}:0`));
      expect(form).toMatchObject({ id: LEAD_CONVERT_FORM_ID, title: `Convert LEAD-${String(lead.number).padStart(4, "0")}`, context: { leadId: lead.id, version: "0" } });
      expect(form.fields.map((f) => f.id)).toEqual(["action", "customer", "partner", "salesperson", "team"]);
      expect(field(form, "action")).toMatchObject({ initial: "convert", options: [{ value: "convert", label: "Convert into a new opportunity" }] });
      expect(field(form, "customer")).toMatchObject({
        initial: "create",
        options: [
          { value: "create", label: "Create a new customer" },
          { value: "exist", label: "Link to an existing customer" },
          { value: "nothing", label: "Do not link to a customer" },
        ],
      });
      expect(field(form, "partner").initial).toBeUndefined();
      expect(field(form, "salesperson")).toMatchObject({ initial: carl.user.id, options: [{ value: carl.user.id, label: carl.user.name }] });
      expect(field(form, "team")).toMatchObject({ initial: salesId, options: [{ value: enterpriseId, label: "Enterprise Sales" }, { value: salesId, label: "Sales" }] });
    });

    it("links the partner found by email, proposes the duplicate opportunities to merge into, and defaults to me and my sales team", async () => {
      const partner = await h.db.partner.create({ data: { kind: "company", name: "Initech", email: "Peter@Initech.test" } });
      await h.db.partner.create({ data: { kind: "company", name: "Company by name" } });
      const opp = await aLead(h.db, { type: "opportunity", title: "Initech, 40 seats", email: "sales@initech.test" });
      const lead = await aLead(h.db, { email: "peter@initech.test", companyName: "Company by name" });
      const form = formOf(await runAction(h.deps, ana, "lead.convert", `${lead.id}:0`));
      expect(field(form, "action")).toMatchObject({
        initial: `merge:${opp.id}`,
        options: [
          { value: "convert", label: "Convert into a new opportunity" },
          { value: `merge:${opp.id}`, label: `Merge into OPP-${String(opp.number).padStart(4, "0")} Initech, 40 seats` },
        ],
      });
      expect(field(form, "customer").initial).toBe("exist");
      expect(field(form, "partner")).toMatchObject({ initial: partner.id, options: [{ value: partner.id, label: "Initech" }] });
      expect(field(form, "salesperson").initial).toBe(ana.user.id);
      expect(field(form, "team").initial).toBe(salesId);
    });

    it("preselects nothing for a lead without names or a match", async () => {
      const lead = await aLead(h.db, { contactName: null, companyName: null, email: null });
      expect(field(formOf(await runAction(h.deps, ana, "lead.convert", `${lead.id}:0`)), "customer").initial).toBe("nothing");
    });

    it("refuses won and lost leads, opportunities, other teams' people and stale cards, with the card", async () => {
      for (const stage of ["Won", "Lost"]) {
        const closed = await aLead(h.db, { stage, salespersonId: ana.user.id, teamId: salesId });
        expect(viewOf(await runAction(h.deps, ana, "lead.convert", `${closed.id}:0`)).text).toMatch(/^Won or lost leads cannot be converted: restore it first\. — /);
      }
      const opp = await aLead(h.db, { type: "opportunity", teamId: salesId });
      expect(viewOf(await runAction(h.deps, ana, "lead.convert", `${opp.id}:0`)).text).toMatch(/^OPP-\d{4} is already an opportunity\./);
      const lead = await aLead(h.db, { salespersonId: ana.user.id, teamId: salesId });
      expect(viewOf(await runAction(h.deps, eve, "lead.convert", `${lead.id}:0`)).text).toMatch(/^Only the salesperson, the sales team's members, its manager or an admin can change this lead\./);
      expect(viewOf(await runAction(h.deps, ana, "lead.convert", `${lead.id}:3`)).text).toMatch(/changed since this card was shown/);
      expect(viewOf(await runAction(h.deps, ana, "lead.convert", "not-a-lead")).text).toMatch(/no longer supported/);
    });
  });

  describe("submitting", () => {
    it("creates a company with a contact under it, links the company, and makes the lead an opportunity in its team's pipeline", async () => {
      const lead = await aLead(h.db, { contactName: "Jane Roe", companyName: "Globex", email: "jane@globex.test", phone: "+34 600 123 456", salespersonId: ana.user.id, teamId: salesId, stage: "Qualified", probability: 45 });
      const reply = await submit(ana, lead, convertValues(ana, { customer: "create" }));
      expect(viewOf(reply).text).toMatch(new RegExp(`^✅ LEAD-0*${lead.number} is now OPP-0*${lead.number}\\.`));
      const company = await h.db.partner.findFirstOrThrow({ where: { name: "Globex" }, include: { contacts: true } });
      expect(company).toMatchObject({ kind: "company", email: null, phone: null, salespersonId: ana.user.id });
      expect(company.contacts).toEqual([expect.objectContaining({ kind: "person", name: "Jane Roe", email: "jane@globex.test", phone: "+34 600 123 456" })]);
      const now = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id }, include: { stage: true } });
      // Qualified is in the shared pipeline Sales uses: it stays, and the probability the lead had (45 > 30) stays too.
      expect(now).toMatchObject({ type: "opportunity", partnerId: company.id, salespersonId: ana.user.id, teamId: salesId, probability: 45, version: 1, stage: { name: "Qualified" } });
      expect(now.convertedAt).toBeInstanceOf(Date);
      const entries = await h.db.timelineEntry.findMany({ where: { recordType: "lead", recordId: lead.id, kind: "converted" } });
      expect(entries.map((e) => e.summary)).toEqual([`Converted to an opportunity by ${ana.user.name} (customer: created Globex)`]);
      const card = await h.db.outbox.findFirstOrThrow({ where: { subjectKey: `lead:${lead.id}`, target: "CSALES" } });
      expect((card.payload as { text: string }).text).toBe(`OPP-${String(lead.number).padStart(4, "0")} ${lead.title} — Qualified, ${ana.user.name}`);
      expect(await dmsTo(ana)).toHaveLength(0);
    });

    it("creates one person from a contact name alone, carrying the email", async () => {
      const lead = await aLead(h.db, { contactName: "Solo Trader", companyName: null, email: "solo@trader.test", teamId: salesId });
      expect((await submit(ana, lead, convertValues(ana, { customer: "create" }))).kind).toBe("done");
      const person = await h.db.partner.findFirstOrThrow({ where: { name: "Solo Trader" } });
      expect(person).toMatchObject({ kind: "person", email: "solo@trader.test", parentId: null });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ partnerId: person.id, type: "opportunity" });
    });

    it("asks to link instead when there is no name to create a customer from", async () => {
      const lead = await aLead(h.db, { contactName: null, companyName: null });
      expect(await submit(ana, lead, convertValues(ana, { customer: "create" }))).toEqual({ kind: "errors", errors: { customer: "The lead has no contact or company name to create a customer from; link an existing customer instead." } });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "lead", version: 0 });
    });

    it("links the existing customer chosen, and asks for one when none is chosen", async () => {
      const acme = await h.db.partner.create({ data: { kind: "company", name: "Acme" } });
      const lead = await aLead(h.db, { teamId: salesId });
      const missing = { kind: "errors", errors: { partner: "Choose the existing customer to link, or choose “Create a new customer”." } };
      expect(await submit(ana, lead, convertValues(ana, { customer: "exist" }))).toEqual(missing);
      expect(await submit(ana, lead, convertValues(ana, { customer: "exist", partner: "new:Acme Two" }))).toEqual(missing);
      expect(await submit(ana, lead, convertValues(ana, { customer: "exist", partner: "x".repeat(301) }))).toMatchObject({ kind: "errors", errors: { partner: expect.any(String) } });
      expect(await h.db.partner.count({ where: { name: "Acme Two" } })).toBe(0);
      expect((await submit(ana, lead, convertValues(ana, { customer: "exist", partner: acme.id }))).kind).toBe("done");
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ partnerId: acme.id, type: "opportunity" });
      const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordId: lead.id, kind: "converted" } });
      expect(entry.summary).toBe(`Converted to an opportunity by ${ana.user.name} (customer: linked Acme)`);
    });

    it("links no customer when told so, even one the lead had", async () => {
      const acme = await h.db.partner.create({ data: { kind: "company", name: "Acme Old" } });
      const lead = await aLead(h.db, { teamId: salesId, partnerId: acme.id });
      expect((await submit(ana, lead, convertValues(ana))).kind).toBe("done");
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ partnerId: null, type: "opportunity" });
      expect((await h.db.timelineEntry.findFirstOrThrow({ where: { recordId: lead.id, kind: "converted" } })).summary).toMatch(/\(customer: none\)$/);
    });

    it("refuses a salesperson who is not in the chosen team, or is deactivated, and changes nothing", async () => {
      const lead = await aLead(h.db, { teamId: salesId });
      expect(await submit(ana, lead, convertValues(ana, { salesperson: bob.user.id }))).toEqual({
        kind: "errors",
        errors: { salesperson: `${bob.user.name} is not in Sales; choose a member of the team or another team.` },
      });
      expect(await submit(ana, lead, convertValues(ana, { salesperson: gone.user.id }))).toEqual({ kind: "errors", errors: { salesperson: `${gone.user.name} is deactivated; choose an active salesperson.` } });
      expect(await submit(ana, lead, convertValues(ana, { salesperson: "someone" }))).toEqual({ kind: "errors", errors: { salesperson: "Choose the salesperson from the list." } });
      expect(await submit(ana, lead, convertValues(ana, { team: "nope" }))).toEqual({ kind: "errors", errors: { team: "That sales team no longer exists; choose another." } });
      expect(await submit(ana, lead, { action: "explode", customer: "maybe" })).toEqual({
        kind: "errors",
        errors: { action: "Choose whether to convert or merge.", customer: "Choose what to do about the customer.", salesperson: "Choose the salesperson." },
      });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ type: "lead", version: 0 });
    });

    it("refuses won and lost leads and people outside the team on submit too", async () => {
      const lost = await aLead(h.db, { stage: "Lost", teamId: salesId });
      expect(viewOf(await submit(ana, lost, convertValues(ana))).text).toMatch(/^Won or lost leads cannot be converted: restore it first\./);
      const lead = await aLead(h.db, { teamId: salesId, salespersonId: ana.user.id });
      expect(viewOf(await submit(eve, lead, convertValues(ana))).text).toMatch(/^Only the salesperson/);
      expect(await h.db.lead.count({ where: { id: { in: [lost.id, lead.id] }, type: "opportunity" } })).toBe(0);
    });

    it("converts once on a double submit, sequential or concurrent", async () => {
      const lead = await aLead(h.db, { teamId: salesId, companyName: "Twice Ltd", contactName: null });
      expect((await submit(ana, lead, convertValues(ana, { customer: "create" }))).kind).toBe("done");
      expect(viewOf(await submit(ana, lead, convertValues(ana, { customer: "create" }))).text).toMatch(/^OPP-\d{4} is already an opportunity\./);
      const other = await aLead(h.db, { teamId: salesId, companyName: "Race Ltd", contactName: null });
      const both = await Promise.all([submit(ana, other, convertValues(ana, { customer: "create" })), submit(ana, other, convertValues(ana, { customer: "create" }))]);
      expect(both.filter((r) => r.kind === "done")).toHaveLength(1);
      for (const [name, id] of [["Twice Ltd", lead.id], ["Race Ltd", other.id]] as const) {
        expect(await h.db.partner.count({ where: { name } })).toBe(1);
        expect(await h.db.timelineEntry.count({ where: { recordId: id, kind: "converted" } })).toBe(1);
        expect(await h.db.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({ version: 1, type: "opportunity" });
      }
    });

    it("DMs the salesperson when someone else converts it for them", async () => {
      const lead = await aLead(h.db, { teamId: salesId, salespersonId: ana.user.id });
      expect((await submit(ana, lead, convertValues(carl))).kind).toBe("done");
      const dms = await dmsTo(carl);
      expect(dms).toHaveLength(1);
      expect(dms[0]).toMatchObject({ channel: "slack", scope: "T1" });
      expect((dms[0]!.payload as { text: string }).text).toMatch(new RegExp(`^${ana.user.name} converted LEAD-0*${lead.number} into an opportunity for you\\. — OPP-`));
    });

    it("moves to the new team's first stage, and updates the card in the channel of the team it left", async () => {
      const lead = await aLead(h.db, { teamId: salesId, salespersonId: ana.user.id, stage: "Qualified" });
      expect((await submit(ana, lead, convertValues(bob, { team: enterpriseId }))).kind).toBe("done");
      const now = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } });
      expect(now).toMatchObject({ teamId: enterpriseId, salespersonId: bob.user.id, stageId: discoveryId, probability: 30 });
      expect(now.stageChangedAt).toBeInstanceOf(Date);
      const targets = (await h.db.outbox.findMany({ where: { subjectKey: `lead:${lead.id}` } })).map((r) => r.target).sort();
      expect(targets).toEqual(["CENT", "CSALES"]);
      expect(await dmsTo(bob)).toHaveLength(1);
    });
  });

  describe("merging into one opportunity", () => {
    it("folds the lead into the chosen opportunity, which gets the salesperson and team, once", async () => {
      const opp = await aLead(h.db, { type: "opportunity", title: "Hooli, 200 seats", email: "cfo@hooli.test", teamId: salesId, salespersonId: ana.user.id, stage: "Proposition" });
      const lead = await aLead(h.db, { email: "cfo@hooli.test", teamId: salesId, phone: "+1 650 555 0100" });
      const values = convertValues(carl, { action: `merge:${opp.id}` });
      const reply = await submit(ana, lead, values);
      expect(viewOf(reply).text).toMatch(new RegExp(`^✅ LEAD-0*${lead.number} was merged into OPP-0*${opp.number}\\.`));
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ mergedIntoId: opp.id, isOpen: false });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: opp.id }, include: { stage: true } })).toMatchObject({ salespersonId: carl.user.id, teamId: salesId, phone: "+1 650 555 0100", stage: { name: "Proposition" } });
      const dms = (await dmsTo(carl)).map((r) => (r.payload as { text: string }).text).filter((t) => t.includes("merged"));
      expect(dms).toEqual([expect.stringMatching(new RegExp(`^${ana.user.name} merged LEAD-0*${lead.number} into OPP-0*${opp.number}, an opportunity of yours\\. — `))]);
      expect(viewOf(await submit(ana, lead, values)).text).toMatch(/was merged into OPP-\d{4}; work on that one/);
      const history = await h.db.timelineEntry.findMany({ where: { recordId: opp.id, kind: "merged" } });
      expect(history.map((e) => e.summary)).toEqual([expect.stringMatching(new RegExp(`^Merged LEAD-0*${lead.number} into OPP-0*${opp.number} by ${ana.user.name} on conversion: `))]);
    });

    it("refuses to merge into a record that is not an open opportunity", async () => {
      const won = await aLead(h.db, { type: "opportunity", stage: "Won", teamId: salesId });
      const lead = await aLead(h.db, { teamId: salesId });
      const answer = { kind: "errors", errors: { action: "That opportunity is no longer open; choose another, or convert into a new opportunity." } };
      expect(await submit(ana, lead, convertValues(ana, { action: `merge:${won.id}` }))).toEqual(answer);
      expect(await submit(ana, lead, convertValues(ana, { action: `merge:${lead.id}` }))).toEqual(answer);
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).toMatchObject({ mergedIntoId: null, version: 0 });
    });
  });
});
