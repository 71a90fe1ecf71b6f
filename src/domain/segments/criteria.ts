// Partner category criteria: a small typed language (country, industry, customer, supplier, won revenue, open cases,
// last contact; all / any), checked with zod when saved, evaluated against a partner's facts — no code execution, ever.
import { z } from "zod";

export type Criterion =
  | { country: string[] }
  | { industry: string[] }
  | { customer: boolean }
  | { supplier: boolean }
  | { "won-revenue": { days: number; "at-least": number } }
  | { "open-cases": { "at-least": number } }
  | { "last-contact": { "within-days": number } | { "older-than-days": number } }
  | { all: Criterion[] }
  | { any: Criterion[] };

/** What a partner is, as the criteria read it (computed in SQL for many partners at once: src/handlers/segments). */
export interface PartnerFacts {
  country: string | null;
  industry: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  /** Won opportunities' expected revenue per window of days ("won-revenue" criteria), e.g. { 365: 48000 }. */
  wonRevenue: Record<number, number>;
  openCases: number;
  /** Latest held call, past meeting, case or lead creation; null when none. */
  lastContactAt: Date | null;
}

export type Problem = { path: string; message: string };
export type CriteriaResult = { ok: true; criteria: Criterion } | { ok: false; problems: Problem[] };

export const MAX_CRITERIA = 20;
export const MAX_DEPTH = 4;
export const MAX_DAYS = 3660;

const values = z
  .array(z.string({ error: "each value is a text, e.g. DE" }).trim().min(1, "a value cannot be empty").max(80, "a value has at most 80 characters"), { error: "give a list, e.g. [DE, AT]" })
  .min(1, "give at least one value")
  .max(50, "at most 50 values");
const days = z.number({ error: "a number of days, e.g. 365" }).int("a whole number of days").min(1, "at least 1 day").max(MAX_DAYS, `at most ${MAX_DAYS} days`);
const flag = z.boolean({ error: "true or false" });

const LEAVES = {
  country: values,
  industry: values,
  customer: flag,
  supplier: flag,
  "won-revenue": z.strictObject(
    { days, "at-least": z.number({ error: "an amount, e.g. 40000" }).min(0, "an amount of 0 or more") },
    { error: "write { days: 365, at-least: 40000 }" },
  ),
  "open-cases": z.strictObject({ "at-least": z.number({ error: "a count, e.g. 2" }).int("a whole number").min(0, "0 or more") }, { error: "write { at-least: 2 }" }),
  "last-contact": z.union([z.strictObject({ "within-days": days }), z.strictObject({ "older-than-days": days })], {
    error: "write { within-days: 90 } or { older-than-days: 180 }",
  }),
} as const;

const KINDS = [...Object.keys(LEAVES), "all", "any"];

/** Parses criteria (as read from YAML or JSON); every problem with its path, e.g. "all[1].won-revenue.days". */
export function parseCriteria(raw: unknown): CriteriaResult {
  const problems: Problem[] = [];
  let count = 0;
  const visit = (node: unknown, path: string, depth: number): Criterion | undefined => {
    count += 1;
    const at = path || "criteria";
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      problems.push({ path: at, message: `write one criterion as a mapping, e.g. { country: [DE] } (kinds: ${KINDS.join(", ")})` });
      return undefined;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      problems.push({ path: at, message: keys.length ? `one criterion per item, not ${keys.join(" and ")}: combine them under all: or any:` : `empty criterion (kinds: ${KINDS.join(", ")})` });
      return undefined;
    }
    const kind = keys[0]!;
    const value = (node as Record<string, unknown>)[kind];
    const here = path ? `${path}.${kind}` : kind;
    if (kind === "all" || kind === "any") {
      if (depth >= MAX_DEPTH) return void problems.push({ path: here, message: `at most ${MAX_DEPTH} levels of all / any` });
      if (!Array.isArray(value) || value.length === 0) return void problems.push({ path: here, message: `give a list of criteria under ${kind}:` });
      const parts = value.map((item, i) => visit(item, `${here}[${i}]`, depth + 1));
      return parts.every((p) => p !== undefined) ? ({ [kind]: parts } as Criterion) : undefined;
    }
    const schema = (LEAVES as Record<string, z.ZodType>)[kind];
    if (!schema) return void problems.push({ path: here, message: `unknown criterion "${kind}" (kinds: ${KINDS.join(", ")})` });
    const parsed = schema.safeParse(value);
    if (parsed.success) return { [kind]: parsed.data } as Criterion;
    for (const issue of parsed.error.issues) problems.push({ path: [here, ...issue.path.map(String)].join("."), message: issue.message });
    return undefined;
  };
  const criteria = visit(raw, "", 0);
  if (count > MAX_CRITERIA) problems.push({ path: "criteria", message: `at most ${MAX_CRITERIA} criteria in a category` });
  return criteria && problems.length === 0 ? { ok: true, criteria } : { ok: false, problems };
}

/** Zod at the edge (stored JSON, forms): the same checks as parseCriteria, messages joined. */
export const criteriaSchema = z.unknown().transform((raw, ctx): Criterion => {
  const result = parseCriteria(raw);
  if (result.ok) return result.criteria;
  for (const p of result.problems) ctx.addIssue({ code: "custom", message: `${p.path}: ${p.message}` });
  return z.NEVER;
});

/** The windows of days the won-revenue criteria need, so the facts query sums each once. */
export function revenueWindows(criteria: Criterion): number[] {
  const found = new Set<number>();
  const walk = (c: Criterion): void => {
    if ("all" in c) c.all.forEach(walk);
    else if ("any" in c) c.any.forEach(walk);
    else if ("won-revenue" in c) found.add(c["won-revenue"].days);
  };
  walk(criteria);
  return [...found].sort((a, b) => a - b);
}

/** Which facts the criteria read: the facts query skips the joins nobody needs. */
export function neededFacts(criteria: Criterion): { openCases: boolean; lastContact: boolean } {
  const text = JSON.stringify(criteria);
  return { openCases: text.includes('"open-cases"'), lastContact: text.includes('"last-contact"') };
}

const DAY_MS = 86_400_000;
const amount = (n: number): string => new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(n);
const sameText = (a: string | null, list: string[]): boolean => a !== null && list.some((v) => v.trim().toLowerCase() === a.trim().toLowerCase());
const daysAgo = (at: Date, now: Date): number => Math.floor((now.getTime() - at.getTime()) / DAY_MS);

export interface Verdict {
  matches: boolean;
  /** For a match: the criteria that made it; otherwise what failed. */
  reason: string;
}

/** Whether the partner matches, and why ("won 48,000 in the last 365 days ≥ 40,000; country DE"). */
export function evaluateCriteria(criteria: Criterion, facts: PartnerFacts, now: Date): Verdict {
  if ("all" in criteria) {
    const parts = criteria.all.map((c) => evaluateCriteria(c, facts, now));
    const failed = parts.filter((p) => !p.matches);
    return failed.length ? { matches: false, reason: failed.map((p) => p.reason).join("; ") } : { matches: true, reason: parts.map((p) => p.reason).join("; ") };
  }
  if ("any" in criteria) {
    const parts = criteria.any.map((c) => evaluateCriteria(c, facts, now));
    const passed = parts.filter((p) => p.matches);
    return passed.length ? { matches: true, reason: passed.map((p) => p.reason).join(" or ") } : { matches: false, reason: parts.map((p) => p.reason).join(" and ") };
  }
  return leaf(criteria, facts, now);
}

/** The human "why" of a partner against criteria (a match or not). */
export function explain(criteria: Criterion, facts: PartnerFacts, now: Date): string {
  return evaluateCriteria(criteria, facts, now).reason;
}

function leaf(c: Exclude<Criterion, { all: Criterion[] } | { any: Criterion[] }>, f: PartnerFacts, now: Date): Verdict {
  if ("country" in c) return sameText(f.country, c.country) ? yes(`country ${f.country}`) : no(f.country ? `country ${f.country} not in ${c.country.join(", ")}` : "no country");
  if ("industry" in c) return sameText(f.industry, c.industry) ? yes(`industry ${f.industry}`) : no(f.industry ? `industry ${f.industry} not in ${c.industry.join(", ")}` : "no industry");
  if ("customer" in c) return f.isCustomer === c.customer ? yes(c.customer ? "a customer" : "not a customer") : no(f.isCustomer ? "a customer" : "not a customer");
  if ("supplier" in c) return f.isSupplier === c.supplier ? yes(c.supplier ? "a supplier" : "not a supplier") : no(f.isSupplier ? "a supplier" : "not a supplier");
  if ("won-revenue" in c) {
    const { days: d, "at-least": min } = c["won-revenue"];
    const won = f.wonRevenue[d] ?? 0;
    const text = `won ${amount(won)} in the last ${d} days`;
    return won >= min ? yes(`${text} ≥ ${amount(min)}`) : no(`${text} < ${amount(min)}`);
  }
  if ("open-cases" in c) {
    const min = c["open-cases"]["at-least"];
    const text = `${f.openCases} open case${f.openCases === 1 ? "" : "s"}`;
    return f.openCases >= min ? yes(`${text} ≥ ${min}`) : no(`${text} < ${min}`);
  }
  const rule = c["last-contact"];
  const ago = f.lastContactAt ? daysAgo(f.lastContactAt, now) : null;
  const text = ago === null ? "never contacted" : `last contact ${ago} day${ago === 1 ? "" : "s"} ago`;
  if ("within-days" in rule) return ago !== null && ago <= rule["within-days"] ? yes(`${text} (within ${rule["within-days"]})`) : no(`${text} (not within ${rule["within-days"]})`);
  return ago === null || ago > rule["older-than-days"] ? yes(`${text} (over ${rule["older-than-days"]})`) : no(`${text} (not over ${rule["older-than-days"]})`);
}

const yes = (reason: string): Verdict => ({ matches: true, reason });
const no = (reason: string): Verdict => ({ matches: false, reason });

/** The criteria in words, for lists: "country in DE, AT and won ≥ 40,000 in the last 365 days". */
export function describeCriteria(c: Criterion): string {
  if ("all" in c) return c.all.map((p) => wrap(p)).join(" and ");
  if ("any" in c) return c.any.map((p) => wrap(p)).join(" or ");
  if ("country" in c) return `country in ${c.country.join(", ")}`;
  if ("industry" in c) return `industry in ${c.industry.join(", ")}`;
  if ("customer" in c) return c.customer ? "is a customer" : "is not a customer";
  if ("supplier" in c) return c.supplier ? "is a supplier" : "is not a supplier";
  if ("won-revenue" in c) return `won ≥ ${amount(c["won-revenue"]["at-least"])} in the last ${c["won-revenue"].days} days`;
  if ("open-cases" in c) return `≥ ${c["open-cases"]["at-least"]} open case${c["open-cases"]["at-least"] === 1 ? "" : "s"}`;
  const rule = c["last-contact"];
  return "within-days" in rule ? `last contact within ${rule["within-days"]} days` : `no contact for over ${rule["older-than-days"]} days`;
}

function wrap(c: Criterion): string {
  return "all" in c || "any" in c ? `(${describeCriteria(c)})` : describeCriteria(c);
}
