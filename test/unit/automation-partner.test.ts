// Automation rules on partners: the catalog (the partner is the record: no partner.* or team.*), placeholders,
// conditions and triggers on its categories, and the save-time errors for what a partner has not (team, watchers).
import { describe, expect, it } from "vitest";
import { evaluateCondition } from "../../src/domain/automation/conditions.js";
import type { RuleDefinitionInput } from "../../src/domain/automation/definition.js";
import { EXAMPLE_RULES } from "../../src/domain/automation/examples.js";
import { fieldsOf, type RecordSnapshot } from "../../src/domain/automation/fields.js";
import { momentOf } from "../../src/domain/automation/moments.js";
import { checkRule } from "../../src/domain/automation/rule-check.js";
import { renderTemplate, templateProblems } from "../../src/domain/automation/templates.js";
import { triggerFires } from "../../src/domain/automation/trigger-match.js";

function aPartner(fields: Partial<RecordSnapshot["fields"]> = {}): RecordSnapshot {
  return {
    type: "partner",
    id: "p1",
    ref: "Initech AG",
    fields: {
      ref: "Initech AG",
      title: "Initech AG",
      name: "Initech AG",
      kind: "company",
      email: "info@initech.test",
      phone: null,
      country: "DE",
      industry: "Software",
      customer: true,
      supplier: false,
      responsible: "ana@example.com",
      categories: ["GOLD", "Reseller"],
      parent: null,
      created: "2026-12-01T09:00:00.000Z",
      updated: "2026-12-01T09:00:00.000Z",
      "responsible.email": "ana@example.com",
      "responsible.name": "Ana Silva",
      "responsible.role": "agent",
      ...fields,
    },
    teamId: null,
    responsibleId: "u1",
    partnerId: "p1",
    customerEmail: "info@initech.test",
    watcherUserIds: [],
    watcherEmails: [],
    attendeeUserIds: [],
    createdAt: "2026-12-01T09:00:00.000Z",
    updatedAt: "2026-12-01T09:00:00.000Z",
  };
}

function aPartnerRule(over: Partial<RuleDefinitionInput> = {}): RuleDefinitionInput {
  return {
    name: "Partner joins GOLD",
    record: "partner",
    trigger: { kind: "field-set", field: "categories", value: "GOLD" },
    actions: [{ do: "dm", to: "responsible", text: "{{partner.name}} is GOLD now" }],
    ...over,
  };
}

const problemsOf = (rule: RuleDefinitionInput) => {
  const result = checkRule(rule);
  return result.ok ? [] : result.problems;
};

describe("the partner catalog", () => {
  it("has the partner's own fields and its salesperson, but no partner.* or team.* (the partner is the record)", () => {
    const fields = fieldsOf("partner");
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(["name", "kind", "email", "phone", "country", "industry", "customer", "supplier", "responsible", "categories", "parent", "created", "updated", "responsible.name"]));
    expect(Object.keys(fields).filter((k) => k.startsWith("partner.") || k.startsWith("team") || k === "partner")).toEqual([]);
    expect(fields.categories?.kind).toBe("tags");
    expect(Object.entries(fields).filter(([, s]) => s.settable).map(([k]) => k)).toEqual(["responsible"]);
  });

  it("leaves the related partner.* fields of other records as they were", () => {
    expect(fieldsOf("case")["partner.categories"]?.kind).toBe("tags");
    expect(fieldsOf("contract")["partner.name"]?.kind).toBe("text");
  });
});

describe("checkRule on a partner rule", () => {
  it("accepts DMs and emails to its salesperson, an email to the partner, a follow-up call, a webhook and setting its salesperson", () => {
    const rule = aPartnerRule({
      conditions: { all: [{ field: "customer", op: "=", value: true }, { field: "country", op: "in", value: ["DE", "AT"] }, { field: "kind", op: "=", value: "company" }] },
      actions: [
        { do: "dm", to: "responsible", text: "{{partner.name}} ({{partner.categories}}) for {{responsible.name}}: {{record.ref}}" },
        { do: "email", to: "customer", subject: "Welcome to GOLD, {{partner.name}}", body: "Your contact: {{responsible.name}} ({{responsible.email}})." },
        { do: "email", to: "responsible", subject: "{{partner.name}}", body: "{{partner.parent}} {{partner.industry}}" },
        { do: "follow-up", kind: "call", title: "Congratulate {{partner.name}}", in: { amount: 2, unit: "days" } },
        { do: "webhook", url: "https://example.com/hook" },
        { do: "set", field: "responsible", value: "boss@example.com" },
      ],
    });
    expect(problemsOf(rule)).toEqual([]);
    expect(EXAMPLE_RULES.filter((r) => r.record === "partner").map((r) => checkRule(r).ok)).toEqual([true]);
  });

  it("accepts time rules on its created and updated dates, and refuses one on a field that is no date", () => {
    expect(problemsOf(aPartnerRule({ trigger: { kind: "time", field: "created", offset: { amount: 30, unit: "days" } } }))).toEqual([]);
    expect(problemsOf(aPartnerRule({ trigger: { kind: "after-updated", offset: { amount: 1, unit: "months" } } }))).toEqual([]);
    expect(problemsOf(aPartnerRule({ trigger: { kind: "time", field: "name", offset: { amount: 1, unit: "days" } } }))).toEqual([
      { path: ["trigger", "field"], message: 'A time rule counts from a date, and "name" is text. Dates here: created, updated.' },
    ]);
  });

  it("refuses, when saved, every action a partner cannot take: it has no team, no attendees and no watchers", () => {
    const problems = problemsOf(
      aPartnerRule({
        actions: [
          { do: "post", to: "team-channel", text: "{{partner.name}}" },
          { do: "dm", to: "team-manager", text: "x" },
          { do: "dm", to: "watchers", text: "x" },
          { do: "dm", to: "attendees", text: "x" },
          { do: "email", to: "watchers", subject: "x", body: "x" },
          { do: "add-watchers", people: ["mia@example.com"] },
        ],
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      ["actions", 0, "to"],
      ["actions", 1, "to"],
      ["actions", 2, "to"],
      ["actions", 3, "to"],
      ["actions", 4, "to"],
      ["actions", 5, "do"],
    ]);
    expect(problems[0]!.message).toMatch(/^A partner has no team, so no team channel to post in; a partner rule can DM or email its salesperson/);
    expect(problems[1]!.message).toMatch(/no team manager/);
    expect(problems[2]!.message).toMatch(/^Partners have no watchers/);
    expect(problems[3]!.message).toMatch(/^Only meetings have attendees; a partner rule can/);
    expect(problems[5]!.message).toBe("Partners have no watchers, so none can be added; DM or email its salesperson (to: responsible) instead.");
  });

  it("says how to write a field copied from another record's rule (partner.categories, team.name)", () => {
    expect(problemsOf(aPartnerRule({ conditions: { field: "partner.categories", op: "contains", value: "GOLD" } }))).toEqual([
      { path: ["conditions", "field"], message: 'On a partner rule the partner is the record: write "categories", not "partner.categories".' },
    ]);
    expect(problemsOf(aPartnerRule({ conditions: { field: "team.name", op: "=", value: "Sales" } }))[0]?.message).toMatch(/^A partner has no team; its salesperson is "responsible"/);
    expect(problemsOf(aPartnerRule({ conditions: { field: "contry", op: "=", value: "DE" } }))[0]?.message).toBe('"contry" is not a field of a partner; did you mean "country"?');
  });

  it("sets only the salesperson, by email", () => {
    expect(problemsOf(aPartnerRule({ actions: [{ do: "set", field: "name", value: "Other" }] }))).toEqual([{ path: ["actions", 0, "field"], message: "A rule cannot set name; it can set responsible." }]);
    expect(problemsOf(aPartnerRule({ actions: [{ do: "set", field: "responsible", value: "Ana" }] }))).toEqual([{ path: ["actions", 0, "value"], message: 'responsible is a person: write their email, not "Ana".' }]);
  });

  it("checks enum values and placeholders against the partner's fields", () => {
    expect(problemsOf(aPartnerRule({ conditions: { field: "kind", op: "=", value: "contact" } }))[0]?.message).toBe('"contact" is not a value of kind: use one of company, person.');
    expect(templateProblems("{{partner.nam}} {{team.name}} {{partner.responsible}}", "partner")).toEqual([
      "{{partner.nam}} is not a field of a partner; did you mean {{partner.name}}?",
      "{{team.name}} is not a field of a partner; did you mean {{partner.name}}?",
    ]);
    // On a case, partner.* is still the related partner.
    expect(templateProblems("{{partner.nam}}", "case")).toEqual(["{{partner.nam}} is not a field of a case; did you mean {{partner.name}}?"]);
  });
});

describe("a partner rule at work", () => {
  it("fills placeholders from the partner itself and its salesperson", () => {
    const text = renderTemplate("{{partner.name}} ({{partner.categories}}, {{partner.customer}}) → {{responsible.name}} [{{record.ref}} / {{record.title}}] since {{partner.created}}", "partner", aPartner(), { ruleName: "R", timeZone: "UTC" });
    expect(text).toBe("Initech AG (GOLD, Reseller, yes) → Ana Silva [Initech AG / Initech AG] since 2026-12-01 09:00 (UTC)");
  });

  it("fires a field-set on categories when the partner joins the category, not when it was already in it", () => {
    const rule = checkRule(aPartnerRule());
    if (!rule.ok) throw new Error("rule should check");
    const fires = (before: string[] | null, after: string[]) =>
      triggerFires(rule.rule, { kind: before ? "saved" : "created", before: before ? aPartner({ categories: before }).fields : null, after: aPartner({ categories: after }).fields });
    expect(fires(["Reseller"], ["GOLD", "Reseller"])).toBe(true);
    expect(fires(["gold"], ["GOLD", "Reseller"])).toBe(false);
    expect(fires(["GOLD"], ["Reseller"])).toBe(false);
    expect(fires(null, ["GOLD"])).toBe(true);
  });

  it("evaluates conditions on the partner's own fields", () => {
    const fields = fieldsOf("partner");
    const partner = aPartner().fields;
    expect(evaluateCondition({ all: [{ field: "categories", op: "contains", value: "gold" }, { field: "supplier", op: "=", value: false }] }, partner, fields)).toBe(true);
    expect(evaluateCondition({ field: "parent", op: "is-set" }, partner, fields)).toBe(false);
    expect(evaluateCondition({ field: "responsible", op: "=", value: "ANA@example.com" }, partner, fields)).toBe(true);
  });

  it("counts a time rule from the partner's creation", () => {
    const rule = checkRule(aPartnerRule({ trigger: { kind: "after-created", offset: { amount: 30, unit: "days" } } }));
    if (!rule.ok) throw new Error("rule should check");
    expect(momentOf(rule.rule.trigger, aPartner(), "UTC")?.toISOString()).toBe("2026-12-31T09:00:00.000Z");
  });
});
