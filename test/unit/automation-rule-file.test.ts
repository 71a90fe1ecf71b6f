import { describe, expect, it } from "vitest";
import type { RuleDefinition } from "../../src/domain/automation/definition.js";
import { EXAMPLE_RULES } from "../../src/domain/automation/examples.js";
import { MAX_RULES, parseRuleFile, parseRuleText, serializeRule, serializeRules, type FileProblem } from "../../src/domain/automation/rule-file.js";

function problemsOf(result: { ok: true } | { ok: false; problems: FileProblem[] }): FileProblem[] {
  if (result.ok) throw new Error("expected problems, the file passed");
  return result.problems;
}

const GOOD = `# two rules
- name: Urgent cases
  record: case
  trigger: { kind: created }
  actions:
    - do: post
      to: team-channel
      text: "{{case.ref}} is urgent"
- name: Hot leads
  record: lead
  enabled: true
  trigger:
    kind: field-set
    field: priority
    value: 3
  actions:
    - { do: dm, to: responsible, text: "{{lead.title}} is hot" }
`;

describe("parseRuleFile reads", () => {
  it("a YAML list of rules", () => {
    const result = parseRuleFile(GOOD);
    expect(result.ok && result.rules.map((r) => [r.name, r.enabled, r.timeZone])).toEqual([
      ["Urgent cases", false, "UTC"],
      ["Hot leads", true, "UTC"],
    ]);
  });

  it("rules under a rules: key, and a single rule's mapping", () => {
    const wrapped = `rules:\n${GOOD.replace(/^/gm, "  ")}`;
    expect(parseRuleFile(wrapped)).toMatchObject({ ok: true, rules: [{ name: "Urgent cases" }, { name: "Hot leads" }] });
    expect(parseRuleFile(serializeRule(EXAMPLE_RULES[0]!))).toEqual({ ok: true, rules: [EXAMPLE_RULES[0]] });
  });
});

describe("parseRuleFile problems carry the line and column of their place", () => {
  it("places each rule's problems on the line of the faulty value", () => {
    const text = GOOD.replace('text: "{{case.ref}} is urgent"', 'text: "{{case.rf}} is urgent"').replace("field: priority", "field: priorty");
    expect(problemsOf(parseRuleFile(text))).toEqual([
      {
        line: 8,
        column: 13,
        rule: "Urgent cases",
        path: "[0].actions[0].text",
        message: "{{case.rf}} is not a field of a case; did you mean {{case.ref}}?",
      },
      { line: 14, column: 12, rule: "Hot leads", path: "[1].trigger.field", message: '"priorty" is not a field of a lead; did you mean "priority"?' },
    ]);
  });

  it("places a missing key at the rule that lacks it", () => {
    const text = `- name: No actions\n  record: case\n  trigger: { kind: created }\n`;
    expect(problemsOf(parseRuleFile(text))).toEqual([{ line: 1, column: 3, rule: "No actions", path: "[0].actions", message: "Missing: actions (array)." }]);
  });

  it("places problems under rules: with their full path", () => {
    const text = `rules:\n  - name: Bad zone\n    record: case\n    trigger: { kind: created }\n    actions: [{ do: webhook, url: "https://example.com/hook" }]\n    timeZone: Europe/Berln\n`;
    expect(problemsOf(parseRuleFile(text))).toMatchObject([{ line: 6, column: 15, path: "rules[0].timeZone" }]);
  });

  it("reports YAML syntax errors with their line", () => {
    const problems = problemsOf(parseRuleFile(`- name: A\n  record: case\n  trigger: { kind: created\n  actions: []\n`));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]?.path).toBe("");
  });

  it("reports a key written twice", () => {
    const problems = problemsOf(parseRuleFile(`- name: A\n  name: B\n  record: case\n`));
    expect(problems[0]).toMatchObject({ line: 2 });
  });

  it("reports duplicate names at the second rule's name", () => {
    const text = GOOD.replace("name: Hot leads", "name: urgent cases");
    expect(problemsOf(parseRuleFile(text))).toEqual([
      { line: 9, column: 9, rule: "urgent cases", path: "[1].name", message: "Rule #1 has this name already; names must be unique." },
    ]);
  });

  it("refuses an empty file, a file with only comments, and a file that is not a list of rules", () => {
    expect(problemsOf(parseRuleFile(""))[0]?.message).toMatch(/empty/);
    expect(problemsOf(parseRuleFile("# nothing yet\n"))[0]?.message).toMatch(/empty/);
    expect(problemsOf(parseRuleFile("[]"))[0]?.message).toBe("The file holds no rules.");
    expect(problemsOf(parseRuleFile("just words"))[0]?.message).toMatch(/YAML list/);
  });

  it(`refuses more than ${MAX_RULES} rules and files over 1 MB`, () => {
    const many = Array.from({ length: MAX_RULES + 1 }, (_, i) => `- { name: r${i}, record: case, trigger: { kind: created }, actions: [{ do: webhook, url: "https://x.example" }] }`).join("\n");
    expect(problemsOf(parseRuleFile(many))[0]?.message).toBe(`A file holds at most ${MAX_RULES} rules; this one has ${MAX_RULES + 1}.`);
    expect(problemsOf(parseRuleFile(`# ${"x".repeat(1_000_001)}`))[0]).toMatchObject({ line: 1, message: "The file is larger than 1 MB." });
  });
});

describe("parseRuleText: one rule, as in the chat form", () => {
  it("reads a mapping", () => {
    expect(parseRuleText(serializeRule(EXAMPLE_RULES[2]!))).toEqual({ ok: true, rule: EXAMPLE_RULES[2] });
  });

  it("places problems at their line", () => {
    const text = `name: Reminder\nrecord: meeting\ntrigger:\n  kind: time\n  field: start\n  offset: { amount: -5, unit: minute }\nactions:\n  - { do: dm, to: attendees, text: hi }\n`;
    expect(problemsOf(parseRuleText(text))).toEqual([
      { line: 6, column: 31, rule: "Reminder", path: "trigger.offset.unit", message: '"minute" is not allowed here: use one of minutes, hours, days, months.' },
    ]);
  });

  it("refuses two rules", () => {
    expect(problemsOf(parseRuleText(GOOD))[0]?.message).toBe("Give one rule here, not 2.");
  });
});

describe("serializing rules", () => {
  const berlin: RuleDefinition = {
    ...EXAMPLE_RULES[3]!,
    name: "Gold customers: tell the manager",
    enabled: true,
    trigger: { kind: "saved", fields: ["priority", "stage"] },
    before: { field: "priority", op: "in", value: ["low", "medium"] },
    conditions: { all: [{ field: "priority", op: ">=" as never, value: "high" }, { not: { field: "partner.categories", op: "contains", value: "GOLD" } }] },
    timeZone: "Europe/Berlin",
  };

  it("round-trips: serialize, then parse, gives the same definitions", () => {
    const rules = [...EXAMPLE_RULES, { ...berlin, conditions: { field: "partner.categories", op: "contains" as const, value: "GOLD" } }];
    expect(parseRuleFile(serializeRules(rules))).toEqual({ ok: true, rules });
  });

  it("writes a header on how to import, keys in reading order, and no time zone when UTC", () => {
    const text = serializeRules([EXAMPLE_RULES[2]!]);
    expect(text).toMatch(/^# Switchboard automation rules \(1\)\.\n# Import with: npm run admin -- rule import <file>/);
    const keys = text.split("\n").filter((l) => /^ {4}\w+:/.test(l)).map((l) => l.trim().split(":")[0]);
    expect(keys).toEqual(["record", "enabled", "trigger", "conditions", "actions"]);
    expect(text).not.toContain("timeZone");
  });

  it("keeps a non-UTC time zone last, and short lists on one line", () => {
    const text = serializeRule({ ...berlin, conditions: undefined });
    expect(text.trimEnd().split("\n").at(-1)).toBe("timeZone: Europe/Berlin");
    expect(text).toContain("fields: [ priority, stage ]");
    expect(text).toMatch(/^# A Switchboard automation rule/);
  });

  it("orders keys even when the stored definition's keys come in another order (jsonb)", () => {
    const shuffled = JSON.parse('{"actions":[{"text":"hi","to":"attendees","do":"dm"}],"trigger":{"offset":{"unit":"minutes","amount":-5},"field":"start","kind":"time"},"timeZone":"UTC","enabled":false,"record":"meeting","name":"R"}');
    expect(serializeRule(shuffled)).toContain("name: R\nrecord: meeting\nenabled: false\ntrigger:\n  kind: time\n  field: start\n  offset:\n    amount: -5\n    unit: minutes\nactions:\n  - do: dm\n    to: attendees\n    text: hi\n");
  });
});
