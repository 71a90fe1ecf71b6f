// Automation rules on partners, through the real paths: a partner created by the quick case form or the mail gateway
// fires "created" rules; joining or leaving a category (by criteria or by hand) is a change of its categories; time
// rules plan a job per partner; partners are everyone's to see; a dry run names a partner by its name or email.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { RULE_DRY_RUN_FORM_ID } from "../../src/bot/views/rule-forms.js";
import type { RuleDefinitionInput } from "../../src/domain/automation/definition.js";
import { dryRun } from "../../src/handlers/automation/engine.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import { fireRuleMoment, scheduleRule } from "../../src/handlers/automation/rule-moments.js";
import { ingestEmail } from "../../src/handlers/mail/ingest-email.js";
import { createPartner } from "../../src/handlers/resolve-partner.js";
import { evaluateCategory } from "../../src/handlers/segments/evaluate.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { privateViewOf, readAll } from "../support/replies.js";

const slack = { commandPrefix: "/crm " };
const ALIAS = "partners@acme.test";

let h: HandlerHarness;
let ana: Who; // agent in Support, salesperson of the partners she creates
let manager: Who;
let admin: Who;
let ruleSeq = 0;

beforeAll(async () => {
  h = await handlerHarness();
  const support = await h.db.team.create({ data: { name: "Support", kind: "support", emailAlias: ALIAS, emailCreates: "case", slackChannelId: "CSUPPORT" } });
  ana = await aPerson(h.db, { teamIds: [support.id] });
  manager = await aPerson(h.db, { role: "manager" });
  admin = await aPerson(h.db, { role: "admin" });
});
afterEach(async () => {
  await h.db.automationRule.updateMany({ data: { enabled: false } });
  forgetRuleCache();
});
afterAll(async () => h?.close());

/** An enabled partner rule, stored as the rule editor stores it. */
async function aRule(def: Partial<RuleDefinitionInput> & Pick<RuleDefinitionInput, "trigger" | "actions">) {
  ruleSeq += 1;
  const definition = { name: `Partner rule ${ruleSeq}`, record: "partner" as const, enabled: true, timeZone: "UTC", ...def };
  const rule = await h.db.automationRule.create({ data: { name: definition.name, recordType: "partner", triggerKind: definition.trigger.kind, definition: definition as object, enabled: true, version: 1 } });
  forgetRuleCache();
  return rule;
}

const firings = (ruleId: string, recordId: string) => h.db.ruleFiring.findMany({ where: { ruleId, recordId }, orderBy: { createdAt: "asc" } });
const resultsOf = async (ruleId: string, recordId: string) => (await firings(ruleId, recordId)).map((f) => JSON.stringify(f.results));
const dmsTo = (who: Who) => h.db.outbox.findMany({ where: { target: who.user.slackUserId!, dedupeKey: { startsWith: "rule:" } } });
const unique = (name: string) => `${name} ${randomBytes(3).toString("hex")}`;

function mail(from: string, subject: string): Buffer {
  const lines = [
    `From: ${from}`,
    `To: ${ALIAS}`,
    `Subject: ${subject}`,
    `Message-ID: <partner.${randomBytes(6).toString("hex")}@customer.test>`,
    "Date: Mon, 23 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello, we would like a quote.",
    "",
  ];
  return Buffer.from(lines.join("\r\n"));
}

describe("a partner is created", () => {
  it("by the quick case form's “Create” button: a created rule DMs its salesperson, plans a call with it, and tells the partner's timeline", async () => {
    const rule = await aRule({
      trigger: { kind: "created" },
      actions: [
        { do: "dm", to: "responsible", text: "New partner {{partner.name}} ({{partner.kind}}), yours, {{responsible.name}}" },
        { do: "follow-up", kind: "call", title: "Welcome call {{partner.name}}", in: { amount: 2, unit: "days" } },
      ],
    });
    const name = unique("Newco GmbH");
    const asked = privateViewOf(await runCommand(h.deps, ana, `case ${name}: printer jams`, slack));
    expect(asked.text).toContain(`No partner is called “${name}” yet`);
    expect(await h.db.partner.count({ where: { name } })).toBe(0);
    await runAction(h.deps, ana, "case.quick-create-partner", `${name}: printer jams`);
    const partner = await h.db.partner.findFirstOrThrow({ where: { name } });
    expect(await firings(rule.id, partner.id)).toHaveLength(1);
    const dms = (await dmsTo(ana)).filter((d) => JSON.stringify(d.payload).includes(name));
    expect(dms).toHaveLength(1);
    expect((dms[0]!.payload as { text: string }).text).toContain(`New partner ${name} (company), yours, ${ana.user.name}`);
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { partnerId: partner.id, state: "planned" } });
    expect(call.ownerId).toBe(ana.user.id);
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "partner", recordId: partner.id, kind: "rule" } });
    expect(timeline).toHaveLength(1);
    // A case for the partner, now known by name, creates none, and so fires nothing more.
    expect(privateViewOf(await runCommand(h.deps, ana, `case ${name}: printer jams again`, slack)).text).toMatch(/CASE-\d+/);
    expect(await h.db.ruleFiring.count({ where: { ruleId: rule.id } })).toBe(1);
  });

  it("by the mail gateway (an unknown sender): the rule emails the partner; without a salesperson, nobody is DMed", async () => {
    const rule = await aRule({
      trigger: { kind: "created" },
      conditions: { field: "kind", op: "=", value: "person" },
      actions: [
        { do: "email", to: "customer", subject: "Welcome, {{partner.name}}", body: "Hello {{partner.name}}" },
        { do: "dm", to: "responsible", text: "{{partner.name}}" },
      ],
    });
    const address = `buyer.${randomBytes(3).toString("hex")}@globex.test`;
    const outcome = await ingestEmail(h.deps, mail(`Hank Scorpio <${address}>`, "Quote please"), { recipients: [ALIAS], mailFrom: address, via: "smtp" });
    expect(outcome.kind).toBe("created");
    const partner = await h.db.partner.findFirstOrThrow({ where: { email: address } });
    const results = await resultsOf(rule.id, partner.id);
    expect(results).toHaveLength(1);
    expect(results[0]).toContain(`emailed ${address}`);
    expect(results[0]).toContain("no DM: nobody as responsible");
    const mails = await h.db.outbox.findMany({ where: { channel: "email", target: address, dedupeKey: { startsWith: "rule:" } } });
    expect(mails).toHaveLength(1);
    expect((mails[0]!.payload as { subject: string }).subject).toBe("Welcome, Hank Scorpio");
  });

  it("a rule's set changes the partner's salesperson, and refuses someone who is not an active user", async () => {
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "set", field: "responsible", value: manager.user.email }] });
    const name = unique("Hooli");
    await runAction(h.deps, ana, "case.quick-create-partner", `${name}: screen flickers`);
    const partner = await h.db.partner.findFirstOrThrow({ where: { name } });
    expect(partner.salespersonId).toBe(manager.user.id);
    expect((await resultsOf(rule.id, partner.id))[0]).toContain(`salesperson set to ${manager.user.email}`);

    await h.db.automationRule.update({ where: { id: rule.id }, data: { enabled: false } });
    const gone = await aRule({ trigger: { kind: "created" }, actions: [{ do: "set", field: "responsible", value: "nobody@example.com" }] });
    const other = unique("Pied Piper");
    await runAction(h.deps, ana, "case.quick-create-partner", `${other}: compression`);
    const second = await h.db.partner.findFirstOrThrow({ where: { name: other } });
    expect(second.salespersonId).toBe(ana.user.id);
    expect((await resultsOf(gone.id, second.id))[0]).toContain("not set: no active user nobody@example.com");
  });
});

describe("category membership is a change of the partner's categories", () => {
  it("joining by criteria fires a field-set rule once; leaving fires a saved rule on categories, not the field-set", async () => {
    const tag = `GOLD${randomBytes(2).toString("hex")}`;
    const joins = await aRule({ trigger: { kind: "field-set", field: "categories", value: tag }, actions: [{ do: "dm", to: "responsible", text: "{{partner.name}} joined: {{partner.categories}}" }] });
    const changes = await aRule({ trigger: { kind: "saved", fields: ["categories"] }, conditions: { field: "categories", op: "not-contains", value: tag }, actions: [{ do: "dm", to: "responsible", text: "{{partner.name}} left" }] });
    const partner = await h.db.partner.create({ data: { kind: "company", name: unique("Initech AG"), country: "DE", salespersonId: ana.user.id } });
    const category = await h.db.partnerCategory.create({ data: { name: tag, criteria: { country: ["DE"] } } });
    expect(await evaluateCategory(h.deps, category.id)).toMatchObject({ joined: expect.any(Number) });
    expect(await firings(joins.id, partner.id)).toHaveLength(1);
    expect(await firings(changes.id, partner.id)).toHaveLength(0);
    const dm = (await dmsTo(ana)).find((d) => JSON.stringify(d.payload).includes(`${partner.name} joined`));
    expect((dm?.payload as { text: string }).text).toContain(`${partner.name} joined: ${tag}`);
    // Evaluating again changes no membership, so nothing fires again.
    await evaluateCategory(h.deps, category.id);
    expect(await firings(joins.id, partner.id)).toHaveLength(1);
    // The partner moves away: it leaves the category.
    await h.db.partner.update({ where: { id: partner.id }, data: { country: "FR" } });
    await evaluateCategory(h.deps, category.id);
    expect(await firings(changes.id, partner.id)).toHaveLength(1);
    expect(await firings(joins.id, partner.id)).toHaveLength(1);
  });

  it("adding and removing by hand (/crm category) fires too; an agent's refused attempt fires nothing", async () => {
    const tag = `VIP${randomBytes(2).toString("hex")}`;
    const rule = await aRule({ trigger: { kind: "saved", fields: ["categories"] }, actions: [{ do: "webhook", url: "https://hooks.example.com/partners" }] });
    const partner = await h.db.partner.create({ data: { kind: "company", name: unique("Umbrella Corp"), salespersonId: ana.user.id } });
    await h.db.partnerCategory.create({ data: { name: tag } });
    const refused = readAll(privateViewOf(await runCommand(h.deps, ana, `category ${tag} add ${partner.name}`, slack)));
    expect(refused).toContain("Only managers and admins can change partner categories.");
    expect(await firings(rule.id, partner.id)).toHaveLength(0);
    expect(readAll(privateViewOf(await runCommand(h.deps, manager, `category ${tag} add ${partner.name}`, slack)))).toContain(`added to ${tag}`);
    expect(await firings(rule.id, partner.id)).toHaveLength(1);
    // Already in: no change, no firing.
    await runCommand(h.deps, manager, `category ${tag} add ${partner.name}`, slack);
    expect(await firings(rule.id, partner.id)).toHaveLength(1);
    await runCommand(h.deps, manager, `category ${tag} remove ${partner.name}`, slack);
    expect(await firings(rule.id, partner.id)).toHaveLength(2);
    const hooks = await h.db.outbox.findMany({ where: { dedupeKey: { startsWith: "rule:" }, target: { contains: "hooks.example.com" } }, orderBy: { createdAt: "asc" } });
    const bodies = hooks.map((w) => JSON.stringify(w.payload)).filter((b) => b.includes(partner.id));
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain(`"categories":["${tag}"]`);
    expect(bodies[1]).toContain(`"categories":[]`);
  });
});

describe("time rules on partners", () => {
  const jobsFor = async (ruleId: string, recordId: string) =>
    h.db.$queryRaw<{ moment: string }[]>`SELECT data->>'moment' AS moment FROM pgboss.job WHERE name = 'automation-moment' AND data->>'ruleId' = ${ruleId} AND data->>'recordId' = ${recordId}`;

  it("plans a moment when a partner is created, plans existing partners when the rule is scheduled, and fires at the moment once", async () => {
    const existing = await h.db.partner.create({ data: { kind: "company", name: unique("Old Partner"), salespersonId: ana.user.id } });
    const rule = await aRule({ trigger: { kind: "after-created", offset: { amount: 1, unit: "days" } }, actions: [{ do: "dm", to: "responsible", text: "One day with {{partner.name}}" }] });
    const name = unique("Vandelay Industries");
    await runAction(h.deps, ana, "case.quick-create-partner", `${name}: latex order`);
    const partner = await h.db.partner.findFirstOrThrow({ where: { name } });
    const planned = await jobsFor(rule.id, partner.id);
    expect(planned.map((j) => j.moment)).toEqual([new Date(partner.createdAt.getTime() + 86_400_000).toISOString()]);
    expect(await scheduleRule(h.deps, { ruleId: rule.id, version: 1 })).toMatchObject({ planned: expect.any(Number) });
    expect(await jobsFor(rule.id, existing.id)).toHaveLength(1);
    // The moment's job, run now (as the worker would at its time): it fires once.
    const payload = { ruleId: rule.id, model: "partner", recordId: partner.id, moment: planned[0]!.moment };
    expect(await fireRuleMoment(h.deps, payload)).toBe("fired");
    expect(await fireRuleMoment(h.deps, payload)).toBe("already fired");
    expect(await fireRuleMoment(h.deps, { ...payload, moment: new Date().toISOString() })).toBe("moment moved");
  });
});

describe("who is told, and dry runs", () => {
  it("DMs a salesperson outside every team (partners are everyone's to see), but not one whose account is deactivated", async () => {
    const loner = await aPerson(h.db);
    const former = await aPerson(h.db);
    await h.db.user.update({ where: { id: former.user.id }, data: { isActive: false } });
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "dm", to: "responsible", text: "{{partner.name}} is yours" }] });
    const mine = await h.deps.db.$transaction(async (tx) => {
      return [await createPartner(tx, h.deps, { kind: "company", name: unique("Loner Ltd"), salespersonId: loner.user.id }, null), await createPartner(tx, h.deps, { kind: "company", name: unique("Former Ltd"), salespersonId: former.user.id }, null)];
    });
    expect((await resultsOf(rule.id, mine[0]!.id))[0]).toContain(`DM to ${loner.user.name}`);
    expect(await dmsTo(loner)).toHaveLength(1);
    expect((await resultsOf(rule.id, mine[1]!.id))[0]).toContain("no DM: nobody as responsible");
    expect(await dmsTo(former)).toHaveLength(0);
  });

  it("names the partner by its name (any case), its email or the start of one name; says why when it cannot", async () => {
    const name = unique("Soylent Corp");
    const partner = await h.db.partner.create({ data: { kind: "company", name, email: `info.${randomBytes(3).toString("hex")}@soylent.test`, salespersonId: ana.user.id } });
    const def = { name: "Dry partner", record: "partner" as const, enabled: true, timeZone: "UTC", trigger: { kind: "created" as const }, conditions: { field: "customer", op: "=" as const, value: true }, actions: [{ do: "dm" as const, to: "responsible" as const, text: "{{partner.name}}" }, { do: "set" as const, field: "responsible", value: manager.user.email }] };
    const outboxBefore = await h.db.outbox.count();
    for (const ref of [name, name.toUpperCase(), partner.email!, name.slice(0, -2)]) {
      const result = await dryRun(h.deps, { definition: def }, ref);
      expect(result, ref).toMatchObject({ ok: true, record: name, wouldFire: true });
    }
    const result = await dryRun(h.deps, { definition: def }, name);
    if (!result.ok) throw new Error(result.reason);
    expect(result.actions[0]!.result).toBe(`would DM ${ana.user.name} (responsible): “${name}”`);
    expect(result.actions[1]!.result).toBe(`would set responsible to ${manager.user.email} (now ${ana.user.email.toLowerCase()})`);
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    expect((await h.db.partner.findUniqueOrThrow({ where: { id: partner.id } })).salespersonId).toBe(ana.user.id);

    expect(await dryRun(h.deps, { definition: def }, "Nobody Inc")).toMatchObject({ ok: false, reason: expect.stringContaining("No partner is called “Nobody Inc”") });
    const c = await h.db.case.findFirstOrThrow();
    expect(await dryRun(h.deps, { definition: def }, `CASE-${c.number}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/is a case; this rule is about partners/) });
    expect(await dryRun(h.deps, { definition: { ...def, record: "case" } as never }, name)).toMatchObject({ ok: false, reason: expect.stringMatching(/^There is no record/) });
    await h.db.partner.create({ data: { kind: "company", name, email: "other@soylent.test" } });
    expect(await dryRun(h.deps, { definition: def }, name)).toMatchObject({ ok: false, reason: expect.stringMatching(/^Several partners are called .*other@soylent\.test/) });
  });

  it("the Dry run form takes a partner's name from an admin, and answers errors on the field", async () => {
    const name = unique("Wonka Industries");
    await h.db.partner.create({ data: { kind: "company", name, salespersonId: ana.user.id } });
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "email", to: "customer", subject: "Hi", body: "Hi {{partner.name}}" }] });
    const done = await submitForm(h.deps, admin, RULE_DRY_RUN_FORM_ID, { record: name }, { ruleId: rule.id });
    expect(done.kind).toBe("done");
    expect(JSON.stringify(done)).toContain("no email: no address for customer");
    const wrong = await submitForm(h.deps, admin, RULE_DRY_RUN_FORM_ID, { record: "Nobody at all" }, { ruleId: rule.id });
    expect(wrong).toMatchObject({ kind: "errors", errors: { record: expect.stringContaining("No partner is called") } });
    const refused = await submitForm(h.deps, ana, RULE_DRY_RUN_FORM_ID, { record: name }, { ruleId: rule.id });
    expect(JSON.stringify(refused)).toContain("Only an admin");
  });
});
