import { describe, expect, it } from "vitest";
import { NEW_RULE_TEMPLATE, problemsText, RULE_TEXT_MAX } from "../../src/bot/views/rule-forms.js";
import { confirmDeleteView, describeAction, describeTrigger, dryRunView, ruleListView, RULES_PER_PAGE, type RuleSummary } from "../../src/bot/views/rule-views.js";
import type { RuleDefinition } from "../../src/domain/automation/definition.js";
import { parseRuleText } from "../../src/domain/automation/rule-file.js";

const now = new Date("2026-12-05T10:00:00Z");

function aRule(over: Partial<RuleDefinition> = {}): RuleDefinition {
  return { name: "Won deals", record: "opportunity", enabled: true, trigger: { kind: "field-set", field: "stage", value: "Won" }, actions: [{ do: "post", to: "team-channel", text: "{{lead.ref}} won" }], timeZone: "UTC", ...over };
}

function aSummary(n: number, over: Partial<RuleSummary> = {}): RuleSummary {
  return { id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, reference: `RULE-${String(n).padStart(4, "0")}`, version: 2, definition: aRule({ name: `Rule ${n}` }), lastFiredAt: null, fireCount: 0, lastWarning: null, ...over };
}

const textOf = (view: { blocks: { type: string }[] }) => JSON.stringify(view.blocks);

describe("how /crm rules describes a trigger", () => {
  it("reads every trigger kind as a sentence part", () => {
    expect(describeTrigger({ kind: "created" })).toBe("on creation");
    expect(describeTrigger({ kind: "saved" })).toBe("on any change");
    expect(describeTrigger({ kind: "saved", fields: ["stage", "priority"] })).toBe("when stage or priority changes");
    expect(describeTrigger({ kind: "field-set", field: "stage", value: "Won" })).toBe("when stage becomes Won");
    expect(describeTrigger({ kind: "email-received" })).toBe("when an email is received");
    expect(describeTrigger({ kind: "email-sent" })).toBe("when an email is sent");
    expect(describeTrigger({ kind: "time", field: "start", offset: { amount: -5, unit: "minutes" } })).toBe("5 minutes before start");
    expect(describeTrigger({ kind: "after-created", offset: { amount: 30, unit: "days" } })).toBe("30 days after creation");
    expect(describeTrigger({ kind: "after-updated", offset: { amount: 1, unit: "months" } })).toBe("1 month after the last change, if nothing changed since");
  });
});

describe("how /crm rules describes an action", () => {
  it("gives one short line per action kind, long texts cut", () => {
    expect(describeAction({ do: "dm", to: "team-manager", text: "{{merge-request.ref}} needs you" })).toBe("DM the team manager: “{{merge-request.ref}} needs you”");
    expect(describeAction({ do: "email", to: "customer", subject: "We got it", body: "…" })).toBe("email the customer: “We got it”");
    expect(describeAction({ do: "set", field: "tags", value: ["vip", "gold"] })).toBe("set tags to vip, gold");
    expect(describeAction({ do: "add-watchers", people: ["ana@example.com"] })).toBe("add watchers ana@example.com");
    expect(describeAction({ do: "follow-up", kind: "call", title: "Call back", in: { amount: 2, unit: "days" } })).toBe("plan a call “Call back” 2 days later");
    expect(describeAction({ do: "webhook", url: "https://example.com/hook" })).toBe("call the webhook https://example.com/hook");
    expect(describeAction({ do: "post", to: "team-channel", text: "x".repeat(200) }).length).toBeLessThan(100);
  });

  it("keeps operators readable but defuses what Slack would read as a mention or link", () => {
    const view = ruleListView({ rules: [aSummary(1, { definition: aRule({ conditions: { field: "probability", op: "<=", value: 50 }, actions: [{ do: "post", to: "team-channel", text: "<!channel> won" }] }) })], page: 0, total: 1, examples: [], timeZone: "UTC", now });
    expect(textOf(view)).toContain("If: probability <= 50");
    expect(textOf(view)).toContain("“‹!channel> won”");
  });
});

describe("the rule list", () => {
  it("shows each rule's reference, type, trigger, conditions, actions, state, firings and warning, with its buttons at its version", () => {
    const rule = aSummary(7, {
      definition: aRule({ conditions: { field: "expected-revenue", op: ">", value: 10000 } }),
      lastFiredAt: new Date("2026-12-04T09:30:00Z"),
      fireCount: 3,
      lastWarning: "A chain of rules stopped at depth 5",
    });
    const view = ruleListView({ rules: [rule], page: 0, total: 1, examples: [], timeZone: "UTC", now });
    const text = textOf(view);
    expect(text).toContain("*RULE-0007* Won deals · opportunity · 🟢 on");
    expect(text).toContain("When: when stage becomes Won");
    expect(text).toContain("If: expected-revenue > 10000");
    expect(text).toContain("→ post to the team channel: “{{lead.ref}} won”");
    expect(text).toContain("last fired Fri 4 Dec, 09:30, 3 times in all");
    expect(text).toContain("⚠️ A chain of rules stopped at depth 5");
    const buttons = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
    expect(buttons.filter((b) => b.value === `${rule.id}:2`).map((b) => b.label)).toEqual(["Edit", "Switch off", "Dry run", "Delete"]);
    expect(buttons.find((b) => b.label === "Delete")?.style).toBe("danger");
  });

  it("stays within Slack's 50 blocks with a full page of rules that all have warnings, and offers More", () => {
    const rules = Array.from({ length: RULES_PER_PAGE }, (_, i) => aSummary(i + 1, { lastWarning: "warned" }));
    const view = ruleListView({ rules, page: 0, total: 25, examples: ["Example A", "Example B"], timeZone: "UTC", now });
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    const bottom = view.blocks.at(-1);
    expect(bottom).toMatchObject({ type: "actions" });
    const labels = bottom?.type === "actions" ? bottom.actions.map((a) => [a.label, a.value]) : [];
    expect(labels).toEqual([["New rule", undefined], ["More", "1"], ["Add example: Example A", "Example A"], ["Add example: Example B", "Example B"]]);
    expect(view.text).toBe("Automation rules: 1–10 of 25");
  });

  it("offers no More on the last page", () => {
    const view = ruleListView({ rules: [aSummary(21)], page: 2, total: 21, examples: [], timeZone: "UTC", now });
    expect(textOf(view)).not.toContain('"More"');
    expect(view.text).toBe("Automation rules: 21–21 of 21");
  });
});

describe("delete and dry run answers", () => {
  it("asks to confirm a delete with a button naming the rule, at its version", () => {
    const view = confirmDeleteView(aSummary(7));
    const confirm = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []))[0];
    expect(confirm).toMatchObject({ id: "rule.delete-confirm", label: "Yes, delete RULE-0007", value: `${aSummary(7).id}:2`, style: "danger" });
  });

  it("shows whether the rule would fire, why, and what each action would do", () => {
    const view = dryRunView("RULE-0007", "Won deals", { record: "OPP-0042", wouldFire: true, why: ["✓ stage = Won (is Won)"], actions: [{ action: "post to the team channel", result: "would post “OPP-0042 won” to #sales" }] });
    expect(view.text).toBe("✅ RULE-0007 would fire on OPP-0042 now.");
    expect(textOf(view)).toContain("✓ stage = Won (is Won)");
    expect(textOf(view)).toContain("→ post to the team channel: would post “OPP-0042 won” to #sales");
  });
});

describe("the rule form", () => {
  it("lists at most 10 problems with their lines, then how many more", () => {
    const problems = Array.from({ length: 13 }, (_, i) => ({ line: i + 2, column: 3, path: "", message: `problem ${i}` }));
    const text = problemsText(problems);
    expect(text.split("\n")).toHaveLength(11);
    expect(text).toMatch(/^line 2: problem 0\n/);
    expect(text).toMatch(/…and 3 more$/);
  });

  it("starts a new rule from a template that fits Slack's limit and is itself a valid rule", () => {
    expect(NEW_RULE_TEMPLATE.length).toBeLessThanOrEqual(RULE_TEXT_MAX);
    for (const word of ["field-set", "email-received", "email-sent", "after-created", "after-updated", "time", "not-contains", "is-not-set", "webhook", "follow-up", "add-watchers"]) expect(NEW_RULE_TEMPLATE).toContain(word);
    const parsed = parseRuleText(NEW_RULE_TEMPLATE);
    expect(parsed).toMatchObject({ ok: true, rule: { name: "New rule", record: "case", enabled: false, trigger: { kind: "created" } } });
  });
});
