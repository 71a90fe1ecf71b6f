// Partner segmentation: criteria evaluation (joins, leaves, manual members kept, reasons), the per-partner and nightly
// jobs, /crm category (list, show, add, remove, criteria form) with its policy, the partner card, and `admin category`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { CATEGORY_FORM_ID } from "../../src/bot/views/category-forms.js";
import type { Action, MessageView, Reply } from "../../src/bot/views/view.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand, type AdminContext, type AdminResult } from "../../src/handlers/admin/index.js";
import { evaluateCategory, reevaluatePartner, reevaluatePartnerNow } from "../../src/handlers/segments/evaluate.js";
import { partnerJobId, reevaluatePartnerSoon } from "../../src/handlers/segments/reevaluate-soon.js";
import { recordEmailed } from "../../src/handlers/automation/events.js";
import { nextNight, segmentsJobs, sendNightly } from "../../src/jobs/segments.js";
import { silentLogger } from "../support/test-config.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { privateViewOf, readAll } from "../support/replies.js";
import { waitFor } from "../support/wait-for.js";

const slack = { commandPrefix: "/crm " };
const cli: AdminContext = { surface: "cli", invocation: "npm run admin --" };
const DAY = 86_400_000;
const REFUSAL = "Only managers and admins can change partner categories.";

const viewOf = privateViewOf;
const buttonsOf = (view: MessageView): Action[] => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));

describe("partner segmentation", () => {
  let h: HandlerHarness;
  let admin: Who;
  let manager: Who;
  let agent: Who;
  let wonStageId: string;
  let teamId: string;
  let caseStageId: string;

  const partner = (name: string, over: { country?: string; industry?: string } = {}) => h.db.partner.create({ data: { kind: "company", name, ...over } });
  const won = (partnerId: string, revenue: number, daysAgo: number) =>
    h.db.lead.create({ data: { title: `Won ${revenue}`, type: "opportunity", partnerId, stageId: wonStageId, isOpen: false, expectedRevenue: revenue, wonAt: new Date(Date.now() - daysAgo * DAY) } });
  const membersOf = async (categoryId: string) =>
    (await h.db.partnerCategoryMember.findMany({ where: { categoryId }, include: { partner: { select: { name: true } } } })).map((m) => ({ name: m.partner.name, source: m.source, reason: m.reason })).sort((a, b) => a.name.localeCompare(b.name));
  const category = (name: string, criteria: unknown) => h.db.partnerCategory.create({ data: { name, criteria: criteria as object } });
  const chat = (who: Who, text: string) => runCommand(h.deps, who, text, slack).then(viewOf);

  async function cliRun(...tokens: string[]): Promise<AdminResult> {
    const plan = planAdminCommand(tokens, cli);
    if (plan.kind !== "run") throw new Error(`not runnable: ${JSON.stringify(plan)}`);
    return performAdminCommand(h.deps, COMMAND_LINE_ACTOR, plan, cli);
  }

  const jobCount = async (name: string, id?: string) =>
    Number((await h.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE name = $1 ${id ? "AND id = $2::uuid" : ""}`, ...(id ? [name, id] : [name])))[0]!.n);

  beforeAll(async () => {
    h = await handlerHarness();
    admin = await aPerson(h.db, { role: "admin" });
    manager = await aPerson(h.db, { role: "manager" });
    agent = await aPerson(h.db, { role: "agent" });
    wonStageId = (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "won" } })).id;
    teamId = (await h.db.team.create({ data: { name: "Support", kind: "support" } })).id;
    caseStageId = (await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
  });
  afterAll(async () => h?.close());

  it("adds the partners that match with the reason, removes those that stop matching, and keeps manual members", async () => {
    const acme = await partner("Acme GmbH", { country: "DE" });
    const globex = await partner("Globex SA", { country: "FR" });
    const initech = await partner("Initech AG", { country: "de" });
    const handPicked = await partner("Hand Picked", { country: "US" });
    const acmeWin = await won(acme.id, 48000, 10);
    await won(globex.id, 90000, 10);
    await won(initech.id, 20000, 10);
    await won(initech.id, 30000, 400); // outside the window
    const gold = await category("GOLD", { all: [{ "won-revenue": { days: 365, "at-least": 40000 } }, { country: ["DE", "AT"] }] });
    await h.db.partnerCategoryMember.create({ data: { partnerId: handPicked.id, categoryId: gold.id, source: "manual", reason: "assigned by Ana Ruiz" } });

    expect(await evaluateCategory(h.deps, gold.id)).toEqual({ category: "GOLD", joined: 1, left: 0, members: 2 });
    expect(await membersOf(gold.id)).toEqual([
      { name: "Acme GmbH", source: "criteria", reason: "won 48,000 in the last 365 days ≥ 40,000; country DE" },
      { name: "Hand Picked", source: "manual", reason: "assigned by Ana Ruiz" },
    ]);
    expect((await h.db.partnerCategory.findUniqueOrThrow({ where: { id: gold.id } })).evaluatedAt).not.toBeNull();

    // Evaluating again changes nothing; a lost opportunity makes Acme leave, the manual member stays.
    expect(await evaluateCategory(h.deps, gold.id)).toMatchObject({ joined: 0, left: 0 });
    await h.db.lead.update({ where: { id: acmeWin.id }, data: { wonAt: null, lostAt: new Date() } });
    expect(await evaluateCategory(h.deps, gold.id)).toEqual({ category: "GOLD", joined: 0, left: 1, members: 1 });
    expect(await membersOf(gold.id)).toEqual([{ name: "Hand Picked", source: "manual", reason: "assigned by Ana Ruiz" }]);

    // A reason that changed is rewritten.
    await won(initech.id, 25000, 5);
    await evaluateCategory(h.deps, gold.id);
    expect(await membersOf(gold.id)).toContainEqual({ name: "Initech AG", source: "criteria", reason: "won 45,000 in the last 365 days ≥ 40,000; country de" });
    await won(initech.id, 1000, 1);
    await evaluateCategory(h.deps, gold.id);
    expect(await membersOf(gold.id)).toContainEqual({ name: "Initech AG", source: "criteria", reason: "won 46,000 in the last 365 days ≥ 40,000; country de" });
  });

  it("re-evaluates one partner in a transaction: open cases and last contact (calls, cases)", async () => {
    const quietCo = await partner("Quiet Co");
    const busy = await category("Busy", { "open-cases": { "at-least": 1 } });
    const quiet = await category("Dormant", { "last-contact": { "older-than-days": 90 } });
    await evaluateCategory(h.deps, busy.id);
    await evaluateCategory(h.deps, quiet.id);
    expect(await membersOf(quiet.id)).toContainEqual({ name: "Quiet Co", source: "criteria", reason: "never contacted (over 90)" });
    expect((await membersOf(busy.id)).map((m) => m.name)).not.toContain("Quiet Co");

    await h.db.case.create({ data: { subject: "Printer jams", teamId, stageId: caseStageId, partnerId: quietCo.id, isOpen: true } });
    expect(await h.db.$transaction((tx) => reevaluatePartner(tx, h.deps, quietCo.id))).toEqual({ joined: 1, left: 1 });
    expect(await membersOf(busy.id)).toContainEqual({ name: "Quiet Co", source: "criteria", reason: "1 open case ≥ 1" });
    expect((await membersOf(quiet.id)).map((m) => m.name)).not.toContain("Quiet Co");

    // A held call long ago is an old contact; the case created today is the latest one.
    await h.db.phoneCall.create({ data: { subject: "Old call", partnerId: quietCo.id, ownerId: agent.user.id, state: "held", callAt: new Date(Date.now() - 200 * DAY) } });
    await h.db.case.updateMany({ where: { partnerId: quietCo.id }, data: { isOpen: false, createdAt: new Date(Date.now() - 100 * DAY) } });
    expect(await h.db.$transaction((tx) => reevaluatePartner(tx, h.deps, quietCo.id))).toEqual({ joined: 1, left: 1 });
    expect(await membersOf(quiet.id)).toContainEqual({ name: "Quiet Co", source: "criteria", reason: "last contact 100 days ago (over 90)" });

    // An automatic reply on the old case is no contact; the customer's own email 10 days ago is.
    const old = await h.db.case.findFirstOrThrow({ where: { partnerId: quietCo.id } });
    const mail = (status: "ignored" | "threaded", daysAgo: number) =>
      h.db.emailMessage.create({
        data: { messageId: `${status}-${daysAgo}@quiet.test`, direction: "inbound", status, recordType: "case", recordId: old.id, fromAddress: "ops@quiet.test", subject: "Re: Printer jams", text: "…", size: 10, createdAt: new Date(Date.now() - daysAgo * DAY) },
      });
    await mail("ignored", 5);
    expect(await h.db.$transaction((tx) => reevaluatePartner(tx, h.deps, quietCo.id))).toEqual({ joined: 0, left: 0 });
    await mail("threaded", 10);
    expect(await h.db.$transaction((tx) => reevaluatePartner(tx, h.deps, quietCo.id))).toEqual({ joined: 0, left: 1 });
    expect((await membersOf(quiet.id)).map((m) => m.name)).not.toContain("Quiet Co");
  });

  it("an email on a partner's case asks for its re-evaluation (a contact); an automatic one does not", async () => {
    const mailCo = await partner("Mail Co");
    const dormant = await category("Mail dormant", { "last-contact": { "older-than-days": 30 } });
    const c = await h.db.case.create({ data: { subject: "Question", teamId, stageId: caseStageId, partnerId: mailCo.id, isOpen: true } });
    const jobs = async () => Number((await h.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'segments-partner' AND data->>'partnerId' = $1`, mailCo.id))[0]!.n);
    await h.db.$transaction((tx) => recordEmailed(tx, h.deps, "case", c.id, "received", { automatic: true }));
    expect(await jobs()).toBe(0);
    await h.db.$transaction((tx) => recordEmailed(tx, h.deps, "case", c.id, "received", { automatic: false }));
    expect(await jobs()).toBe(1);
    // Out of the other tests' way: they count categories and partners.
    await h.db.case.delete({ where: { id: c.id } });
    await h.db.partnerCategory.delete({ where: { id: dormant.id } });
    await h.db.partner.delete({ where: { id: mailCo.id } });
  });

  it("reevaluatePartnerSoon sends one job per partner per minute through the transaction, none when it rolls back", async () => {
    const soon = await partner("Soon Ltd", { country: "AT" });
    const austria = await category("Austria", { country: ["AT"] });
    const at = new Date();
    const id = partnerJobId(soon.id, at);
    await h.db.$transaction(async (tx) => {
      await reevaluatePartnerSoon(tx, h.deps, soon.id);
      await reevaluatePartnerSoon(tx, h.deps, soon.id);
    });
    await h.db.$transaction((tx) => reevaluatePartnerSoon(tx, h.deps, soon.id));
    // The minute may have turned between the sends: at most one job per minute, and the first one exists.
    expect(await jobCount("segments-partner", id)).toBe(1);
    const other = await partner("Rolled Back Ltd");
    await expect(h.db.$transaction(async (tx) => {
      await reevaluatePartnerSoon(tx, h.deps, other.id);
      throw new Error("the change failed");
    })).rejects.toThrow("the change failed");
    expect(await jobCount("segments-partner", partnerJobId(other.id, at))).toBe(0);
    // What the job does when it runs.
    // Austria, and Dormant (never contacted).
    expect(await reevaluatePartnerNow(h.deps, soon.id)).toEqual({ joined: 2, left: 0 });
    expect(await membersOf(austria.id)).toEqual([{ name: "Soon Ltd", source: "criteria", reason: "country AT" }]);
  });

  it("the nightly chain keeps one job per night, and a night's run evaluates every category and plans the next night once", async () => {
    const night = nextNight(Date.now());
    await sendNightly(h.deps.jobs, night);
    await sendNightly(h.deps.jobs, night);
    const ofNight = async (n: number) => Number((await h.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'segments-nightly' AND (data->>'night')::int = $1`, n))[0]!.n);
    await waitFor(async () => (await ofNight(night)) === 1, 5000); // the harness's own seed is the same job
    const nightly = segmentsJobs(h.deps, { seed: false }).find((j) => j.name === "segments-nightly")!;
    await h.db.partnerCategory.updateMany({ data: { evaluatedAt: null } });
    const ctx = { jobId: "test", retryCount: 0, logger: silentLogger };
    await nightly.handler({ night }, ctx);
    await nightly.handler({ night }, ctx);
    expect(await ofNight(night + 1)).toBe(1);
    expect(await h.db.partnerCategory.count({ where: { evaluatedAt: null } })).toBe(0);
  });

  it("/crm category lists every category with its count and criteria in words, for everyone", async () => {
    const view = await chat(agent, "category");
    const text = readAll(view);
    expect(text).toContain("*GOLD* · 2 partners");
    expect(text).toContain("won ≥ 40,000 in the last 365 days and country in DE, AT");
    expect(text).toContain("*Busy* · 0 partners\n≥ 1 open case");
    expect(buttonsOf(view).map((b) => b.label)).toContain("GOLD");
  });

  it("/crm category GOLD shows the members and why; buttons only for managers and admins", async () => {
    const forAgent = await chat(agent, "category gold");
    expect(readAll(forAgent)).toContain("*Initech AG* — criteria: won 46,000 in the last 365 days ≥ 40,000; country de");
    expect(readAll(forAgent)).toContain("*Hand Picked* — assigned by Ana Ruiz");
    expect(buttonsOf(forAgent)).toEqual([]);
    const forManager = await chat(manager, "category GOLD");
    expect(buttonsOf(forManager).map((b) => b.label)).toEqual(["Edit criteria", "Re-evaluate now"]);
    expect(readAll(await chat(agent, "category PLATINUM"))).toContain("There is no category named “PLATINUM”");
  });

  it("adds and removes by hand for managers, refuses agents, and explains criteria members", async () => {
    const gold = await h.db.partnerCategory.findUniqueOrThrow({ where: { name: "GOLD" } });
    await partner("Umbrella Corp");
    expect(readAll(await chat(agent, "category GOLD add Umbrella Corp"))).toContain(REFUSAL);
    expect((await membersOf(gold.id)).map((m) => m.name)).not.toContain("Umbrella Corp");

    expect(readAll(await chat(manager, "category GOLD add Umbrella Corp"))).toContain("Umbrella Corp added to GOLD.");
    expect(await membersOf(gold.id)).toContainEqual({ name: "Umbrella Corp", source: "manual", reason: `assigned by ${manager.user.name}` });
    expect(readAll(await chat(manager, "category GOLD add Umbrella Corp"))).toContain("already in GOLD");
    expect(readAll(await chat(manager, "category GOLD add Nobody Inc"))).toContain("No partner is called “Nobody Inc”");
    expect(readAll(await chat(manager, "category GOLD add"))).toContain("Say which partner");

    expect(readAll(await chat(manager, "category GOLD remove Initech AG"))).toContain("is in GOLD by its criteria (won 46,000");
    expect((await membersOf(gold.id)).map((m) => m.name)).toContain("Initech AG");
    expect(readAll(await chat(agent, "category GOLD remove Umbrella Corp"))).toContain(REFUSAL);
    expect(readAll(await chat(manager, "category GOLD remove Umbrella Corp"))).toContain("Umbrella Corp removed from GOLD.");
    expect((await membersOf(gold.id)).map((m) => m.name)).not.toContain("Umbrella Corp");
    expect(readAll(await chat(manager, "category GOLD remove Umbrella Corp"))).toContain("is not in GOLD");

    // Added by hand while the criteria match: removing it by hand keeps it, by criteria.
    expect(readAll(await chat(admin, "category GOLD add Initech AG"))).toContain("now stays there");
    expect(readAll(await chat(admin, "category GOLD remove Initech AG"))).toContain("stays by its criteria: won 46,000");
    expect(await membersOf(gold.id)).toContainEqual({ name: "Initech AG", source: "criteria", reason: "won 46,000 in the last 365 days ≥ 40,000; country de" });
  });

  it("the criteria form: refused to agents, every mistake shown, a save re-evaluates in the background", async () => {
    const gold = await h.db.partnerCategory.findUniqueOrThrow({ where: { name: "GOLD" } });
    const value = `${gold.id}:${gold.updatedAt.getTime()}`;
    expect(readAll(viewOf(await runAction(h.deps, agent, "category.edit", value)))).toContain(REFUSAL);
    const opened = await runAction(h.deps, manager, "category.edit", value);
    if (opened.kind !== "form") throw new Error("expected the form");
    expect(opened.form.fields[0]!.initial).toContain("- won-revenue: { days: 365, at-least: 40000 }");
    const context = opened.form.context!;

    expect(await submitForm(h.deps, agent, CATEGORY_FORM_ID, { criteria: "country: [DE]" }, context)).toMatchObject({ kind: "message" });
    expect(await submitForm(h.deps, manager, CATEGORY_FORM_ID, { criteria: "all:\n  - country: DE\n  - colour: [red]" }, context)).toEqual({
      kind: "errors",
      errors: { criteria: 'all[0].country: give a list, e.g. [DE, AT]\nall[1].colour: unknown criterion "colour" (kinds: country, industry, customer, supplier, won-revenue, open-cases, last-contact, all, any)' },
    });
    const saved = viewOf(await submitForm(h.deps, manager, CATEGORY_FORM_ID, { criteria: "country: [FR]", description: "French partners" }, context));
    expect(saved.text).toBe("GOLD saved: country in FR.");
    // The background job: Globex joins by criteria, Initech leaves, the manual member stays.
    await waitFor(async () => (await membersOf(gold.id)).some((m) => m.name === "Globex SA"), 15_000);
    await waitFor(async () => !(await membersOf(gold.id)).some((m) => m.name === "Initech AG"), 15_000);
    expect((await membersOf(gold.id)).map((m) => m.name)).toEqual(["Globex SA", "Hand Picked"]);
    // A second submit of the same (now stale) form does not overwrite.
    expect(await submitForm(h.deps, manager, CATEGORY_FORM_ID, { criteria: "country: [DE]" }, context)).toMatchObject({ kind: "errors" });

    expect(readAll(viewOf(await runAction(h.deps, agent, "category.evaluate", gold.id)))).toContain(REFUSAL);
    expect(viewOf(await runAction(h.deps, admin, "category.evaluate", gold.id)).text).toBe("GOLD re-evaluated: 0 joined, 0 left, 2 partners now.");
  });

  it("the partner card shows its categories with a short why", async () => {
    const globex = await h.db.partner.findFirstOrThrow({ where: { name: "Globex SA" } });
    const card = viewOf(await runAction(h.deps, agent, "customer.show", globex.id));
    expect(readAll(card)).toContain("Categories: *GOLD* (country FR)");
  });

  it("admin category add|set|list|assign|unassign from the command line", async () => {
    await partner("Wayne Retail", { country: "US", industry: "Retail" });
    const added = await cliRun("category", "add", "Retail", "--criteria", "{ industry: [Retail] }", "--description", "Shops");
    expect(added).toMatchObject({ ok: true, data: { category: "Retail", joined: 1, left: 0, members: 1 } });
    const retail = await h.db.partnerCategory.findUniqueOrThrow({ where: { name: "Retail" } });
    expect(await membersOf(retail.id)).toEqual([{ name: "Wayne Retail", source: "criteria", reason: "industry Retail" }]);

    expect(await cliRun("category", "add", "retail")).toMatchObject({ ok: false, message: expect.stringContaining("already a category named Retail") });
    expect(await cliRun("category", "set", "Retail", "--criteria", "{ industry: Retail }")).toMatchObject({ ok: false, message: expect.stringContaining("industry: give a list") });
    expect(await cliRun("category", "set", "Nope", "--criteria", "none")).toMatchObject({ ok: false, message: expect.stringContaining("there is no category named Nope") });

    expect(await cliRun("category", "assign", "Retail", "--partner", "Acme GmbH")).toMatchObject({ ok: true });
    expect(await cliRun("category", "set", "Retail", "--criteria", "none")).toMatchObject({ ok: true, data: { joined: 0, left: 1, members: 1 } });
    expect(await membersOf(retail.id)).toEqual([{ name: "Acme GmbH", source: "manual", reason: "assigned by the command line" }]);

    const listed = await cliRun("category", "list");
    expect(listed.ok && (listed.data as { name: string; members: number }[]).find((c) => c.name === "Retail")).toMatchObject({ members: 1, criteria: null });
    expect(await cliRun("category", "unassign", "Retail", "--partner", "Acme GmbH")).toMatchObject({ ok: true });
    expect(await membersOf(retail.id)).toEqual([]);
    expect(await cliRun("category", "unassign", "Retail", "--partner", "Acme GmbH")).toMatchObject({ ok: false, message: "Acme GmbH is not in Retail" });

    const plan = planAdminCommand(["category", "assign", "Retail"], cli);
    expect(plan).toMatchObject({ kind: "invalid", message: expect.stringContaining("--partner is required") });
    const asAgent = await runCommand(h.deps, agent, "admin category set Retail --criteria none", slack).then(viewOf);
    expect(asAgent.text).toBe(REFUSAL);
  });
});
