// The automation engine on a real database: event rules fire once in the change's transaction, chains stop at
// their depth, time rules fire at their moment once (moved, edited, deleted records and rules), dry runs change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Who } from "../../src/bot/dispatch.js";
import type { RuleDefinitionInput } from "../../src/domain/automation/definition.js";
import { dryRun } from "../../src/handlers/automation/engine.js";
import { recordCreated, recordEmailed, watchRecord } from "../../src/handlers/automation/events.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import { catchUpRules, fireRuleMoment, scheduleRule } from "../../src/handlers/automation/rule-moments.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

let h: HandlerHarness;
let ana: Who;
let boss: Who;
let team: { id: string };
let newStage: string;

beforeAll(async () => {
  h = await handlerHarness();
  boss = await aPerson(h.db, { role: "manager" });
  team = await h.db.team.create({ data: { name: "Support", kind: "support", managerId: boss.user.id, slackChannelId: "C_SUPPORT" } });
  ana = await aPerson(h.db, { teamIds: [team.id] });
  newStage = (await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
});
afterAll(async () => h?.close());
beforeEach(async () => {
  await h.db.automationRule.deleteMany();
  forgetRuleCache();
});

let ruleCount = 0;
async function aRule(def: Partial<RuleDefinitionInput> & Pick<RuleDefinitionInput, "trigger" | "actions">, enabled = true) {
  ruleCount += 1;
  const definition = { name: `Rule ${ruleCount}`, record: "case" as const, enabled, timeZone: "UTC", ...def };
  return h.db.automationRule.create({ data: { name: definition.name, recordType: definition.record, triggerKind: definition.trigger.kind, definition: definition as object, enabled, version: 1 } });
}

/** A case created the way a handler does it: the row, then the hook, in one transaction. */
async function openCase(data: { subject?: string; priority?: "low" | "medium" | "high" | "urgent"; plannedCloseAt?: Date; assigneeId?: string } = {}) {
  return h.db.$transaction(async (tx) => {
    const c = await tx.case.create({ data: { subject: data.subject ?? "Printer jams", teamId: team.id, stageId: newStage, priority: data.priority ?? "medium", assigneeId: data.assigneeId ?? ana.user.id, plannedCloseAt: data.plannedCloseAt ?? null } });
    await recordCreated(tx, h.deps, "case", c.id, null);
    return c;
  });
}

async function changeCase(id: string, data: { priority?: "low" | "medium" | "high" | "urgent"; plannedCloseAt?: Date | null; subject?: string }) {
  await h.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, h.deps, "case", id, ana.user.id);
    await tx.case.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    await watch.done();
  });
}

const firings = (ruleId: string, recordId?: string) => h.db.ruleFiring.findMany({ where: { ruleId, ...(recordId ? { recordId } : {}) } });

describe("event rules", () => {
  it("posts in the team channel and DMs the responsible person when a case is created, once, with the timeline told", async () => {
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "post", to: "team-channel", text: "New {{case.ref}}: {{case.title}}" }, { do: "dm", to: "responsible", text: "Yours: {{case.ref}}" }] });
    const c = await openCase({ subject: "VPN down" });
    const [firing] = await firings(rule.id, c.id);
    expect(firing).toBeDefined();
    expect(JSON.stringify(firing!.results)).toMatch(/posted in team Support's channel/);
    const posts = await h.db.outbox.findMany({ where: { target: "C_SUPPORT", dedupeKey: { startsWith: "rule:" } } });
    expect(posts).toHaveLength(1);
    expect((posts[0]!.payload as { text: string }).text).toMatch(/^New CASE-\d{4}: VPN down$/);
    expect(await h.db.outbox.count({ where: { target: ana.user.slackUserId!, dedupeKey: { startsWith: "rule:" } } })).toBe(1);
    const timeline = await h.db.timelineEntry.findMany({ where: { recordId: c.id, kind: "rule" } });
    expect(timeline).toHaveLength(1);
    expect(timeline[0]!.summary).toContain(`“${rule.name}”`);
    expect((await h.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).fireCount).toBe(1);
  });

  it("fires a field-set rule when the field takes the value, not when it already had it, and checks the before-condition", async () => {
    const rule = await aRule({ trigger: { kind: "field-set", field: "priority", value: "urgent" }, before: { field: "priority", op: "!=", value: "low" }, actions: [{ do: "dm", to: "team-manager", text: "{{case.ref}} is urgent" }] });
    const c = await openCase({ priority: "medium" });
    await changeCase(c.id, { subject: "Printer jams badly" });
    expect(await firings(rule.id, c.id)).toHaveLength(0);
    await changeCase(c.id, { priority: "urgent" });
    expect(await firings(rule.id, c.id)).toHaveLength(1);
    await changeCase(c.id, { subject: "Still urgent" });
    expect(await firings(rule.id, c.id)).toHaveLength(1);
    // From low the before-condition fails (Odoo's "before update" domain).
    const d = await openCase({ priority: "low" });
    await changeCase(d.id, { priority: "urgent" });
    expect(await firings(rule.id, d.id)).toHaveLength(0);
  });

  it("fires a saved rule only for a change of its listed fields; conditions are checked on the record after the change", async () => {
    const rule = await aRule({ trigger: { kind: "saved", fields: ["priority"] }, conditions: { field: "priority", op: "in", value: ["high", "urgent"] }, actions: [{ do: "post", to: "team-channel", text: "{{case.ref}} now {{case.priority}}" }] });
    const c = await openCase({ priority: "low" });
    expect(await firings(rule.id, c.id)).toHaveLength(0); // created at low: the condition fails
    await changeCase(c.id, { subject: "Other words" });
    await changeCase(c.id, { priority: "medium" });
    expect(await firings(rule.id, c.id)).toHaveLength(0);
    await changeCase(c.id, { priority: "high" });
    expect(await firings(rule.id, c.id)).toHaveLength(1);
  });

  it("does not let a rule's own write trigger it again, and stops a chain of rules at depth 5 with a warning", async () => {
    const self = await aRule({ trigger: { kind: "saved" }, actions: [{ do: "set", field: "priority", value: "high" }] });
    const c = await openCase({ priority: "low" });
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).priority).toBe("high");
    expect(await firings(self.id, c.id)).toHaveLength(1);
    await h.db.automationRule.delete({ where: { id: self.id } });

    // Two rules that undo each other: each fires on the other's write until the depth limit.
    const up = await aRule({ trigger: { kind: "field-set", field: "priority", value: "low" }, actions: [{ do: "set", field: "priority", value: "urgent" }] });
    const down = await aRule({ trigger: { kind: "field-set", field: "priority", value: "urgent" }, actions: [{ do: "set", field: "priority", value: "low" }] });
    const d = await openCase({ priority: "medium" });
    await changeCase(d.id, { priority: "low" });
    const total = (await firings(up.id, d.id)).length + (await firings(down.id, d.id)).length;
    expect(total).toBe(5);
    const warned = await h.db.automationRule.findMany({ where: { id: { in: [up.id, down.id] }, lastWarning: { not: null } } });
    expect(warned).toHaveLength(1);
    expect(warned[0]!.lastWarning).toMatch(/stopped at depth 5/);
  });

  it("does not email in answer to an automatic email, and emails the customer otherwise", async () => {
    const partner = await h.db.partner.create({ data: { kind: "company", name: "Acme", email: "help@acme.test" } });
    const rule = await aRule({ trigger: { kind: "email-received" }, actions: [{ do: "email", to: "customer", subject: "We got your mail", body: "About {{case.ref}}" }] });
    const c = await h.db.case.create({ data: { subject: "Mail", teamId: team.id, stageId: newStage, partnerId: partner.id } });
    await h.db.$transaction((tx) => recordEmailed(tx, h.deps, "case", c.id, "received", { automatic: true }));
    await h.db.$transaction((tx) => recordEmailed(tx, h.deps, "case", c.id, "received", { automatic: false }));
    const results = (await firings(rule.id, c.id)).map((f) => JSON.stringify(f.results));
    expect(results.some((r) => /automatic \(loop guard\)/.test(r))).toBe(true);
    expect(results.some((r) => /emailed help@acme.test/.test(r))).toBe(true);
    const mails = await h.db.outbox.findMany({ where: { channel: "email", target: "help@acme.test", dedupeKey: { startsWith: "rule:" } } });
    expect(mails).toHaveLength(1);
    expect((mails[0]!.payload as { headers: { autoSubmitted: string } }).headers.autoSubmitted).toBe("auto-generated");
  });

  it("never tells someone about a record they could not open", async () => {
    const outsider = await aPerson(h.db);
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "dm", to: "responsible", text: "Psst {{case.ref}}" }] });
    const c = await h.db.$transaction(async (tx) => {
      const created = await tx.case.create({ data: { subject: "Internal", teamId: team.id, stageId: newStage, assigneeId: outsider.user.id, isInternal: true } });
      await tx.teamMember.deleteMany({ where: { userId: outsider.user.id } });
      await recordCreated(tx, h.deps, "case", created.id, null);
      return created;
    });
    const [firing] = await firings(rule.id, c.id);
    expect(firing).toBeDefined();
    // Whatever the policy decides for this case, a DM goes out only when the person may open it.
    const dms = await h.db.outbox.count({ where: { target: outsider.user.slackUserId!, dedupeKey: { startsWith: "rule:" } } });
    expect(JSON.stringify(firing!.results)).toMatch(dms === 0 ? /not told|no DM/ : /DM to/);
  });

  it("costs nothing for a switched-off rule", async () => {
    const rule = await aRule({ trigger: { kind: "created" }, actions: [{ do: "post", to: "team-channel", text: "x" }] }, false);
    await openCase();
    expect(await firings(rule.id)).toHaveLength(0);
  });
});

describe("time rules", () => {
  const soon = (ms: number) => new Date(Date.now() + ms);

  it("fires at the record's date plus the offset, once, even when the job runs twice", async () => {
    const rule = await aRule({ trigger: { kind: "time", field: "planned-close", offset: { amount: 0, unit: "minutes" } }, actions: [{ do: "dm", to: "responsible", text: "{{case.ref}} is due" }] });
    const c = await openCase({ plannedCloseAt: soon(1500) });
    await waitFor(async () => (await firings(rule.id, c.id)).length === 1, 10_000);
    const [firing] = await firings(rule.id, c.id);
    const lateness = firing!.createdAt.getTime() - new Date(firing!.occasion.slice(3)).getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    // The same moment again (a retry, a second replica): nothing more happens.
    const again = await fireRuleMoment(h.deps, { ruleId: rule.id, model: "case", recordId: c.id, moment: firing!.occasion.slice(3) });
    expect(again).toBe("already fired");
    expect(await firings(rule.id, c.id)).toHaveLength(1);
  });

  it("follows a moved date: the old moment does nothing, the new one fires", async () => {
    const rule = await aRule({ trigger: { kind: "time", field: "planned-close", offset: { amount: -1, unit: "hours" } }, actions: [{ do: "post", to: "team-channel", text: "{{case.ref}} closes in an hour" }] });
    const first = new Date(Date.now() + 3_600_000 + 60_000);
    const c = await openCase({ plannedCloseAt: first });
    const oldMoment = new Date(first.getTime() - 3_600_000).toISOString();
    await changeCase(c.id, { plannedCloseAt: new Date(Date.now() + 3_600_000 + 1500) });
    expect(await fireRuleMoment(h.deps, { ruleId: rule.id, model: "case", recordId: c.id, moment: oldMoment })).toBe("moment moved");
    await waitFor(async () => (await firings(rule.id, c.id)).length === 1, 10_000);
  });

  it("re-checks the rule as edited and the record as it is: an outdated job does nothing", async () => {
    const rule = await aRule({ trigger: { kind: "time", field: "planned-close", offset: { amount: 0, unit: "minutes" } }, actions: [{ do: "post", to: "team-channel", text: "due" }] });
    const at = soon(60_000);
    const c = await openCase({ plannedCloseAt: at });
    const payload = { ruleId: rule.id, model: "case", recordId: c.id, moment: at.toISOString() };
    const edited = { ...(rule.definition as object), conditions: { field: "priority", op: "=", value: "urgent" } };
    await h.db.automationRule.update({ where: { id: rule.id }, data: { definition: edited, version: { increment: 1 } } });
    expect(await fireRuleMoment(h.deps, payload)).toBe("conditions not met");
    await h.db.automationRule.update({ where: { id: rule.id }, data: { enabled: false } });
    expect(await fireRuleMoment(h.deps, payload)).toBe("rule gone or off");
    await h.db.automationRule.update({ where: { id: rule.id }, data: { enabled: true } });
    await h.db.case.delete({ where: { id: c.id } });
    expect(await fireRuleMoment(h.deps, payload)).toBe("record gone");
    expect(await firings(rule.id)).toHaveLength(0);
  });

  it("plans a new rule for existing records with moments ahead, not for those already past", { timeout: 60_000 }, async () => {
    const past = await h.db.case.create({ data: { subject: "Past", teamId: team.id, stageId: newStage, plannedCloseAt: new Date(Date.now() - 60_000) } });
    // Far enough ahead that the planning job (polled every 5 s) runs before the moment comes.
    const ahead = await h.db.case.create({ data: { subject: "Ahead", teamId: team.id, stageId: newStage, plannedCloseAt: soon(15_000) } });
    const rule = await aRule({ trigger: { kind: "time", field: "planned-close", offset: { amount: 0, unit: "minutes" } }, actions: [{ do: "post", to: "team-channel", text: "due {{case.ref}}" }] });
    // A rule saved from the command line is behind its version: the catch-up plans it.
    expect(await catchUpRules(h.deps)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await h.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).scheduledVersion === 1, 20_000);
    await waitFor(async () => (await firings(rule.id, ahead.id)).length === 1, 30_000);
    expect(await firings(rule.id, past.id)).toHaveLength(0);
    expect(await scheduleRule(h.deps, { ruleId: rule.id, version: 0 })).toBe("superseded");
  });
});

describe("dry run", () => {
  it("says what the rule would do to a case and changes nothing", async () => {
    const c = await openCase({ priority: "high" });
    const def = { name: "Dry", record: "case" as const, enabled: true, timeZone: "UTC", trigger: { kind: "created" as const }, conditions: { field: "priority", op: "=" as const, value: "high" }, actions: [{ do: "set" as const, field: "priority", value: "urgent" }, { do: "post" as const, to: "team-channel" as const, text: "{{case.ref}}" }] };
    const outboxBefore = await h.db.outbox.count();
    const ref = `CASE-${c.number}`;
    const result = await dryRun(h.deps, { definition: def }, ref);
    expect(result).toMatchObject({ ok: true, wouldFire: true });
    if (!result.ok) return;
    expect(result.actions[0]!.result).toMatch(/would set priority to urgent \(now high\)/);
    expect(result.actions[1]!.result).toMatch(/would post in team Support's channel/);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).priority).toBe("high");
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    expect(await dryRun(h.deps, { definition: def }, "CASE-999999")).toMatchObject({ ok: false });
    expect(await dryRun(h.deps, { definition: { ...def, record: "claim" } as never }, ref)).toMatchObject({ ok: false, reason: expect.stringMatching(/is a case/) });
  });
});
