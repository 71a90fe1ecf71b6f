// Checks a rule before it is saved: its shape (zod), then its fields, operators, values and placeholders against the
// catalog of its record type, so a rule that saves can run. Every problem is returned at once, each at its path.
import { Temporal } from "temporal-polyfill";
import type { z } from "zod";
import { closestMatch } from "../closest-match.js";
import { isValidTimeZone } from "../time.js";
import { toInstant } from "./conditions.js";
import {
  actionSchema,
  conditionSchema,
  RECORD_TYPES,
  ruleDefinitionSchema,
  triggerSchema,
  type Action,
  type Condition,
  type Operator,
  type RecordType,
  type RuleDefinition,
  type RuleProblem,
  type Trigger,
} from "./definition.js";
import { fieldsOf, type FieldKind, type FieldSpec } from "./fields.js";
import { templateProblems } from "./templates.js";

export type RuleCheck = { ok: true; rule: RuleDefinition } | { ok: false; problems: RuleProblem[] };
type Path = (string | number)[];
type Scalar = string | number | boolean;

const OPS_BY_KIND: Record<FieldKind, readonly Operator[]> = {
  text: ["=", "!=", "in", "not-in", "contains", "not-contains", "is-set", "is-not-set"],
  enum: ["=", "!=", "in", "not-in", "is-set", "is-not-set"],
  user: ["=", "!=", "in", "not-in", "is-set", "is-not-set"],
  number: ["=", "!=", "in", "not-in", ">", ">=", "<", "<=", "is-set", "is-not-set"],
  date: ["=", "!=", ">", ">=", "<", "<=", "is-set", "is-not-set"],
  bool: ["=", "!=", "is-set", "is-not-set"],
  tags: ["=", "!=", "in", "not-in", "contains", "not-contains", "is-set", "is-not-set"],
};

const KIND_WORD: Record<FieldKind, string> = {
  text: "text",
  enum: "a choice",
  user: "a person",
  number: "a number",
  date: "a date",
  bool: "yes or no",
  tags: "tags",
};

/** Where a customer email can come from: the case's or claim's contact, a lead's own address. */
const CUSTOMER_EMAIL_TYPES: readonly RecordType[] = ["case", "claim", "lead", "opportunity", "partner"];
/** A merge request's person is its requester, who answers for nothing after the decision: no follow-up for it. */
const RESPONSIBLE_TYPES: readonly RecordType[] = ["case", "claim", "lead", "opportunity", "call", "meeting", "partner"];
/** Triggers with a "before" state: Odoo checks the before-update domain only on writes (base.automation _check). */
const BEFORE_TRIGGERS: readonly Trigger["kind"][] = ["saved", "field-set"];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The rule, parsed and checked against its record type's fields; or every problem, each with its path. */
export function checkRule(input: unknown): RuleCheck {
  const parsed = ruleDefinitionSchema.safeParse(input);
  if (parsed.success) {
    const problems = meaningProblems(parsed.data);
    return problems.length === 0 ? { ok: true, rule: parsed.data } : { ok: false, problems };
  }
  return { ok: false, problems: [...zodProblems(parsed.error.issues, input), ...meaningProblems(partsThatParse(input))] };
}

interface Parts {
  record?: RecordType;
  trigger?: Trigger;
  before?: unknown;
  conditions?: unknown;
  actions?: (Action | undefined)[];
  timeZone?: unknown;
}

/** The parts of a rule that parse on their own, so a shape mistake in one part does not hide problems in others. */
function partsThatParse(input: unknown): Parts {
  if (typeof input !== "object" || input === null) return {};
  const raw = input as Record<string, unknown>;
  const ok = <T>(r: { success: true; data: T } | { success: false }) => (r.success ? r.data : undefined);
  return {
    record: (RECORD_TYPES as readonly unknown[]).includes(raw.record) ? (raw.record as RecordType) : undefined,
    trigger: ok(triggerSchema.safeParse(raw.trigger)),
    before: raw.before,
    conditions: raw.conditions,
    actions: Array.isArray(raw.actions) ? raw.actions.map((a) => ok(actionSchema.safeParse(a))) : undefined,
    timeZone: typeof raw.timeZone === "string" ? raw.timeZone : undefined,
  };
}

function meaningProblems(rule: Parts): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (path: Path, message: string) => problems.push({ path, message });
  if (typeof rule.timeZone === "string" && !isUsableZone(rule.timeZone)) {
    add(["timeZone"], `"${rule.timeZone}" is not a time zone: use an IANA name like Europe/Berlin or America/New_York.`);
  }
  if (!rule.record) return problems;
  const catalog = new Catalog(rule.record);
  if (rule.trigger) checkTrigger(rule.trigger, catalog, add);
  if (rule.before && rule.trigger && !BEFORE_TRIGGERS.includes(rule.trigger.kind)) {
    add(["before"], `Remove "before": it is checked only when a record is saved (as Odoo checks its before-update filter only on updates); a "${rule.trigger.kind}" rule has no earlier state to check. Put the condition under "conditions".`);
  } else if (rule.before !== undefined) checkWrittenCondition(rule.before, ["before"], catalog, add);
  if (rule.conditions !== undefined) checkWrittenCondition(rule.conditions, ["conditions"], catalog, add);
  (rule.actions ?? []).forEach((action, i) => action && checkAction(action, ["actions", i], catalog, add));
  return problems;
}

type Add = (path: Path, message: string) => void;

/** The fields of one record type, with the wording of the problems about them. */
class Catalog {
  readonly fields: Record<string, FieldSpec>;
  constructor(readonly type: RecordType) {
    this.fields = fieldsOf(type);
  }
  /** The field's spec; or a problem at `path` naming the closest field. */
  find(name: string, path: Path, add: Add): FieldSpec | undefined {
    const spec = this.fields[name];
    if (spec) return spec;
    const hint = this.type === "partner" ? partnerHint(name, this.fields) : undefined;
    if (hint) {
      add(path, hint);
      return undefined;
    }
    const near = closestMatch(name, Object.keys(this.fields));
    add(path, `"${name}" is not a field of ${this.type === "opportunity" ? "an" : "a"} ${this.type.replace("-", " ")}${near ? `; did you mean "${near}"?` : "."}`);
    return undefined;
  }
  namesOfKind(kind: FieldKind): string[] {
    return Object.entries(this.fields).filter(([, s]) => s.kind === kind).map(([n]) => n);
  }
  settable(): string[] {
    return Object.entries(this.fields).filter(([, s]) => s.settable).map(([n]) => n);
  }
}

function checkTrigger(trigger: Trigger, catalog: Catalog, add: Add): void {
  if (trigger.kind === "saved") trigger.fields?.forEach((f, i) => catalog.find(f, ["trigger", "fields", i], add));
  if (trigger.kind === "field-set") {
    const spec = catalog.find(trigger.field, ["trigger", "field"], add);
    const problem = spec && valueProblem(trigger.field, spec, trigger.value);
    if (problem) add(["trigger", "value"], problem);
  }
  if (trigger.kind === "time") {
    const spec = catalog.find(trigger.field, ["trigger", "field"], add);
    if (spec && spec.kind !== "date") {
      add(["trigger", "field"], `A time rule counts from a date, and "${trigger.field}" is ${KIND_WORD[spec.kind]}. Dates here: ${catalog.namesOfKind("date").join(", ")}.`);
    }
    // The next start moves on once an occurrence has begun: a moment after it would never be reached.
    if (trigger.field === "next-start" && trigger.offset.amount > 0) {
      add(["trigger", "offset", "amount"], `"next-start" counts before each occurrence: use a negative amount (e.g. -5 minutes); to act after a meeting, count from "end" or "start".`);
    }
  }
}

/** Checks the parts of a condition that parse, down to each leaf; zod has already reported the ones that do not. */
function checkWrittenCondition(raw: unknown, path: Path, catalog: Catalog, add: Add): void {
  const parsed = conditionSchema.safeParse(raw);
  if (parsed.success) return checkCondition(parsed.data, path, catalog, add);
  if (typeof raw !== "object" || raw === null) return;
  const group = raw as { all?: unknown; any?: unknown; not?: unknown };
  for (const key of ["all", "any"] as const) {
    const items = group[key];
    if (Array.isArray(items)) items.forEach((item, i) => checkWrittenCondition(item, [...path, key, i], catalog, add));
  }
  if (group.not !== undefined) checkWrittenCondition(group.not, [...path, "not"], catalog, add);
}

function checkCondition(cond: Condition, path: Path, catalog: Catalog, add: Add): void {
  if ("all" in cond) return cond.all.forEach((c, i) => checkCondition(c, [...path, "all", i], catalog, add));
  if ("any" in cond) return cond.any.forEach((c, i) => checkCondition(c, [...path, "any", i], catalog, add));
  if ("not" in cond) return checkCondition(cond.not, [...path, "not"], catalog, add);
  const spec = catalog.find(cond.field, [...path, "field"], add);
  if (!spec) return;
  const allowed = OPS_BY_KIND[spec.kind];
  if (!allowed.includes(cond.op)) {
    return add([...path, "op"], `"${cond.op}" does not apply to ${cond.field} (${KIND_WORD[spec.kind]}): use one of ${allowed.join(", ")}.`);
  }
  const at = [...path, "value"];
  if (cond.op === "is-set" || cond.op === "is-not-set") {
    if (cond.value !== undefined) add(at, `"${cond.op}" takes no value: remove the value.`);
    return;
  }
  if (cond.value === undefined) return add(at, `"${cond.op}" needs a value to compare ${cond.field} with.`);
  if (cond.op === "in" || cond.op === "not-in") {
    if (!Array.isArray(cond.value)) return add(at, `"${cond.op}" needs a list of values, like [${exampleValues(spec)}].`);
    return cond.value.forEach((v, i) => {
      const problem = valueProblem(cond.field, spec, v);
      if (problem) add([...at, i], problem);
    });
  }
  if (Array.isArray(cond.value)) return add(at, `"${cond.op}" compares with one value, not a list (use "in" for a list).`);
  const problem = valueProblem(cond.field, spec, cond.value);
  if (problem) add(at, problem);
}

/** Is `value` something the field can hold (an allowed choice, a number, a date, yes/no, an email)? */
function valueProblem(field: string, spec: FieldSpec, value: Scalar): string | undefined {
  const text = String(value).trim();
  switch (spec.kind) {
    case "enum":
      return spec.values?.some((v) => v.toLowerCase() === text.toLowerCase()) ? undefined : `"${text}" is not a value of ${field}: use one of ${spec.values?.join(", ")}.`;
    case "number":
      return text !== "" && Number.isFinite(Number(value)) && typeof value !== "boolean" ? undefined : `${field} is a number; "${text}" is not.`;
    case "date":
      return toInstant(value) !== undefined ? undefined : `${field} is a date: write it as 2026-12-01 or 2026-12-01T09:00:00Z, not "${text}".`;
    case "bool":
      return typeof value === "boolean" || /^(yes|no|true|false)$/i.test(text) ? undefined : `${field} is yes or no, not "${text}".`;
    case "user":
      return EMAIL.test(text) ? undefined : `${field} is a person: write their email, not "${text}".`;
    default:
      return text === "" ? `Write a value for ${field}.` : undefined;
  }
}

function exampleValues(spec: FieldSpec): string {
  if (spec.values) return spec.values.slice(0, 2).join(", ");
  return spec.kind === "number" ? "1, 2" : "a, b";
}

function checkAction(action: Action, path: Path, catalog: Catalog, add: Add): void {
  const type = catalog.type;
  const templates = (key: string, text: string) => templateProblems(text, type).forEach((m) => add([...path, key], m));
  if (type === "partner") checkPartnerAction(action, path, add);
  switch (action.do) {
    case "post":
      return templates("text", action.text);
    case "dm":
      if (action.to === "attendees" && type !== "meeting" && type !== "partner") add([...path, "to"], `Only meetings have attendees; a ${type.replace("-", " ")} rule can DM the responsible person, the team manager or the watchers.`);
      return templates("text", action.text);
    case "email":
      if (action.to === "customer" && !CUSTOMER_EMAIL_TYPES.includes(type)) add([...path, "to"], `A ${type.replace("-", " ")} has no customer address to write to; email customers from case, claim, lead, opportunity or partner rules.`);
      templates("subject", action.subject);
      return templates("body", action.body);
    case "set":
      return checkSet(action, path, catalog, add);
    case "add-watchers":
      return action.people.forEach((p, i) => {
        if (!EMAIL.test(p)) add([...path, "people", i], `"${p}" is not an email address.`);
      });
    case "follow-up":
      if (!RESPONSIBLE_TYPES.includes(type)) add([...path, "do"], `A ${type.replace("-", " ")} has no responsible person to plan a follow-up for.`);
      if (action.in.amount < 0) add([...path, "in", "amount"], "A follow-up is due after the rule fires: use a positive amount.");
      checkMeetingOptions(action, path, type, add);
      return templates("title", action.title);
    case "webhook":
      return;
  }
}

/** Only a meeting has a length and guests; a customer can be invited only where the record has a customer address. */
function checkMeetingOptions(action: Extract<Action, { do: "follow-up" }>, path: Path, type: RecordType, add: Add): void {
  const invites = action["invite-customer"] === true;
  if (action.kind !== "meeting") {
    if (action.minutes !== undefined) add([...path, "minutes"], `Only a meeting lasts some minutes: remove "minutes" from this ${action.kind} follow-up.`);
    if (action["invite-customer"] !== undefined) add([...path, "invite-customer"], `Only a meeting has guests: remove "invite-customer" from this ${action.kind} follow-up.`);
  } else if (invites && !CUSTOMER_EMAIL_TYPES.includes(type)) {
    add([...path, "invite-customer"], `A ${type.replace("-", " ")} has no customer address to invite; invite customers from case, claim, lead, opportunity or partner rules.`);
  }
}

/** A partner has no team (so no channel and no team manager), no attendees and no watchers: say so when the rule is saved. */
function checkPartnerAction(action: Action, path: Path, add: Add): void {
  const instead = "a partner rule can DM or email its salesperson (to: responsible), email the partner (to: customer), or call a webhook.";
  if (action.do === "post") add([...path, "to"], `A partner has no team, so no team channel to post in; ${instead}`);
  if ((action.do === "dm" || action.do === "email") && action.to === "team-manager") add([...path, "to"], `A partner has no team, so no team manager; ${instead}`);
  if ((action.do === "dm" || action.do === "email") && action.to === "watchers") add([...path, "to"], `Partners have no watchers; ${instead}`);
  if (action.do === "dm" && action.to === "attendees") add([...path, "to"], `Only meetings have attendees; ${instead}`);
  if (action.do === "add-watchers") add([...path, "do"], "Partners have no watchers, so none can be added; DM or email its salesperson (to: responsible) instead.");
}

/** Fields written as on other records (partner.categories, team.name): on a partner rule the partner is the record. */
function partnerHint(name: string, fields: Record<string, FieldSpec>): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith("partner.") && fields[lower.slice("partner.".length)]) {
    return `On a partner rule the partner is the record: write "${lower.slice("partner.".length)}", not "${name}".`;
  }
  if (lower === "team" || lower.startsWith("team.")) return `A partner has no team; its salesperson is "responsible" (and responsible.name, responsible.email).`;
  return undefined;
}

function checkSet(action: Extract<Action, { do: "set" }>, path: Path, catalog: Catalog, add: Add): void {
  const spec = catalog.find(action.field, [...path, "field"], add);
  if (!spec) return;
  if (!spec.settable) return add([...path, "field"], `A rule cannot set ${action.field}; it can set ${catalog.settable().join(", ")}.`);
  const at = [...path, "value"];
  const values = Array.isArray(action.value) ? action.value : [action.value];
  if (spec.kind === "tags") {
    if (values.length === 0 || values.some((v) => typeof v !== "string" || v.trim() === "")) add(at, "Give a tag, or a list of tags, to add.");
    return;
  }
  if (Array.isArray(action.value)) return add(at, `${action.field} takes one value, not a list.`);
  const problem = valueProblem(action.field, spec, action.value);
  if (problem) return add(at, problem);
  // A lead's priority is Odoo's 0–3 stars (crm.lead priority), not a free number.
  if (spec.kind === "number" && action.field === "priority" && !/^[0-3]$/.test(String(action.value).trim())) {
    add(at, "A lead's priority is 0 (low), 1 (medium), 2 (high) or 3 (very high).");
  }
}

/** A zone both Intl (formatting) and Temporal (counting days) know. */
function isUsableZone(timeZone: string): boolean {
  if (!isValidTimeZone(timeZone)) return false;
  try {
    Temporal.PlainDate.from("2026-01-01").toZonedDateTime({ timeZone });
    return true;
  } catch {
    return false;
  }
}

type Issue = z.core.$ZodIssue;

/** zod's issues as plain messages at their paths; a condition's union is narrowed to the form it was written in. */
function zodProblems(issues: readonly Issue[], input: unknown, prefix: Path = []): RuleProblem[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== "symbol")];
    const raw = valueAt(input, path);
    if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
      const options = (issue as { options?: unknown[] }).options?.join(", ") ?? "";
      const what = issue.discriminator === "do" ? "action" : issue.discriminator === "kind" ? "trigger" : issue.discriminator;
      return [{ path, message: raw === undefined ? `Say which ${what} (${issue.discriminator}): one of ${options}.` : `"${String(raw)}" is not a known ${what}: use one of ${options}.` }];
    }
    if (issue.code === "invalid_union" && issue.errors.length === 4) {
      const written = conditionForm(raw);
      if (written === undefined) return [{ path, message: "Write a condition as field/op/value, or as all: [...], any: [...] or not: {...}." }];
      return zodProblems(issue.errors[written] ?? [], input, path);
    }
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key], message: `Unknown key "${key}": remove it or check its spelling.` }));
    }
    if (issue.code === "invalid_value") {
      const options = issue.values.map(String).join(", ");
      return [{ path, message: raw === undefined ? `Missing: one of ${options}.` : `"${String(raw)}" is not allowed here: use one of ${options}.` }];
    }
    if (issue.code === "invalid_type") {
      const key = path[path.length - 1];
      return [{ path, message: raw === undefined ? `Missing: ${String(key ?? "a value")} (${issue.expected}).` : `${String(key ?? "This")} should be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}, not ${describeRaw(raw)}.` }];
    }
    return [{ path, message: issue.message }];
  });
}

/** Which branch of conditionSchema the writer meant: a leaf, all, any or not. */
function conditionForm(raw: unknown): number | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const forms = ["field", "all", "any", "not"];
  const index = forms.findIndex((key) => key in raw);
  return index < 0 ? ("op" in raw ? 0 : undefined) : index;
}

function valueAt(input: unknown, path: Path): unknown {
  let at = input;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function describeRaw(raw: unknown): string {
  if (raw === null) return "empty";
  if (Array.isArray(raw)) return "a list";
  if (typeof raw === "object") return "a mapping";
  return `${typeof raw === "string" ? "the text" : `the ${typeof raw}`} ${JSON.stringify(raw)}`;
}
