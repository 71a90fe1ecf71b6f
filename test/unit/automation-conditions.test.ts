import { describe, expect, it } from "vitest";
import { describeCondition, evaluateCondition, explainCondition } from "../../src/domain/automation/conditions.js";
import type { Condition } from "../../src/domain/automation/definition.js";
import { fieldsOf, type FieldValue } from "../../src/domain/automation/fields.js";

const catalog = fieldsOf("lead");

/** A lead's fields as a snapshot holds them; override what the test is about. */
function aLead(overrides: Record<string, FieldValue> = {}): Record<string, FieldValue> {
  return {
    ref: "OPP-0042",
    title: "Acme: 40 licences",
    responsible: "ana@example.com",
    channel: "web",
    priority: 2,
    "expected-revenue": 12000,
    "expected-close": "2026-12-05T14:00:00.000Z",
    tags: ["GOLD", "Reseller"],
    "partner.customer": true,
    "partner.name": "Acme",
    campaign: null,
    ...overrides,
  };
}

const holds = (cond: Condition, fields = aLead()) => evaluateCondition(cond, fields, catalog);

describe("conditions on text, enum and user fields (trimmed, any case)", () => {
  it.each<[string, Condition, boolean]>([
    ["text = ignores case and spaces", { field: "partner.name", op: "=", value: "  ACME " }, true],
    ["text = other", { field: "partner.name", op: "=", value: "Globex" }, false],
    ["text != other", { field: "partner.name", op: "!=", value: "Globex" }, true],
    ["text != same", { field: "partner.name", op: "!=", value: "acme" }, false],
    ["text in", { field: "partner.name", op: "in", value: ["Globex", "acme"] }, true],
    ["text in (absent)", { field: "partner.name", op: "in", value: ["Globex"] }, false],
    ["text not-in", { field: "partner.name", op: "not-in", value: ["Globex"] }, true],
    ["text not-in (present)", { field: "partner.name", op: "not-in", value: ["ACME"] }, false],
    ["text contains is a substring", { field: "title", op: "contains", value: "LICENCES" }, true],
    ["text contains (absent)", { field: "title", op: "contains", value: "servers" }, false],
    ["text not-contains", { field: "title", op: "not-contains", value: "servers" }, true],
    ["text not-contains (present)", { field: "title", op: "not-contains", value: "acme" }, false],
    ["enum =", { field: "channel", op: "=", value: "Web" }, true],
    ["enum !=", { field: "channel", op: "!=", value: "phone" }, true],
    ["enum in", { field: "channel", op: "in", value: ["phone", "web"] }, true],
    ["enum not-in", { field: "channel", op: "not-in", value: ["phone", "web"] }, false],
    ["user =", { field: "responsible", op: "=", value: "Ana@Example.com" }, true],
    ["user != ", { field: "responsible", op: "!=", value: "bo@example.com" }, true],
    ["user in", { field: "responsible", op: "in", value: ["bo@example.com"] }, false],
    ["user not-in", { field: "responsible", op: "not-in", value: ["bo@example.com"] }, true],
  ])("%s", (_, cond, expected) => expect(holds(cond)).toBe(expected));
});

describe("conditions on numbers and dates", () => {
  it.each<[string, Condition, boolean]>([
    ["number =", { field: "priority", op: "=", value: 2 }, true],
    ["number = a numeric string", { field: "priority", op: "=", value: "2" }, true],
    ["number !=", { field: "priority", op: "!=", value: 2 }, false],
    ["number in", { field: "priority", op: "in", value: [2, 3] }, true],
    ["number not-in", { field: "priority", op: "not-in", value: [2, 3] }, false],
    ["number >", { field: "expected-revenue", op: ">", value: 10000 }, true],
    ["number > (equal)", { field: "expected-revenue", op: ">", value: 12000 }, false],
    ["number >=", { field: "expected-revenue", op: ">=", value: 12000 }, true],
    ["number <", { field: "expected-revenue", op: "<", value: 12000 }, false],
    ["number <=", { field: "expected-revenue", op: "<=", value: 12000 }, true],
    ["date > a plain date", { field: "expected-close", op: ">", value: "2026-12-01" }, true],
    ["date < a plain date", { field: "expected-close", op: "<", value: "2026-12-01" }, false],
    ["date >= the same instant in another offset", { field: "expected-close", op: ">=", value: "2026-12-05T15:00:00+01:00" }, true],
    ["date <= an instant", { field: "expected-close", op: "<=", value: "2026-12-05T13:59:00Z" }, false],
    ["date = the same instant", { field: "expected-close", op: "=", value: "2026-12-05T14:00:00Z" }, true],
    ["date != another instant", { field: "expected-close", op: "!=", value: "2026-12-05T14:01:00Z" }, true],
  ])("%s", (_, cond, expected) => expect(holds(cond)).toBe(expected));
});

describe("conditions on tags and yes/no fields", () => {
  it.each<[string, Condition, boolean]>([
    ["tags = means has this tag", { field: "tags", op: "=", value: "gold" }, true],
    ["tags = (absent)", { field: "tags", op: "=", value: "Silver" }, false],
    ["tags != means lacks this tag", { field: "tags", op: "!=", value: "Silver" }, true],
    ["tags contains is membership, not substring", { field: "tags", op: "contains", value: "GOL" }, false],
    ["tags contains", { field: "tags", op: "contains", value: "reseller" }, true],
    ["tags not-contains", { field: "tags", op: "not-contains", value: "reseller" }, false],
    ["tags in: has any of them", { field: "tags", op: "in", value: ["Silver", "GOLD"] }, true],
    ["tags not-in: has none of them", { field: "tags", op: "not-in", value: ["Silver", "Bronze"] }, true],
    ["bool = true", { field: "partner.customer", op: "=", value: true }, true],
    ["bool = 'yes'", { field: "partner.customer", op: "=", value: "yes" }, true],
    ["bool = 'no'", { field: "partner.customer", op: "=", value: "no" }, false],
    ["bool != false", { field: "partner.customer", op: "!=", value: false }, true],
  ])("%s", (_, cond, expected) => expect(holds(cond)).toBe(expected));

  it("reads yes/no strings in the record too", () => {
    expect(holds({ field: "partner.customer", op: "=", value: true }, aLead({ "partner.customer": "no" }))).toBe(false);
  });
});

describe("is-set, is-not-set and empty fields", () => {
  it.each<[string, FieldValue, boolean]>([
    ["null", null, false],
    ["empty text", "  ", false],
    ["no tags", [], false],
    ["zero", 0, true],
    ["false", false, true],
    ["text", "spring-2026", true],
  ])("is-set on %s", (_, value, expected) => {
    expect(holds({ field: "campaign", op: "is-set" }, aLead({ campaign: value }))).toBe(expected);
    expect(holds({ field: "campaign", op: "is-not-set" }, aLead({ campaign: value }))).toBe(!expected);
  });

  it("a null field is never = anything and != everything", () => {
    const empty = aLead({ campaign: null });
    expect(holds({ field: "campaign", op: "=", value: "" }, empty)).toBe(false);
    expect(holds({ field: "campaign", op: "!=", value: "" }, empty)).toBe(true);
    expect(holds({ field: "campaign", op: "in", value: ["x"] }, empty)).toBe(false);
    expect(holds({ field: "campaign", op: "not-in", value: ["x"] }, empty)).toBe(true);
    expect(holds({ field: "expected-revenue", op: ">", value: -1 }, aLead({ "expected-revenue": null }))).toBe(false);
    expect(holds({ field: "expected-revenue", op: "<", value: 1 }, aLead({ "expected-revenue": null }))).toBe(false);
  });

  it("a field missing from the record counts as not set", () => {
    expect(holds({ field: "country", op: "is-not-set" })).toBe(true);
    expect(holds({ field: "country", op: "!=", value: "DE" })).toBe(true);
  });
});

describe("all, any and not", () => {
  const high: Condition = { field: "priority", op: ">=", value: 2 };
  const phone: Condition = { field: "channel", op: "=", value: "phone" };
  it("all needs every one", () => {
    expect(holds({ all: [high, phone] })).toBe(false);
    expect(holds({ all: [high, { not: phone }] })).toBe(true);
  });
  it("any needs one", () => {
    expect(holds({ any: [high, phone] })).toBe(true);
    expect(holds({ any: [phone, { not: high }] })).toBe(false);
  });
  it("not inverts, nested", () => {
    expect(holds({ not: { any: [phone, { all: [high, { field: "tags", op: "contains", value: "GOLD" }] }] } })).toBe(false);
  });
});

describe("describing and explaining conditions", () => {
  const cond: Condition = {
    all: [
      { field: "priority", op: "=", value: "high" },
      { any: [{ field: "partner.categories", op: "contains", value: "GOLD" }, { not: { field: "team.name", op: "=", value: "Sales" } }] },
    ],
  };

  it("describes a condition on one line, grouping or-parts inside and-parts", () => {
    expect(describeCondition(cond)).toBe("priority = high and (partner.categories contains GOLD or not team.name = Sales)");
  });

  it("describes lists, yes/no and value-less operators", () => {
    expect(describeCondition({ field: "stage", op: "in", value: ["New", "Won"] })).toBe("stage in (New, Won)");
    expect(describeCondition({ not: { all: [{ field: "partner", op: "is-set" }, { field: "internal", op: "=", value: false }] } })).toBe(
      "not (partner is-set and internal = no)",
    );
  });

  it("explains each leaf with ✓ or ✗ and the record's value", () => {
    const fields = { priority: "high", "partner.categories": ["Reseller"], "team.name": "Support" };
    expect(explainCondition(cond, fields, fieldsOf("case"))).toEqual([
      "✓ priority = high (is high)",
      "✓ any of:",
      "  ✗ partner.categories contains GOLD (is Reseller)",
      "  ✓ not team.name = Sales (is Support)",
    ]);
  });

  it("says when the record's field is not set", () => {
    expect(explainCondition({ field: "partner", op: "is-set" }, { partner: null }, fieldsOf("case"))).toEqual(["✗ partner is-set (is not set)"]);
  });
});
