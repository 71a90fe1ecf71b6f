// Evaluating, describing and explaining a rule's conditions against a record's fields (Odoo's filter domains, typed).
import type { Condition, Operator } from "./definition.js";
import type { FieldKind, FieldSpec, FieldValue } from "./fields.js";

type Leaf = Extract<Condition, { field: string }>;
type RuleValue = Leaf["value"];
type Scalar = string | number | boolean;

/** Does the record (its fields, named as in the catalog) meet the condition? */
export function evaluateCondition(cond: Condition, fields: Record<string, FieldValue>, catalog: Record<string, FieldSpec>): boolean {
  if ("all" in cond) return cond.all.every((c) => evaluateCondition(c, fields, catalog));
  if ("any" in cond) return cond.any.some((c) => evaluateCondition(c, fields, catalog));
  if ("not" in cond) return !evaluateCondition(cond.not, fields, catalog);
  return evaluateLeaf(cond, fields[cond.field] ?? null, catalog[cond.field]?.kind ?? "text");
}

/** The negative operators are exactly the opposite of their positive ones: a null field is `!=` everything. */
const NEGATION: Partial<Record<Operator, Operator>> = { "!=": "=", "not-in": "in", "not-contains": "contains", "is-not-set": "is-set" };

function evaluateLeaf(cond: Leaf, actual: FieldValue, kind: FieldKind): boolean {
  const positive = NEGATION[cond.op];
  if (positive) return !evaluateLeaf({ ...cond, op: positive }, actual, kind);
  if (cond.op === "is-set") return isSet(actual);
  if (actual === null) return false;
  const wanted = cond.value;
  switch (cond.op) {
    case "=":
      return isScalar(wanted) && matches(actual, wanted, kind);
    case "in":
      return listOf(wanted).some((w) => matches(actual, w, kind));
    case "contains":
      if (Array.isArray(actual)) return isScalar(wanted) && actual.some((tag) => norm(tag) === norm(wanted));
      return isScalar(wanted) && norm(actual).includes(norm(wanted));
    default:
      return isScalar(wanted) && compareOrdered(cond.op, actual, wanted, kind);
  }
}

/** `=` by kind: tags "have this tag", bools compare yes/no, numbers and dates by value, the rest as trimmed text. */
function matches(actual: Exclude<FieldValue, null>, wanted: Scalar, kind: FieldKind): boolean {
  if (Array.isArray(actual)) return actual.some((tag) => norm(tag) === norm(wanted));
  if (kind === "bool") return toBool(actual) !== undefined && toBool(actual) === toBool(wanted);
  if (kind === "number") return toNumber(actual) !== undefined && toNumber(actual) === toNumber(wanted);
  if (kind === "date") return toInstant(actual) !== undefined && toInstant(actual) === toInstant(wanted);
  return norm(actual) === norm(wanted);
}

function compareOrdered(op: Operator, actual: Exclude<FieldValue, null>, wanted: Scalar, kind: FieldKind): boolean {
  const read = kind === "date" ? toInstant : kind === "number" ? toNumber : () => undefined;
  const a = read(actual as Scalar);
  const b = read(wanted);
  if (a === undefined || b === undefined) return false;
  if (op === ">") return a > b;
  if (op === ">=") return a >= b;
  if (op === "<") return a < b;
  if (op === "<=") return a <= b;
  return false;
}

export function isSet(value: FieldValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const isScalar = (v: RuleValue): v is Scalar => v !== undefined && !Array.isArray(v);
const listOf = (v: RuleValue): Scalar[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const norm = (v: unknown): string => String(v).trim().toLowerCase();

function toBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  const s = norm(v);
  if (s === "true" || s === "yes") return true;
  if (s === "false" || s === "no") return false;
  return undefined;
}

function toNumber(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** ISO dates ("2026-12-01", read as UTC midnight) and instants, as epoch milliseconds. */
export function toInstant(v: unknown): number | undefined {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(v.trim())) return undefined;
  const ms = Date.parse(v.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

/** One readable line: `priority = high and (partner.categories contains GOLD or not team.name = Sales)`. */
export function describeCondition(cond: Condition): string {
  if ("all" in cond) return cond.all.map((c) => grouped(c, "all")).join(" and ");
  if ("any" in cond) return cond.any.map((c) => grouped(c, "any")).join(" or ");
  if ("not" in cond) return `not ${"field" in cond.not ? describeCondition(cond.not) : `(${describeCondition(cond.not)})`}`;
  return describeLeaf(cond);
}

function grouped(c: Condition, parent: "all" | "any"): string {
  const needsParentheses = ("all" in c && parent === "any" && c.all.length > 1) || ("any" in c && parent === "all" && c.any.length > 1);
  return needsParentheses ? `(${describeCondition(c)})` : describeCondition(c);
}

function describeLeaf(c: Leaf): string {
  if (c.value === undefined) return `${c.field} ${c.op}`;
  const value = Array.isArray(c.value) ? `(${c.value.map(showScalar).join(", ")})` : showScalar(c.value);
  return `${c.field} ${c.op} ${value}`;
}

const showScalar = (v: Scalar): string => (typeof v === "boolean" ? (v ? "yes" : "no") : String(v));

/** For dry runs: one line per leaf, ✓ or ✗, with the record's value; nested groups get a header line. */
export function explainCondition(cond: Condition, fields: Record<string, FieldValue>, catalog: Record<string, FieldSpec>): string[] {
  return explainAt(cond, fields, catalog, 0, true);
}

function explainAt(cond: Condition, fields: Record<string, FieldValue>, catalog: Record<string, FieldSpec>, depth: number, top: boolean): string[] {
  const indent = "  ".repeat(depth);
  const mark = (ok: boolean) => (ok ? "✓" : "✗");
  const ok = evaluateCondition(cond, fields, catalog);
  if ("field" in cond) return [`${indent}${mark(ok)} ${describeLeaf(cond)} (${showActual(fields[cond.field] ?? null)})`];
  if ("not" in cond && "field" in cond.not) {
    return [`${indent}${mark(ok)} not ${describeLeaf(cond.not)} (${showActual(fields[cond.not.field] ?? null)})`];
  }
  const [header, children] = "all" in cond ? ["all of:", cond.all] : "any" in cond ? ["any of:", cond.any] : ["not:", [cond.not]];
  // The top level's "all of" is implied: a plain list of conditions reads as "every one of these".
  if (top && "all" in cond) return children.flatMap((c) => explainAt(c, fields, catalog, depth, false));
  return [`${indent}${mark(ok)} ${header}`, ...children.flatMap((c) => explainAt(c, fields, catalog, depth + 1, false))];
}

function showActual(v: FieldValue): string {
  if (!isSet(v)) return "is not set";
  if (Array.isArray(v)) return `is ${v.join(", ")}`;
  if (typeof v === "boolean") return `is ${v ? "yes" : "no"}`;
  return `is ${v}`;
}
