import { describe, expect, it } from "vitest";
import type { RuleDefinitionInput, RuleProblem } from "../../src/domain/automation/definition.js";
import { EXAMPLE_RULES } from "../../src/domain/automation/examples.js";
import { checkRule } from "../../src/domain/automation/rule-check.js";

/** A valid case rule; override the part the test is about. */
function aRule(overrides: Record<string, unknown> = {}): RuleDefinitionInput {
  return {
    name: "Urgent cases: tell the team",
    record: "case",
    trigger: { kind: "saved", fields: ["priority"] },
    conditions: { field: "priority", op: "=", value: "urgent" },
    actions: [{ do: "post", to: "team-channel", text: "{{record.ref}} {{record.title}} is urgent" }],
    ...overrides,
  } as RuleDefinitionInput;
}

function problemsOf(input: unknown): RuleProblem[] {
  const result = checkRule(input);
  if (result.ok) throw new Error("expected problems, the rule passed");
  return result.problems;
}

describe("checkRule accepts", () => {
  it("a valid rule, with defaults applied", () => {
    const result = checkRule(aRule());
    expect(result).toMatchObject({ ok: true, rule: { enabled: false, timeZone: "UTC" } });
  });

  it("every shipped example, each switched off", () => {
    for (const example of EXAMPLE_RULES) {
      expect(checkRule(example), example.name).toMatchObject({ ok: true });
      expect(example.enabled).toBe(false);
    }
    expect(EXAMPLE_RULES.map((e) => e.name)).toEqual([
      "Lead converted: tell the salesperson",
      "Merge requested: tell the team manager",
      "Meeting in 5 minutes: remind attendees",
      "New case for a customer: acknowledge by email",
      "Contract ends in 30 days: tell its salesperson",
      "Partner joins GOLD: tell its salesperson",
    ]);
  });
});

describe("checkRule: shape problems (zod), in plain words at their path", () => {
  it("reports a missing name, an unknown record type, an unknown trigger and an unknown key", () => {
    const problems = problemsOf({ ...aRule({ name: "", record: "ticket", trigger: { kind: "sometimes" } }), colour: "red" });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: ["name"], message: "Give the rule a name." },
        { path: ["record"], message: '"ticket" is not allowed here: use one of case, claim, lead, opportunity, call, meeting, merge-request, contract, partner.' },
        { path: ["trigger", "kind"], message: '"sometimes" is not a known trigger: use one of created, saved, field-set, email-received, email-sent, time, after-created, after-updated.' },
        { path: ["colour"], message: 'Unknown key "colour": remove it or check its spelling.' },
      ]),
    );
  });

  it("reports a condition written in no known form", () => {
    expect(problemsOf(aRule({ conditions: { all: [{ field: "priority", op: "=", value: "high" }, { fild: "x" }] } }))).toEqual([
      { path: ["conditions", "all", 1], message: "Write a condition as field/op/value, or as all: [...], any: [...] or not: {...}." },
    ]);
  });

  it("reports a bad operator inside a condition at its own path", () => {
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "~" } }))[0]?.path).toEqual(["conditions", "op"]);
  });

  it("still checks the parts that parse when another part does not", () => {
    const problems = problemsOf(aRule({ actions: [{ do: "shout" }], conditions: { field: "priorty", op: "=", value: "high" } }));
    expect(problems.map((p) => p.path)).toEqual([["actions", 0, "do"], ["conditions", "field"]]);
  });

  it("reports a rule that is not a mapping", () => {
    expect(problemsOf("hello")[0]).toMatchObject({ path: [] });
  });
});

describe("checkRule: fields and operators against the record type", () => {
  it("names an unknown field with the closest one", () => {
    expect(problemsOf(aRule({ conditions: { field: "priorty", op: "=", value: "high" } }))).toEqual([
      { path: ["conditions", "field"], message: '"priorty" is not a field of a case; did you mean "priority"?' },
    ]);
  });

  it("checks the fields a saved trigger lists", () => {
    expect(problemsOf(aRule({ trigger: { kind: "saved", fields: ["stage", "asignee"] } }))[0]?.path).toEqual(["trigger", "fields", 1]);
  });

  it("allows >, >=, <, <= only on numbers and dates", () => {
    expect(problemsOf(aRule({ conditions: { field: "title", op: ">", value: "a" } }))).toEqual([
      { path: ["conditions", "op"], message: '">" does not apply to title (text): use one of =, !=, in, not-in, contains, not-contains, is-set, is-not-set.' },
    ]);
    expect(checkRule(aRule({ conditions: { all: [{ field: "level", op: ">=", value: 2 }, { field: "resolution-due", op: "<", value: "2026-12-01" }] } })).ok).toBe(true);
  });

  it("allows contains only on text and tags", () => {
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "contains", value: "hi" } }))[0]?.path).toEqual(["conditions", "op"]);
    expect(checkRule(aRule({ conditions: { field: "partner.categories", op: "contains", value: "GOLD" } })).ok).toBe(true);
  });

  it("lists the allowed values of an enum field", () => {
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "in", value: ["high", "hgh"] } }))).toEqual([
      { path: ["conditions", "value", 1], message: '"hgh" is not a value of priority: use one of low, medium, high, urgent.' },
    ]);
  });

  it("needs a list for in / not-in", () => {
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "not-in", value: "high" } }))[0]).toEqual({
      path: ["conditions", "value"],
      message: '"not-in" needs a list of values, like [low, medium].',
    });
  });

  it("needs no value for is-set", () => {
    expect(problemsOf(aRule({ conditions: { field: "partner", op: "is-set", value: "x" } }))[0]?.message).toBe('"is-set" takes no value: remove the value.');
  });

  it("needs one value for the other operators", () => {
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "=" } }))[0]?.path).toEqual(["conditions", "value"]);
    expect(problemsOf(aRule({ conditions: { field: "priority", op: "=", value: ["high"] } }))[0]?.message).toMatch(/not a list/);
  });

  it("checks values by kind: numbers, dates, yes/no, people", () => {
    const problems = problemsOf(
      aRule({
        conditions: {
          any: [
            { field: "level", op: ">", value: "two" },
            { field: "resolution-due", op: "<", value: "next week" },
            { field: "internal", op: "=", value: "maybe" },
            { field: "responsible", op: "=", value: "ana" },
          ],
        },
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([0, 1, 2, 3].map((i) => ["conditions", "any", i, "value"]));
  });

  it("checks the before condition too, on a saved trigger", () => {
    expect(problemsOf(aRule({ before: { not: { field: "stge", op: "=", value: "New" } } }))[0]?.path).toEqual(["before", "not", "field"]);
  });

  it("wants a date field for a time trigger", () => {
    const [problem] = problemsOf(aRule({ trigger: { kind: "time", field: "priority", offset: { amount: 1, unit: "days" } } }));
    expect(problem?.path).toEqual(["trigger", "field"]);
    expect(problem?.message).toMatch(/^A time rule counts from a date, and "priority" is a choice\. Dates here: created, updated, closed/);
  });

  it("checks a field-set trigger's value against the field", () => {
    expect(problemsOf(aRule({ record: "lead", trigger: { kind: "field-set", field: "type", value: "oportunity" }, conditions: undefined }))).toEqual([
      { path: ["trigger", "value"], message: '"oportunity" is not a value of type: use one of lead, opportunity.' },
    ]);
  });

  it("refuses before on created and time triggers, saying why", () => {
    for (const trigger of [{ kind: "created" }, { kind: "after-created", offset: { amount: 1, unit: "days" } }]) {
      const [problem] = problemsOf(aRule({ trigger, before: { field: "priority", op: "=", value: "low" } }));
      expect(problem?.path).toEqual(["before"]);
      expect(problem?.message).toMatch(/only when a record is saved \(as Odoo checks its before-update filter only on updates\)/);
    }
  });
});

describe("checkRule: actions", () => {
  it("sets only settable fields", () => {
    expect(problemsOf(aRule({ actions: [{ do: "set", field: "level", value: 2 }] }))).toEqual([
      { path: ["actions", 0, "field"], message: "A rule cannot set level; it can set responsible, team, priority, stage." },
    ]);
  });

  it("sets a case's priority to one of its values, a lead's to 0–3", () => {
    expect(problemsOf(aRule({ actions: [{ do: "set", field: "priority", value: "max" }] }))[0]?.path).toEqual(["actions", 0, "value"]);
    const lead = { record: "lead", trigger: { kind: "created" }, conditions: undefined };
    expect(checkRule(aRule({ ...lead, actions: [{ do: "set", field: "priority", value: 3 }] })).ok).toBe(true);
    expect(problemsOf(aRule({ ...lead, actions: [{ do: "set", field: "priority", value: 5 }] }))[0]?.message).toMatch(/0 \(low\)/);
  });

  it("sets the responsible person by email, and tags as a tag or a list", () => {
    expect(problemsOf(aRule({ actions: [{ do: "set", field: "responsible", value: "Ana" }] }))[0]?.message).toBe('responsible is a person: write their email, not "Ana".');
    const lead = { record: "lead", trigger: { kind: "created" }, conditions: undefined };
    expect(checkRule(aRule({ ...lead, actions: [{ do: "set", field: "tags", value: ["hot", "gold"] }, { do: "set", field: "tags", value: "vip" }] })).ok).toBe(true);
    expect(problemsOf(aRule({ ...lead, actions: [{ do: "set", field: "tags", value: [1] }] }))[0]?.path).toEqual(["actions", 0, "value"]);
  });

  it("DMs attendees only on meetings", () => {
    expect(problemsOf(aRule({ actions: [{ do: "dm", to: "attendees", text: "hi" }] }))[0]?.path).toEqual(["actions", 0, "to"]);
  });

  it("emails the customer only on cases, claims, leads and opportunities", () => {
    const email = { do: "email", to: "customer", subject: "Hello", body: "Hi" };
    expect(checkRule(aRule({ actions: [email] })).ok).toBe(true);
    expect(problemsOf(aRule({ record: "meeting", trigger: { kind: "created" }, conditions: undefined, actions: [email] }))[0]?.path).toEqual(["actions", 0, "to"]);
  });

  it("plans follow-ups only where someone is responsible, and not in the past", () => {
    const followUp = { do: "follow-up", kind: "call", title: "Call {{partner.name}}", in: { amount: 2, unit: "days" } };
    expect(checkRule(aRule({ actions: [followUp] })).ok).toBe(true);
    expect(problemsOf(aRule({ record: "merge-request", trigger: { kind: "created" }, conditions: undefined, actions: [followUp] }))[0]?.path).toEqual(["actions", 0, "do"]);
    expect(problemsOf(aRule({ actions: [{ ...followUp, in: { amount: -1, unit: "days" } }] }))[0]?.path).toEqual(["actions", 0, "in", "amount"]);
  });

  it("checks the placeholders of posts, DMs and emails at the text's path", () => {
    const problems = problemsOf(
      aRule({
        actions: [
          { do: "post", to: "team-channel", text: "{{case.subjet}}" },
          { do: "email", to: "responsible", subject: "{{case.ref}}", body: "{{partner.nam}}" },
        ],
      }),
    );
    expect(problems).toEqual([
      { path: ["actions", 0, "text"], message: "{{case.subjet}} is not a field of a case; did you mean {{case.title}}?" },
      { path: ["actions", 1, "body"], message: "{{partner.nam}} is not a field of a case; did you mean {{partner.name}}?" },
    ]);
  });

  it("wants watchers as email addresses", () => {
    expect(problemsOf(aRule({ actions: [{ do: "add-watchers", people: ["ana@example.com", "bo"] }] }))[0]?.path).toEqual(["actions", 0, "people", 1]);
  });
});

describe("checkRule: time zone and all problems at once", () => {
  it("wants an IANA time zone", () => {
    expect(problemsOf(aRule({ timeZone: "Mars/Olympus" }))).toEqual([
      { path: ["timeZone"], message: '"Mars/Olympus" is not a time zone: use an IANA name like Europe/Berlin or America/New_York.' },
    ]);
    expect(checkRule(aRule({ timeZone: "Europe/Berlin" })).ok).toBe(true);
  });

  it("returns every problem, not the first", () => {
    const problems = problemsOf(
      aRule({
        timeZone: "Nowhere",
        trigger: { kind: "time", field: "titel", offset: { amount: 1, unit: "days" } },
        conditions: { all: [{ field: "priority", op: "contains", value: "x" }, { field: "level", op: "in", value: 3 }] },
        actions: [{ do: "dm", to: "attendees", text: "{{case.nope}}" }],
      }),
    );
    expect(problems.map((p) => p.path.join("."))).toEqual([
      "timeZone",
      "trigger.field",
      "conditions.all.0.op",
      "conditions.all.1.value",
      "actions.0.to",
      "actions.0.text",
    ]);
  });
});
