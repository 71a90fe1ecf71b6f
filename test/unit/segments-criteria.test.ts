// Category criteria: parsing with every problem and its path, each criterion kind, all / any, and the human "why".
import { describe, expect, it } from "vitest";
import { parseCriteriaText, serializeCriteria } from "../../src/domain/segments/criteria-text.js";
import { describeCriteria, evaluateCriteria, explain, parseCriteria, revenueWindows, type Criterion, type PartnerFacts } from "../../src/domain/segments/criteria.js";
import { parseCategoryArgs } from "../../src/handlers/segments/category-command.js";

const now = new Date("2026-06-15T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

function facts(over: Partial<PartnerFacts> = {}): PartnerFacts {
  return { country: "DE", industry: "Retail", isCustomer: true, isSupplier: false, wonRevenue: {}, openCases: 0, lastContactAt: null, ...over };
}

const check = (c: Criterion, f: PartnerFacts) => evaluateCriteria(c, f, now);

describe("criteria: each kind", () => {
  it("country and industry match any listed value, ignoring case and spaces", () => {
    expect(check({ country: ["de", "AT"] }, facts())).toEqual({ matches: true, reason: "country DE" });
    expect(check({ country: ["FR"] }, facts())).toEqual({ matches: false, reason: "country DE not in FR" });
    expect(check({ country: ["FR"] }, facts({ country: null }))).toEqual({ matches: false, reason: "no country" });
    expect(check({ industry: [" retail "] }, facts())).toEqual({ matches: true, reason: "industry Retail" });
    expect(check({ industry: ["Banking"] }, facts({ industry: null })).matches).toBe(false);
  });

  it("customer and supplier compare the flags either way", () => {
    expect(check({ customer: true }, facts())).toEqual({ matches: true, reason: "a customer" });
    expect(check({ customer: false }, facts()).matches).toBe(false);
    expect(check({ supplier: false }, facts())).toEqual({ matches: true, reason: "not a supplier" });
    expect(check({ supplier: true }, facts({ isSupplier: true })).matches).toBe(true);
  });

  it("won revenue over a window: at least the amount, reading the window's sum", () => {
    const c: Criterion = { "won-revenue": { days: 365, "at-least": 40000 } };
    expect(check(c, facts({ wonRevenue: { 365: 48000 } }))).toEqual({ matches: true, reason: "won 48,000 in the last 365 days ≥ 40,000" });
    expect(check(c, facts({ wonRevenue: { 365: 40000 } })).matches).toBe(true);
    expect(check(c, facts({ wonRevenue: { 30: 90000 } }))).toEqual({ matches: false, reason: "won 0 in the last 365 days < 40,000" });
  });

  it("open cases: at least N", () => {
    expect(check({ "open-cases": { "at-least": 2 } }, facts({ openCases: 2 }))).toEqual({ matches: true, reason: "2 open cases ≥ 2" });
    expect(check({ "open-cases": { "at-least": 2 } }, facts({ openCases: 1 }))).toEqual({ matches: false, reason: "1 open case < 2" });
  });

  it("last contact within N days, or older than N days (never contacted counts as older)", () => {
    expect(check({ "last-contact": { "within-days": 30 } }, facts({ lastContactAt: daysAgo(30) }))).toEqual({ matches: true, reason: "last contact 30 days ago (within 30)" });
    expect(check({ "last-contact": { "within-days": 30 } }, facts({ lastContactAt: daysAgo(31) })).matches).toBe(false);
    expect(check({ "last-contact": { "within-days": 30 } }, facts()).matches).toBe(false);
    expect(check({ "last-contact": { "older-than-days": 180 } }, facts({ lastContactAt: daysAgo(181) })).matches).toBe(true);
    expect(check({ "last-contact": { "older-than-days": 180 } }, facts({ lastContactAt: daysAgo(180) })).matches).toBe(false);
    expect(check({ "last-contact": { "older-than-days": 180 } }, facts())).toEqual({ matches: true, reason: "never contacted (over 180)" });
  });
});

describe("criteria: all / any and explain", () => {
  const gold: Criterion = { all: [{ "won-revenue": { days: 365, "at-least": 40000 } }, { country: ["DE", "AT"] }] };

  it("explains a match with every criterion of all, in order", () => {
    expect(explain(gold, facts({ wonRevenue: { 365: 48000 } }), now)).toBe("won 48,000 in the last 365 days ≥ 40,000; country DE");
  });

  it("all fails on any failing part and says which", () => {
    expect(check(gold, facts({ country: "FR", wonRevenue: { 365: 48000 } }))).toEqual({ matches: false, reason: "country FR not in DE, AT" });
  });

  it("any matches on one part and names only the parts that matched", () => {
    const c: Criterion = { any: [{ "open-cases": { "at-least": 3 } }, { supplier: true }, { country: ["DE"] }] };
    expect(check(c, facts())).toEqual({ matches: true, reason: "country DE" });
    expect(check(c, facts({ country: "FR" }))).toEqual({ matches: false, reason: "0 open cases < 3 and not a supplier and country FR not in DE" });
  });

  it("describes criteria in words, nested groups in brackets", () => {
    const c: Criterion = { all: [{ country: ["DE"] }, { any: [{ "open-cases": { "at-least": 2 } }, { "last-contact": { "older-than-days": 90 } }] }] };
    expect(describeCriteria(c)).toBe("country in DE and (≥ 2 open cases or no contact for over 90 days)");
  });

  it("lists the revenue windows once each", () => {
    expect(revenueWindows({ any: [{ "won-revenue": { days: 90, "at-least": 1 } }, { all: [{ "won-revenue": { days: 365, "at-least": 2 } }, { "won-revenue": { days: 90, "at-least": 5 } }] }] })).toEqual([90, 365]);
  });
});

describe("criteria: parsing", () => {
  it("reads YAML and writes it back the same", () => {
    const text = "all:\n  - country: [ DE, AT ]\n  - won-revenue: { days: 365, at-least: 40000 }\n";
    const parsed = parseCriteriaText(text);
    expect(parsed).toEqual({ ok: true, criteria: { all: [{ country: ["DE", "AT"] }, { "won-revenue": { days: 365, "at-least": 40000 } }] } });
    if (parsed.ok) expect(serializeCriteria(parsed.criteria)).toBe(text);
  });

  it("empty text, comments only or none mean: by hand only", () => {
    expect(parseCriteriaText("")).toEqual({ ok: true, criteria: null });
    expect(parseCriteriaText("# nothing\n")).toEqual({ ok: true, criteria: null });
    expect(parseCriteriaText("none")).toEqual({ ok: true, criteria: null });
  });

  it("lists every problem with its path", () => {
    const result = parseCriteria({ all: [{ country: "DE" }, { "won-revenue": { days: 1.5, "at-least": 10 } }, { colour: ["red"] }, { customer: true, supplier: true }, { "last-contact": { within: 3 } }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(["all[0].country", "all[1].won-revenue.days", "all[2].colour", "all[3]", "all[4].last-contact"]);
    expect(result.problems[2]!.message).toContain('unknown criterion "colour"');
  });

  it("refuses code, bad YAML, empty groups and too many criteria", () => {
    expect(parseCriteriaText("all: [ { country: [DE] ").ok).toBe(false);
    expect(parseCriteria("partner.revenue > 5").ok).toBe(false);
    expect(parseCriteria({ any: [] }).ok).toBe(false);
    expect(parseCriteria({ all: Array.from({ length: 25 }, () => ({ customer: true })) })).toMatchObject({ ok: false, problems: [{ message: "at most 20 criteria in a category" }] });
    expect(parseCriteria({ "won-revenue": { days: 30, "at-least": 10, extra: 1 } }).ok).toBe(false);
  });
});

describe("the category command's arguments", () => {
  it("reads a name, a change and a partner, quoted names included", () => {
    expect(parseCategoryArgs("GOLD")).toEqual({ name: "GOLD" });
    expect(parseCategoryArgs("GOLD add Acme Corp")).toEqual({ name: "GOLD", change: { verb: "add", partner: "Acme Corp" } });
    expect(parseCategoryArgs("Key accounts remove Acme")).toEqual({ name: "Key accounts", change: { verb: "remove", partner: "Acme" } });
    expect(parseCategoryArgs('"Key accounts" REMOVE Acme')).toEqual({ name: "Key accounts", change: { verb: "remove", partner: "Acme" } });
    expect(parseCategoryArgs("GOLD add")).toEqual({ name: "GOLD", change: { verb: "add", partner: "" } });
  });
});
