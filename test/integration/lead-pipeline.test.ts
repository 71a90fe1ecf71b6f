// The pipeline buttons and forms through the dispatcher: stage, won (with celebration), lost, restore, snooze,
// schedule call, edit, and /crm pipeline, on stored rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { Action, Form, MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const DAY = 24 * 3600_000;

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply)}`);
}
function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}
function buttons(view: MessageView): Action[] {
  return view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
}
const allText = (view: MessageView) => [view.text, ...view.blocks.map((b) => ("text" in b ? b.text : b.type === "fields" ? b.fields.map((f) => `${f.label}: ${f.value}`).join("\n") : ""))].join("\n");

describe("the opportunity pipeline", () => {
  let h: HandlerHarness;
  let now = new Date("2026-06-15T10:00:00Z");
  let salesId: string;
  let otherId: string;
  let stages: Record<string, { id: string; probability: number }>;
  let ana: Who; // sales agent
  let ben: Who; // sales agent
  let mia: Who; // sales manager
  let zed: Who; // agent of another team

  beforeAll(async () => {
    h = await handlerHarness({ now: () => now });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES", teamsConversationId: "19:sales@thread.tacv2" } });
    const other = await h.db.team.create({ data: { name: "Other", kind: "sales" } });
    [salesId, otherId] = [sales.id, other.id];
    ana = await aPerson(h.db, { teamIds: [salesId] });
    ben = await aPerson(h.db, { teamIds: [salesId] });
    mia = await aPerson(h.db, { role: "manager", managedTeamIds: [salesId] });
    await h.db.team.update({ where: { id: salesId }, data: { managerId: mia.user.id } });
    zed = await aPerson(h.db, { teamIds: [otherId] });
    const rows = await h.db.leadStage.findMany({ where: { teamId: null } });
    stages = Object.fromEntries(rows.map((s) => [s.name, { id: s.id, probability: s.probability }]));
  });
  afterAll(async () => h?.close());

  let counter = 0;
  async function anOpportunity(over: { salesperson?: Who; teamId?: string | null; stage?: string; revenue?: number | null; type?: "lead" | "opportunity"; wonAt?: Date; nextActionAt?: Date | null; nextAction?: string | null; title?: string; probability?: number } = {}) {
    counter += 1;
    const stage = stages[over.stage ?? "New"]!;
    return h.db.lead.create({
      data: {
        title: over.title ?? `Deal ${counter}`,
        type: over.type ?? "opportunity",
        salespersonId: (over.salesperson ?? ana).user.id,
        teamId: over.teamId === undefined ? salesId : over.teamId,
        stageId: stage.id,
        probability: over.probability ?? stage.probability,
        expectedRevenue: over.revenue === undefined ? 1000 : over.revenue,
        isOpen: !over.wonAt,
        wonAt: over.wonAt ?? null,
        nextActionAt: over.nextActionAt ?? null,
        nextAction: over.nextAction ?? null,
      },
      include: { stage: true },
    });
  }
  const reload = (id: string) => h.db.lead.findUniqueOrThrow({ where: { id }, include: { stage: true, lostReason: true } });
  const timeline = (id: string, kind?: string) => h.db.timelineEntry.findMany({ where: { recordType: "lead", recordId: id, ...(kind ? { kind } : {}) }, orderBy: { createdAt: "asc" } });

  describe("move stage", () => {
    it("offers the open stages only and applies the new stage's probability, once for a double submit", async () => {
      const opp = await anOpportunity();
      const form = formOf(await runAction(h.deps, ana, "lead.stage", `${opp.id}:0`));
      expect(form.fields[0]!.options!.map((o) => o.label)).toEqual(["New (10%)", "Qualified (30%)", "Proposition (60%)", "Negotiation (80%)"]);
      expect(form.context).toEqual({ leadId: opp.id, version: "0" });
      const reply = await submitForm(h.deps, ana, "lead.stage-form", { stage: stages.Proposition!.id }, form.context!);
      expect(viewOf(reply).text).toMatch(/^✅ OPP-\d{4} is now in stage Proposition \(60%\)\./);
      expect(await reload(opp.id)).toMatchObject({ stageId: stages.Proposition!.id, probability: 60, version: 1, stageChangedAt: now });
      const again = viewOf(await submitForm(h.deps, ana, "lead.stage-form", { stage: stages.Proposition!.id }, form.context!));
      expect(again.text).toMatch(/is already in stage Proposition/);
      expect((await timeline(opp.id, "stage")).map((e) => e.summary)).toEqual([`${ana.user.name} moved it from New to Proposition (60%)`]);
      const card = await h.db.outbox.findMany({ where: { subjectKey: `lead:${opp.id}` } });
      expect(card.map((r) => r.target).sort()).toEqual(["19:sales@thread.tacv2", "CSALES"]);
    });

    it("refuses the won stage as a choice, a stale card, and a person outside the team", async () => {
      const opp = await anOpportunity();
      expect(await submitForm(h.deps, ana, "lead.stage-form", { stage: stages.Won!.id }, { leadId: opp.id, version: "0" })).toEqual({ kind: "errors", errors: { stage: "Choose one of Sales's open stages." } });
      expect(await submitForm(h.deps, ana, "lead.stage-form", {}, { leadId: opp.id, version: "0" })).toEqual({ kind: "errors", errors: { stage: "Choose a stage." } });
      await h.db.lead.update({ where: { id: opp.id }, data: { version: 3 } });
      expect(viewOf(await submitForm(h.deps, ana, "lead.stage-form", { stage: stages.Qualified!.id }, { leadId: opp.id, version: "2" })).text).toMatch(/changed since this card was shown, so nothing was done/);
      expect(viewOf(await runAction(h.deps, zed, "lead.stage", `${opp.id}:3`)).text).toMatch(/^Only the salesperson, the sales team's members, its manager or an admin/);
      expect(await reload(opp.id)).toMatchObject({ stageId: stages.New!.id, version: 3 });
    });
  });

  describe("won", () => {
    it("moves to the won stage at 100%, closes it, and a double click acts once", async () => {
      const opp = await anOpportunity({ salesperson: ben, stage: "Negotiation", revenue: 500 });
      await anOpportunity({ salesperson: ben, stage: "Won", wonAt: new Date(now.getTime() - 60 * DAY), revenue: 100 });
      const reply = viewOf(await runAction(h.deps, mia, "lead.won", `${opp.id}:0`));
      expect(reply.text).toMatch(/^🏆 OPP-\d{4} is won\./);
      expect(await reload(opp.id)).toMatchObject({ stageId: stages.Won!.id, probability: 100, isOpen: false, wonAt: now, version: 1 });
      expect(buttons(reply).map((b) => b.id)).toEqual(["lead.restore", "lead.email"]);
      const again = viewOf(await runAction(h.deps, mia, "lead.won", `${opp.id}:0`));
      expect(again.text).toMatch(/is already won/);
      expect(await timeline(opp.id, "won")).toHaveLength(1);
      // Ben is told; Mia acted, so the DM goes to him only.
      expect(await h.db.outbox.count({ where: { target: ben.user.slackUserId!, payload: { path: ["text"], string_contains: "marked" } } })).toBe(1);
    });

    it("refuses a lead that is not converted, and a lost opportunity", async () => {
      const lead = await anOpportunity({ type: "lead" });
      expect(viewOf(await runAction(h.deps, ana, "lead.won", `${lead.id}:0`)).text).toMatch(/^LEAD-\d{4} is still a lead\. Convert it first/);
      expect(await reload(lead.id)).toMatchObject({ isOpen: true, version: 0, wonAt: null });
      const lost = await anOpportunity({ stage: "Lost" });
      expect(viewOf(await runAction(h.deps, ana, "lead.won", `${lost.id}:0`)).text).toMatch(/is lost; restore it first/);
    });

    it("refuses someone outside the team", async () => {
      const opp = await anOpportunity();
      expect(viewOf(await runAction(h.deps, zed, "lead.won", `${opp.id}:0`)).text).toMatch(/^Only the salesperson/);
      expect(await reload(opp.id)).toMatchObject({ isOpen: true, version: 0 });
    });
  });

  describe("celebration on real rows", () => {
    let team: string;
    let cara: Who;
    let dan: Who;
    beforeAll(async () => {
      team = (await h.db.team.create({ data: { name: "Celebrations", kind: "sales", slackChannelId: "CPARTY" } })).id;
      cara = await aPerson(h.db, { teamIds: [team] });
      dan = await aPerson(h.db, { teamIds: [team] });
      // Dan's and Cara's earlier wins this year: Dan 900 twenty days ago, Cara 300 three days ago and 200 twenty days ago.
      await anOpportunity({ salesperson: dan, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - 20 * DAY), revenue: 900 });
      await anOpportunity({ salesperson: cara, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - 3 * DAY), revenue: 300 });
      await anOpportunity({ salesperson: cara, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - 20 * DAY), revenue: 600 });
    });

    async function win(who: Who, revenue: number | null) {
      const opp = await anOpportunity({ salesperson: who, teamId: team, revenue });
      const reply = viewOf(await runAction(h.deps, who, "lead.won", `${opp.id}:0`));
      const posts = await h.db.outbox.findMany({ where: { dedupeKey: { startsWith: `won:${opp.id}:0` } } });
      const first = reply.blocks[0];
      return { line: first?.type === "text" ? first.text : reply.text, posts: posts.map((p) => (p.payload as { text: string }).text) };
    }

    it("team record for 30 days beats every deal of the team in the window, and is posted to the team channel once", async () => {
      const r = await win(cara, 1000);
      expect(r.line).toMatch(/is won\. Boom! Team record for the past 30 days\.$/);
      expect(r.posts).toEqual([expect.stringMatching(/^🎉 Boom! Team record for the past 30 days\./)]);
    });

    it("personal 30 days under a team record, nothing under every record, then team 7 days and personal 7 days a week later", async () => {
      expect((await win(dan, 950)).line).toMatch(/is won\. You just beat your personal record for the past 30 days\.$/); // Cara's 1000 is the team's best
      expect((await win(cara, 700)).line).toMatch(/is won\.$/); // below 1000 in every window
      now = new Date(now.getTime() + 8 * DAY); // the 1000, 950 and 700 are now 8 days old: the team has no deal in the last 7 days
      expect((await win(dan, 960)).line).toMatch(/is won\. Yeah! Deal of the last 7 days for the team\.$/);
      expect((await win(cara, 800)).line).toMatch(/is won\. You just beat your personal record for the past 7 days\.$/); // 960 is the team's; Cara had none this week
      expect((await win(dan, 940)).line).toMatch(/is won\.$/);
    });

    it("first deal of the year for a salesperson, with or without revenue", async () => {
      const eli = await aPerson(h.db, { teamIds: [team] });
      const r = await win(eli, null);
      expect(r.line).toMatch(/Go, go, go! Congrats for your first deal\.$/);
      expect(r.posts).toHaveLength(1);
      expect((await win(eli, null)).line).toMatch(/is won\.$/);
    });

    it("personal records when the team has better deals", async () => {
      const fay = await aPerson(h.db, { teamIds: [team] });
      await anOpportunity({ salesperson: fay, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - 20 * DAY), revenue: 50 });
      expect((await win(fay, 60)).line).toMatch(/You just beat your personal record for the past 30 days\.$/);
      now = new Date(now.getTime() + 10 * DAY);
      await anOpportunity({ salesperson: fay, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - 20 * DAY), revenue: 500 });
      await anOpportunity({ salesperson: dan, teamId: team, stage: "Won", wonAt: new Date(now.getTime() - DAY), revenue: 5000 });
      expect((await win(fay, 70)).line).toMatch(/You just beat your personal record for the past 7 days\.$/);
    });
  });

  describe("lost and restore", () => {
    it("marks lost with a reason and a closing note, logged in the history; restore brings it back to New", async () => {
      const opp = await anOpportunity({ stage: "Proposition" });
      const reason = await h.db.lostReason.findFirstOrThrow({ where: { isActive: true }, orderBy: { name: "asc" } });
      const form = formOf(await runAction(h.deps, ana, "lead.lost", `${opp.id}:0`));
      expect(form.fields.map((f) => f.id)).toEqual(["lostReason", "closingNote"]);
      expect(await submitForm(h.deps, ana, "lead.lost-form", { closingNote: "x".repeat(2001) }, form.context!)).toEqual({ kind: "errors", errors: { closingNote: "The closing note is limited to 2,000 characters." } });
      expect(await submitForm(h.deps, ana, "lead.lost-form", { lostReason: "00000000-0000-0000-0000-000000000000" }, form.context!)).toEqual({ kind: "errors", errors: { lostReason: "That reason is no longer offered; choose another." } });
      const reply = viewOf(await submitForm(h.deps, ana, "lead.lost-form", { lostReason: reason.id, closingNote: "Went with a competitor" }, form.context!));
      expect(reply.text).toBe(`OPP-${String(opp.number).padStart(4, "0")} is marked lost (${reason.name}). — ${reply.text.split(" — ").slice(1).join(" — ")}`);
      expect(await reload(opp.id)).toMatchObject({ stageId: stages.Lost!.id, probability: 0, isOpen: false, lostAt: now, lostReasonId: reason.id, closingNote: "Went with a competitor", version: 1 });
      const [entry] = await timeline(opp.id, "lost");
      expect(entry).toMatchObject({ summary: `${ana.user.name} marked it lost: ${reason.name} — Went with a competitor`, data: { lostReason: reason.name, closingNote: "Went with a competitor" } });
      expect(viewOf(await submitForm(h.deps, ana, "lead.lost-form", {}, form.context!)).text).toMatch(/is already lost/);

      const restored = viewOf(await runAction(h.deps, ana, "lead.restore", `${opp.id}:1`));
      expect(restored.text).toMatch(/is open again \(New, 10%\)/);
      expect(await reload(opp.id)).toMatchObject({ stageId: stages.New!.id, probability: 10, isOpen: true, lostAt: null, lostReasonId: null, closingNote: null, version: 2 });
      expect((await timeline(opp.id, "restored"))[0]!.summary).toMatch(/^Restored by /);
      expect(viewOf(await runAction(h.deps, ana, "lead.restore", `${opp.id}:1`)).text).toMatch(/is already open/);
    });

    it("disqualifies a lead with nothing filled in, and restores a won deal clearing wonAt", async () => {
      const lead = await anOpportunity({ type: "lead" });
      viewOf(await submitForm(h.deps, ana, "lead.lost-form", {}, { leadId: lead.id, version: "0" }));
      expect(await reload(lead.id)).toMatchObject({ stageId: stages.Lost!.id, isOpen: false, lostReasonId: null, closingNote: null });
      const won = await anOpportunity({ stage: "Won", wonAt: now });
      viewOf(await runAction(h.deps, ana, "lead.restore", `${won.id}:0`));
      expect(await reload(won.id)).toMatchObject({ stageId: stages.New!.id, isOpen: true, wonAt: null });
    });
  });

  describe("snooze", () => {
    it("moves the next action 7 days past now, names it Follow up when there was none, and a double click acts once", async () => {
      const opp = await anOpportunity({ nextActionAt: new Date(now.getTime() - 2 * DAY) });
      viewOf(await runAction(h.deps, ana, "lead.snooze", `${opp.id}:0`));
      expect(await reload(opp.id)).toMatchObject({ nextActionAt: new Date(now.getTime() + 7 * DAY), nextAction: "Follow up", version: 1 });
      expect(viewOf(await runAction(h.deps, ana, "lead.snooze", `${opp.id}:0`)).text).toMatch(/changed since this card was shown/);
      expect((await reload(opp.id)).nextActionAt).toEqual(new Date(now.getTime() + 7 * DAY));
      // Clicked again on the new card: a further week from the planned date.
      viewOf(await runAction(h.deps, ana, "lead.snooze", `${opp.id}:1`));
      expect(await reload(opp.id)).toMatchObject({ nextActionAt: new Date(now.getTime() + 14 * DAY), version: 2 });
    });

    it("keeps a named next action and refuses a closed deal", async () => {
      const opp = await anOpportunity({ nextAction: "Send the quote", nextActionAt: new Date(now.getTime() + 3 * DAY) });
      viewOf(await runAction(h.deps, ana, "lead.snooze", `${opp.id}:0`));
      expect(await reload(opp.id)).toMatchObject({ nextAction: "Send the quote", nextActionAt: new Date(now.getTime() + 10 * DAY) });
      const won = await anOpportunity({ stage: "Won", wonAt: now });
      expect(viewOf(await runAction(h.deps, ana, "lead.snooze", `${won.id}:0`)).text).toMatch(/is won; restore it first/);
    });
  });

  describe("schedule call", () => {
    it("opens a planned call about the opportunity; the call is stored with it and its history says so", async () => {
      const partner = await h.db.partner.create({ data: { kind: "company", name: "Globex" } });
      const opp = await anOpportunity({ title: "40 seats" });
      await h.db.lead.update({ where: { id: opp.id }, data: { partnerId: partner.id } });
      const form = formOf(await runAction(h.deps, ana, "lead.call", `${opp.id}:0`));
      const field = (id: string) => form.fields.find((f) => f.id === id)!;
      expect(form.id).toBe("call.form");
      expect(form.context).toEqual({ leadId: opp.id });
      expect(field("state").initial).toBe("planned");
      expect(field("partner").initial).toBe(partner.id);
      expect(field("subject").initial).toBe(`Call about OPP-${String(opp.number).padStart(4, "0")}: 40 seats`);
      const values = { state: "planned", direction: "outbound", partner: partner.id, subject: field("subject").initial, callAt: new Date(now.getTime() + DAY).toISOString() };
      expect((await submitForm(h.deps, ana, "call.form", values, form.context!)).kind).toBe("done");
      const call = await h.db.phoneCall.findFirstOrThrow({ where: { leadId: opp.id } });
      expect(call).toMatchObject({ state: "planned", partnerId: partner.id, ownerId: ana.user.id });
      expect((await timeline(opp.id, "call")).map((e) => e.summary)).toEqual([`Call planned: ${field("subject").initial}`]);
    });

    it("refuses to tie a call to someone else's opportunity, and stores no call", async () => {
      const opp = await anOpportunity();
      expect(viewOf(await runAction(h.deps, zed, "lead.call", `${opp.id}:0`)).text).toMatch(/^Only the salesperson/);
      const reply = await submitForm(h.deps, zed, "call.form", { subject: "sneaky", callAt: now.toISOString() }, { leadId: opp.id });
      expect(viewOf(reply).text).toMatch(/^Only the salesperson/);
      expect(await h.db.phoneCall.count({ where: { subject: "sneaky" } })).toBe(0);
    });
  });

  describe("edit", () => {
    it("saves the fields, recomputes the duplicate keys, and clears emptied ones", async () => {
      const opp = await anOpportunity({ nextAction: "Call back" });
      const form = formOf(await runAction(h.deps, ana, "lead.edit", `${opp.id}:0`));
      expect(form.fields.map((f) => f.id)).toEqual(["title", "expectedRevenue", "probability", "priority", "nextAction", "nextActionAt", "expectedCloseAt", "tags", "contactName", "companyName", "email", "phone", "channel"]);
      const values = { title: "Bigger deal", expectedRevenue: "12500.50", probability: "45", priority: "2", nextActionAt: "2026-07-01 09:00", tags: "#renewal, enterprise, renewal", contactName: "Jane Roe", companyName: "Globex", email: "Jane@Globex.com", phone: "+49 30 1234567" };
      const reply = viewOf(await submitForm(h.deps, ana, "lead.edit-form", values, form.context!));
      expect(reply.text).toMatch(/saved \(title, expected revenue, probability, priority, next action, next action date, tags, contact, company, email, phone\)/);
      const l = await reload(opp.id);
      expect(l).toMatchObject({ title: "Bigger deal", probability: 45, priority: 2, nextAction: null, tags: ["renewal", "enterprise"], emailNormalized: "jane@globex.com", emailDomain: "globex.com", phoneSanitized: "+49301234567", version: 1 });
      expect(Number(l.expectedRevenue)).toBe(12500.5);
      expect(l.nextActionAt).toEqual(new Date("2026-07-01T07:00:00Z")); // Europe/Berlin, summer time
    });

    it("answers field errors for bad values and changes nothing", async () => {
      const opp = await anOpportunity();
      const reply = await submitForm(h.deps, ana, "lead.edit-form", { title: "", expectedRevenue: "-5", probability: "150", priority: "9", email: "not-an-email", phone: "12", nextActionAt: "someday", tags: "x".repeat(60) }, { leadId: opp.id, version: "0" });
      expect(reply).toEqual({
        kind: "errors",
        errors: {
          title: "Give the opportunity a title.",
          expectedRevenue: "Expected revenue is an amount of 0 or more, like 12500 or 12500.50.",
          probability: "Probability is a whole number from 0 to 100.",
          priority: "Choose low, medium, high or very high.",
          nextActionAt: "Use a date and time like 2026-11-30 17:00.",
          tags: "A tag has at most 50 characters.",
          email: "That is not an email address, e.g. jane@acme.com.",
          phone: "Use a phone number with at least 6 digits, e.g. +49 30 1234567.",
        },
      });
      const huge = await submitForm(h.deps, ana, "lead.edit-form", { title: "t".repeat(5000), probability: "10" }, { leadId: opp.id, version: "0" });
      expect(huge).toEqual({ kind: "errors", errors: { title: expect.stringMatching(/^Keep the title under/) } });
      expect(await reload(opp.id)).toMatchObject({ version: 0, title: opp.title });
    });
  });

  describe("/crm pipeline", () => {
    let team: string;
    let gus: Who;
    let hal: Who;
    let boss: Who;
    beforeAll(async () => {
      team = (await h.db.team.create({ data: { name: "Forecast", kind: "sales" } })).id;
      boss = await aPerson(h.db, { role: "manager", managedTeamIds: [team] });
      gus = await aPerson(h.db, { teamIds: [team] });
      hal = await aPerson(h.db, { teamIds: [team] });
      await anOpportunity({ salesperson: gus, teamId: team, stage: "New", revenue: 1000 });
      await anOpportunity({ salesperson: gus, teamId: team, stage: "Proposition", revenue: 2000, nextAction: "Send quote", nextActionAt: new Date(now.getTime() - DAY), title: "Late one" });
      await anOpportunity({ salesperson: hal, teamId: team, stage: "Proposition", revenue: 4000, probability: 50, nextActionAt: new Date(now.getTime() - 3 * DAY), title: "Later one" });
      await anOpportunity({ salesperson: hal, teamId: team, stage: "Won", wonAt: now, revenue: 99999 });
      await anOpportunity({ salesperson: hal, teamId: team, type: "lead", revenue: 77777 });
    });

    it("shows an agent their own open opportunities: per stage, totals, weighted forecast, overdue", async () => {
      const view = viewOf(await runCommand(h.deps, gus, "pipeline", slack));
      expect(view.text).toBe("Pipeline — your opportunities: 2 open opportunities, 3,000 expected, 1,300 weighted forecast; 1 overdue");
      expect(view.blocks[1]).toEqual({ type: "fields", fields: [{ label: "New", value: "1 · 1,000" }, { label: "Proposition", value: "1 · 2,000" }] });
      expect(allText(view)).toContain("Late one: Send quote");
      expect(buttons(view).map((b) => b.id)).toEqual(["lead.open"]);
    });

    it("shows a manager their team, oldest overdue first; `mine` forces their own", async () => {
      const view = viewOf(await runCommand(h.deps, boss, "pipeline", slack));
      expect(view.text).toBe("Pipeline — Forecast: 3 open opportunities, 7,000 expected, 3,300 weighted forecast; 2 overdue");
      expect(view.blocks[1]).toEqual({ type: "fields", fields: [{ label: "New", value: "1 · 1,000" }, { label: "Proposition", value: "2 · 6,000" }] });
      expect(buttons(view).map((b) => b.label)).toEqual([expect.stringMatching(/^Open OPP-/), expect.stringMatching(/^Open OPP-/)]);
      const later = await h.db.lead.findFirstOrThrow({ where: { title: "Later one" } });
      expect(buttons(view)[0]!.value).toBe(later.id);
      expect(viewOf(await runCommand(h.deps, boss, "pipeline mine", slack)).text).toBe("Pipeline — your opportunities: no open opportunities");
      expect(viewOf(await runCommand(h.deps, boss, "pipeline forecast", slack)).text).toMatch(/^Pipeline — Forecast: 3 open/);
    });

    it("refuses another team's pipeline to an agent, and names an unknown team", async () => {
      expect(viewOf(await runCommand(h.deps, gus, "pipeline Forecast", slack)).text).toBe("Only Forecast's manager or an admin can see its pipeline. `pipeline mine` shows yours.");
      expect(viewOf(await runCommand(h.deps, gus, "pipeline Nope", slack)).text).toMatch(/^There is no team called “Nope”/);
      const admin = await aPerson(h.db, { role: "admin" });
      expect(viewOf(await runCommand(h.deps, admin, "pipeline Forecast", slack)).text).toMatch(/^Pipeline — Forecast: 3 open/);
    });
  });
});
