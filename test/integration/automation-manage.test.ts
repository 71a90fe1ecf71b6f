// /crm rules and `admin rule …`: admins list, write, edit, switch, delete, try and import automation rules.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { RULE_DRY_RUN_FORM_ID, RULE_FORM_ID } from "../../src/bot/views/rule-forms.js";
import type { Action, Form, MessageView, Reply } from "../../src/bot/views/view.js";
import { EXAMPLE_RULES } from "../../src/domain/automation/examples.js";
import { serializeRule } from "../../src/domain/automation/rule-file.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand, type AdminContext, type AdminResult } from "../../src/handlers/admin/index.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { privateViewOf, readAll } from "../support/replies.js";

const slack = { commandPrefix: "/crm " };
const cli: AdminContext = { surface: "cli", invocation: "npm run admin --" };
const REFUSAL = "Only an admin can see and change automation rules.";

const viewOf = privateViewOf;

function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}

const buttonsOf = (view: MessageView): Action[] => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));

function ruleText(name: string, over: { record?: string; trigger?: string; enabled?: boolean; text?: string } = {}): string {
  return [
    `name: ${name}`,
    `record: ${over.record ?? "case"}`,
    `enabled: ${over.enabled ?? false}`,
    `trigger: ${over.trigger ?? "{ kind: created }"}`,
    "conditions: { field: priority, op: in, value: [high, urgent] }",
    "actions:",
    `  - { do: post, to: team-channel, text: "${over.text ?? "Urgent: {{case.ref}} {{case.title}}"}" }`,
    "",
  ].join("\n");
}

/** Rule texts as a YAML list: the first line of each after "- ", the others indented under it. */
const fileOf = (texts: string[]) => texts.map((t) => t.trimEnd().split("\n").map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`)).join("\n")).join("\n") + "\n";

async function cliRun(h: HandlerHarness, ...tokens: string[]): Promise<AdminResult> {
  const plan = planAdminCommand(tokens, cli);
  if (plan.kind !== "run") throw new Error(`not runnable: ${JSON.stringify(plan)}`);
  return performAdminCommand(h.deps, COMMAND_LINE_ACTOR, plan, cli);
}

describe("automation rules for admins", () => {
  let h: HandlerHarness;
  let admin: Who;
  let manager: Who;
  let dir: string;

  const list = async (page?: string) => viewOf(page === undefined ? await runCommand(h.deps, admin, "rules", slack) : await runAction(h.deps, admin, "rule.list", page));
  const submitRule = (text: string, context: Record<string, string> = {}, who = admin) => submitForm(h.deps, who, RULE_FORM_ID, { rule: text }, context);
  const ruleNamed = (name: string) => h.db.automationRule.findUniqueOrThrow({ where: { name } });
  const valueOf = (rule: { id: string; version: number }) => `${rule.id}:${rule.version}`;

  beforeAll(async () => {
    h = await handlerHarness();
    admin = await aPerson(h.db, { role: "admin" });
    manager = await aPerson(h.db, { role: "manager" });
    dir = mkdtempSync(path.join(os.tmpdir(), "switchboard-rules-"));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h?.close();
  });

  it("refuses a non-admin the list, the forms, a submit and every button, with the reason, privately", async () => {
    const rule = await h.db.automationRule.create({ data: { name: "Guarded", recordType: "case", triggerKind: "created", definition: { name: "Guarded", record: "case", enabled: false, trigger: { kind: "created" }, actions: [{ do: "post", to: "team-channel", text: "x" }], timeZone: "UTC" } } });
    const answers = [
      await runCommand(h.deps, manager, "rules", slack),
      await runAction(h.deps, manager, "rule.new", ""),
      await runAction(h.deps, manager, "rule.edit", valueOf(rule)),
      await runAction(h.deps, manager, "rule.toggle", valueOf(rule)),
      await runAction(h.deps, manager, "rule.dry-run", valueOf(rule)),
      await runAction(h.deps, manager, "rule.delete", valueOf(rule)),
      await runAction(h.deps, manager, "rule.delete-confirm", valueOf(rule)),
      await runAction(h.deps, manager, "rule.add-example", EXAMPLE_RULES[0]!.name),
      await submitRule(ruleText("Sneaky"), {}, manager),
      await submitForm(h.deps, manager, RULE_DRY_RUN_FORM_ID, { record: "CASE-1" }, { ruleId: rule.id }),
    ];
    for (const answer of answers) expect(viewOf(answer).text).toBe(REFUSAL);
    expect(await h.db.automationRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ enabled: false, version: 0 });
    expect(await h.db.automationRule.count({ where: { name: { in: ["Sneaky", EXAMPLE_RULES[0]!.name] } } })).toBe(0);
    await h.db.automationRule.delete({ where: { id: rule.id } });
  });

  it("answers a rule with mistakes with every problem and its line on the field, and stores nothing", async () => {
    const text = ["name: Broken", "record: case", "trigger: { kind: field-set, field: stag, value: Won }", "actions:", "  - { do: dm, to: responsible, text: \"{{case.subjet}}\" }", ""].join("\n");
    const reply = await submitRule(text);
    expect(reply.kind).toBe("errors");
    const error = reply.kind === "errors" ? reply.errors.rule! : "";
    expect(error).toMatch(/^line 3: .*stag/m);
    expect(error).toMatch(/^line 5: .*case\.subjet/m);
    expect(await h.db.automationRule.count()).toBe(0);
    const yaml = await submitRule("name: [unclosed");
    expect(yaml.kind === "errors" && yaml.errors.rule).toMatch(/^line 1: /);
  });

  it("opens a new rule on the commented template, and creates a rule from the form, switched off, audited", async () => {
    const form = formOf(await runAction(h.deps, admin, "rule.new", ""));
    expect(form.fields[0]).toMatchObject({ id: "rule", kind: "textarea", maxLength: 3000 });
    expect(form.fields[0]!.initial).toContain("# kind: after-updated");
    expect(form.intro).toContain("do not fire retroactively");
    const done = await submitRule(ruleText("Urgent cases"), form.context ?? {});
    expect(done.kind).toBe("done");
    expect(viewOf(done).text).toMatch(/^RULE-\d{4} “Urgent cases” is created\.$/);
    const rule = await ruleNamed("Urgent cases");
    expect(rule).toMatchObject({ recordType: "case", triggerKind: "created", enabled: false, version: 0, scheduledVersion: -1, createdById: admin.user.id, updatedById: admin.user.id });
    expect(rule.definition).toMatchObject({ name: "Urgent cases", conditions: { field: "priority", op: "in", value: ["high", "urgent"] } });
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "rule", recordId: rule.id } })).toMatchObject({ kind: "admin", actorId: admin.user.id, summary: expect.stringContaining("“Urgent cases” created") });
  });

  it("does not create a second rule when the form is submitted twice", async () => {
    const first = await submitRule(ruleText("Twice"));
    const second = await submitRule(ruleText("Twice"));
    expect(first.kind).toBe("done");
    expect(second).toMatchObject({ kind: "errors", errors: { rule: expect.stringContaining("There is already a rule named “Twice”") } });
    const racing = await Promise.all([submitRule(ruleText("Raced")), submitRule(ruleText("Raced"))]);
    expect(racing.map((r) => r.kind).sort()).toEqual(["done", "errors"]);
    expect(await h.db.automationRule.count({ where: { name: { in: ["Twice", "Raced"] } } })).toBe(2);
  });

  it("edits a rule on its YAML: a new version, the schedule left to catch up, and a form opened on an older version refused", async () => {
    const rule = await ruleNamed("Urgent cases");
    const form = formOf(await runAction(h.deps, admin, "rule.edit", valueOf(rule)));
    expect(form.title).toMatch(/^Edit RULE-\d{4}$/);
    expect(form.fields[0]!.initial).toBe(serializeRule(rule.definition as never));
    const edited = await submitRule(ruleText("Urgent cases", { text: "Very urgent: {{case.ref}}" }), form.context);
    expect(viewOf(edited).text).toMatch(/“Urgent cases” is saved \(version 1\)/);
    const after = await ruleNamed("Urgent cases");
    expect(after).toMatchObject({ version: 1, scheduledVersion: -1, updatedById: admin.user.id });
    expect(JSON.stringify(after.definition)).toContain("Very urgent");
    const stale = await submitRule(ruleText("Urgent cases", { text: "Lost edit {{case.ref}}" }), form.context);
    expect(stale).toMatchObject({ kind: "errors", errors: { rule: expect.stringContaining("changed by someone else") } });
    const clash = await submitRule(ruleText("twice"), { ruleId: after.id, version: "1" });
    expect(clash).toMatchObject({ kind: "errors", errors: { rule: expect.stringContaining("There is already a rule named “Twice”") } });
    expect(await ruleNamed("Urgent cases")).toMatchObject({ version: 1 });
  });

  it("switches a rule on once from a list, and a stale list's button does nothing but say so", async () => {
    const rule = await ruleNamed("Urgent cases");
    const shown = await list();
    const toggle = buttonsOf(shown).find((b) => b.id === "rule.toggle" && b.value === valueOf(rule))!;
    expect(toggle.label).toBe("Switch on");
    const on = viewOf(await runAction(h.deps, admin, "rule.toggle", toggle.value!));
    expect(on.text).toMatch(/“Urgent cases” is on\.$/);
    expect(await ruleNamed("Urgent cases")).toMatchObject({ enabled: true, version: 2, definition: expect.objectContaining({ enabled: true }) });
    const again = viewOf(await runAction(h.deps, admin, "rule.toggle", toggle.value!));
    expect(again.text).toBe("This rule changed since the list was shown — run /crm rules again.");
    expect(await ruleNamed("Urgent cases")).toMatchObject({ enabled: true, version: 2 });
    expect(await h.db.timelineEntry.count({ where: { recordType: "rule", recordId: rule.id, summary: { contains: "switched on" } } })).toBe(1);
  });

  it("lists every rule with its trigger, conditions, actions and state", async () => {
    const text = readAll(await list());
    expect(text).toMatch(/\*RULE-\d{4}\* Urgent cases · case · 🟢 on/);
    expect(text).toContain("When: on creation");
    expect(text).toContain("If: priority in (high, urgent)");
    expect(text).toContain("→ post to the team channel: “Very urgent: {{case.ref}}”");
    expect(text).toContain("never fired");
  });

  it("deletes a rule only after the confirmation, acting on its current version", async () => {
    const rule = await ruleNamed("Twice");
    const ask = viewOf(await runAction(h.deps, admin, "rule.delete", valueOf(rule)));
    const confirm = buttonsOf(ask)[0]!;
    expect(confirm).toMatchObject({ id: "rule.delete-confirm", style: "danger", value: valueOf(rule) });
    expect(confirm.label).toMatch(/^Yes, delete RULE-\d{4}$/);
    expect(await h.db.automationRule.count({ where: { id: rule.id } })).toBe(1);
    const done = viewOf(await runAction(h.deps, admin, "rule.delete-confirm", confirm.value!));
    expect(done.text).toMatch(/“Twice” is deleted\.$/);
    expect(await h.db.automationRule.count({ where: { id: rule.id } })).toBe(0);
    expect(viewOf(await runAction(h.deps, admin, "rule.delete-confirm", confirm.value!)).text).toBe("That rule no longer exists — run /crm rules again.");
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "rule", recordId: rule.id, summary: { contains: "deleted" } } })).toMatchObject({ actorId: admin.user.id });
  });

  it("adds a shipped example switched off, and no longer offers it", async () => {
    const example = EXAMPLE_RULES[1]!;
    const offered = buttonsOf(await list()).filter((b) => b.id === "rule.add-example").map((b) => b.value);
    expect(offered).toEqual(EXAMPLE_RULES.map((e) => e.name));
    const added = viewOf(await runAction(h.deps, admin, "rule.add-example", example.name));
    expect(added.text).toMatch(/is added, switched off\.$/);
    expect(await ruleNamed(example.name)).toMatchObject({ enabled: false, recordType: example.record });
    expect(buttonsOf(await list()).filter((b) => b.id === "rule.add-example").map((b) => b.value)).not.toContain(example.name);
    expect(viewOf(await runAction(h.deps, admin, "rule.add-example", example.name)).text).toContain("There is already a rule named");
  });

  it("tries a rule on a case and says what it would do, changing nothing", async () => {
    const team = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT" } });
    const ana = await aPerson(h.db, { teamIds: [team.id] });
    viewOf(await runCommand(h.deps, ana, "case printer is on fire !urgent", slack));
    const c = await h.db.case.findFirstOrThrow({ where: { subject: { contains: "printer" } } });
    const ref = `CASE-${c.number}`;
    const rule = await ruleNamed("Urgent cases");
    const form = formOf(await runAction(h.deps, admin, "rule.dry-run", valueOf(rule)));
    expect(form.fields.map((f) => f.id)).toEqual(["record"]);
    const firingsBefore = await h.db.ruleFiring.count();
    const outboxBefore = await h.db.outbox.count();
    const reply = await submitForm(h.deps, admin, RULE_DRY_RUN_FORM_ID, { record: ref }, form.context ?? {});
    const view = viewOf(reply);
    expect(view.text).toMatch(/^✅ RULE-\d{4} would fire on CASE-0*\d+ now\.$/);
    expect(readAll(view)).toContain("priority");
    expect(readAll(view)).toMatch(/→ post: /);
    expect(await h.db.ruleFiring.count()).toBe(firingsBefore);
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    const unknown = await submitForm(h.deps, admin, RULE_DRY_RUN_FORM_ID, { record: "CASE-99999" }, form.context ?? {});
    expect(unknown).toMatchObject({ kind: "errors", errors: { record: expect.stringContaining("CASE-99999") } });
  });

  it("imports nothing from a file with mistakes, and lists every problem with its place", async () => {
    const before = await h.db.automationRule.findMany({ orderBy: { number: "asc" } });
    const file = path.join(dir, "broken.yaml");
    writeFileSync(file, fileOf([ruleText("Fine one"), ruleText("Bad one", { trigger: "{ kind: time, field: created, offset: { amount: 5, unit: weeks } }" }), ruleText("Bad two", { text: "{{case.subjet}}" })]));
    const result = await cliRun(h, "rule", "import", file);
    expect(result.ok).toBe(false);
    const message = result.ok ? "" : result.message;
    expect(message).toContain("nothing was changed");
    const lines = message.split("\n").slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${file}:11:69: rule "Bad one": trigger.offset.unit: "weeks" is not allowed here: use one of minutes, hours, days, months.`);
    expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:21:\\d+: rule "Bad two": actions\\[0\\]\\.text: .*case\\.subjet`));
    expect(await h.db.automationRule.findMany({ orderBy: { number: "asc" } })).toEqual(before);
  });

  it("imports a file in one go (created, updated, unchanged; a dry run first), and exports what it imported", async () => {
    const file = path.join(dir, "rules.yaml");
    const existing = await ruleNamed("Urgent cases");
    const rules = [
      ...Array.from({ length: 11 }, (_, i) => ruleText(`Imported ${String(i + 1).padStart(2, "0")}`)),
      ruleText("Urgent cases", { enabled: true, text: "Imported text {{case.ref}}" }),
      ruleText("Raced"),
    ];
    writeFileSync(file, fileOf(rules));
    const dry = await cliRun(h, "rule", "import", file, "--dry-run=yes");
    expect(dry.ok && readAll(dry.view)).toContain("would create “Imported 01”");
    expect(await h.db.automationRule.count({ where: { name: { startsWith: "Imported" } } })).toBe(0);

    const done = await cliRun(h, "rule", "import", file);
    const text = done.ok ? readAll(done.view) : (done as { message: string }).message;
    expect(text).toMatch(/created RULE-\d{4} “Imported 11” \(off\)/);
    expect(text).toMatch(/updated RULE-\d{4} “Urgent cases” \(version 3, on\)/);
    expect(text).toMatch(/unchanged RULE-\d{4} “Raced”/);
    expect(await ruleNamed("Urgent cases")).toMatchObject({ id: existing.id, version: 3, scheduledVersion: -1, updatedById: null });
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "rule", recordId: existing.id, summary: { contains: "(from the command line)" } } })).toMatchObject({ actorId: null });

    const out = path.join(dir, "export.yaml");
    expect(await cliRun(h, "rule", "export", "--file", out)).toMatchObject({ ok: true });
    const again = await cliRun(h, "rule", "import", out);
    expect(again.ok && readAll(again.view)).not.toMatch(/created|updated/);
    const stdout = await cliRun(h, "rule", "export");
    expect(stdout.ok && stdout.data).toBe(readFileSync(out, "utf8"));
  });

  it("pages the chat list by 10 with a More button", async () => {
    const total = await h.db.automationRule.count();
    expect(total).toBeGreaterThan(10);
    const first = await list();
    const more = buttonsOf(first).find((b) => b.id === "rule.list")!;
    expect(more).toMatchObject({ label: "More", value: "1" });
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    const second = await list(more.value);
    expect(second.text).toBe(`Automation rules: 11–${total} of ${total}`);
  });

  it("switches and deletes rules by reference or name from the command line, and lists them as text", async () => {
    const rule = await ruleNamed("Imported 01");
    const reference = `RULE-${String(rule.number).padStart(4, "0")}`;
    expect(await cliRun(h, "rule", "on", reference)).toMatchObject({ ok: true });
    expect(await ruleNamed("Imported 01")).toMatchObject({ enabled: true, version: 1, scheduledVersion: -1 });
    expect(await cliRun(h, "rule", "on", "imported 01")).toMatchObject({ ok: true, view: { text: `${reference} “Imported 01” is already on.` } });
    expect(await cliRun(h, "rule", "off", "Imported 01")).toMatchObject({ ok: true });
    expect(await cliRun(h, "rule", "delete", reference)).toMatchObject({ ok: true });
    expect(await h.db.automationRule.count({ where: { id: rule.id } })).toBe(0);
    expect(await cliRun(h, "rule", "off", "No such rule")).toMatchObject({ ok: false, message: expect.stringContaining("no rule No such rule") });
    const listed = await cliRun(h, "rule", "list");
    expect(listed.ok && readAll(listed.view)).toMatch(/Urgent cases · case · 🟢 on/);
    const chat = await runCommand(h.deps, admin, "admin rule import rules.yaml", slack);
    expect(viewOf(chat).text).toContain("works on the command line only");
  });

  it("prints the webhook signing key on the command line (the same key each time), and never in chat", async () => {
    const first = await cliRun(h, "rule", "webhook-secret");
    const again = await cliRun(h, "rule", "webhook-secret");
    expect(first.ok && typeof first.data === "string" && /^[0-9a-f]{64}$/.test(first.data)).toBe(true);
    expect(again.ok && again.data).toBe(first.ok && first.data);
    const chat = await runCommand(h.deps, admin, "admin rule webhook-secret", slack);
    expect(viewOf(chat).text).toContain("works on the command line only");
    expect(JSON.stringify(chat)).not.toContain(first.ok ? String(first.data) : "-");
  });
});
