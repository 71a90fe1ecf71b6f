// Placeholders in a rule's texts ({{case.ref}}, {{partner.name}}…): checked when the rule is saved, filled when it fires.
import { Temporal } from "temporal-polyfill";
import { closestMatch } from "../closest-match.js";
import { modelOf, RECORD_TYPES, type RecordType } from "./definition.js";
import { FIELDS, fieldsOf, type FieldKind, type FieldValue, type RecordSnapshot } from "./fields.js";

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Placeholders that are not fields of the record but are always there. */
const ALWAYS = ["rule.name", "record.ref", "record.title"] as const;

/** Words people bring from Odoo or mail tools, read as the field they mean (only for "did you mean"). */
const ALIASES: Record<string, string> = {
  subject: "title",
  name: "title",
  summary: "title",
  assignee: "responsible",
  owner: "responsible",
  salesperson: "responsible",
  user: "responsible",
  organizer: "responsible",
  customer: "partner",
  client: "partner",
  reference: "ref",
  number: "ref",
};

const ARTICLE: Record<RecordType, string> = {
  case: "a case",
  claim: "a claim",
  lead: "a lead",
  opportunity: "an opportunity",
  call: "a call",
  meeting: "a meeting",
  "merge-request": "a merge request",
  contract: "a contract",
  partner: "a partner",
};

/** The words the record's own fields are prefixed with: an opportunity is also a lead (one model, as in Odoo). */
function prefixesOf(type: RecordType): string[] {
  return type === "opportunity" ? ["opportunity", "lead"] : [type];
}

interface Known {
  kind: FieldKind;
  /** The key in a snapshot's fields, or a special source. */
  source: { field: string } | { special: (typeof ALWAYS)[number] };
}

const knownCache = new Map<RecordType, Map<string, Known>>();

/** Every placeholder a text on `type` may use, lower case, with where its value comes from. */
function knownPlaceholders(type: RecordType): Map<string, Known> {
  const cached = knownCache.get(type);
  if (cached) return cached;
  const own = FIELDS[modelOf(type)];
  const known = new Map<string, Known>();
  for (const prefix of prefixesOf(type)) {
    for (const [key, spec] of Object.entries(own)) known.set(`${prefix}.${key}`, { kind: spec.kind, source: { field: key } });
  }
  for (const [key, spec] of Object.entries(fieldsOf(type))) {
    if (!(key in own)) known.set(key, { kind: spec.kind, source: { field: key } });
  }
  for (const special of ALWAYS) known.set(special, { kind: "text", source: { special } });
  knownCache.set(type, known);
  return known;
}

/** The placeholder names a text on `type` may use (for help and forms). */
export function placeholdersOf(type: RecordType): string[] {
  return [...knownPlaceholders(type).keys()];
}

/** Every unknown placeholder (with the closest known one) and every `{{` left open. */
export function templateProblems(text: string, type: RecordType): string[] {
  const known = knownPlaceholders(type);
  const problems: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? "").toLowerCase();
    if (known.has(name)) continue;
    if (name === "") {
      problems.push(`${match[0]} is empty: write a field name between the braces, like {{${type}.ref}}.`);
      continue;
    }
    const suggestion = suggestPlaceholder(name, type);
    problems.push(`{{${match[1]}}} is not a field of ${ARTICLE[type]}${suggestion ? `; did you mean {{${suggestion}}}?` : "."}`);
  }
  for (const at of unclosedAt(text)) {
    problems.push(`"{{" is not closed: ${JSON.stringify(text.slice(at, at + 30))}; end the placeholder with "}}".`);
  }
  return problems;
}

function suggestPlaceholder(name: string, type: RecordType): string | undefined {
  const own = Object.keys(FIELDS[modelOf(type)]);
  const dot = name.indexOf(".");
  const head = dot < 0 ? "" : name.slice(0, dot);
  const key = dot < 0 ? name : name.slice(dot + 1);
  const ownKey = () => {
    const word = closestMatch(key, [...own, ...Object.keys(ALIASES)]);
    // An alias never hides a real field: "name" is a partner's own field, and a case's title.
    const field = word === undefined ? undefined : own.includes(word) ? word : (ALIASES[word] ?? word);
    return field === undefined ? undefined : `${type}.${field}`;
  };
  // {{lead.ref}} on a case, {{record.subject}}: the writer named the record, so suggest one of its own fields
  // ({{partner.nam}} names the related partner on a case, and the record itself on a partner rule).
  const isRelated = Object.keys(fieldsOf(type)).some((k) => k.startsWith(`${head}.`));
  if (((RECORD_TYPES as readonly string[]).includes(head) && !isRelated) || head === "record") return ownKey();
  return closestMatch(name, placeholdersOf(type)) ?? ownKey();
}

/** Offsets of each "{{" with no "}}" before the next "{{" (or the end). */
function unclosedAt(text: string): number[] {
  const open: number[] = [];
  for (let at = text.indexOf("{{"); at >= 0; ) {
    const close = text.indexOf("}}", at + 2);
    const next = text.indexOf("{{", at + 2);
    if (close < 0 || (next >= 0 && next < close)) {
      open.push(at);
      at = next;
    } else at = text.indexOf("{{", close + 2);
  }
  return open;
}

export interface RenderContext {
  ruleName: string;
  timeZone: string;
}

/** The text with each placeholder replaced by the record's value; an unknown placeholder stays as written. */
export function renderTemplate(text: string, type: RecordType, snapshot: RecordSnapshot, ctx: RenderContext): string {
  const known = knownPlaceholders(type);
  return text.replace(PLACEHOLDER, (whole, inner: string) => {
    const placeholder = known.get(inner.toLowerCase());
    if (!placeholder) return whole;
    const { source } = placeholder;
    if ("special" in source) {
      if (source.special === "rule.name") return ctx.ruleName;
      if (source.special === "record.ref") return snapshot.ref;
      return formatValue(snapshot.fields.title ?? null, "text", ctx.timeZone);
    }
    const value = source.field === "ref" ? (snapshot.fields.ref ?? snapshot.ref) : (snapshot.fields[source.field] ?? null);
    return formatValue(value, placeholder.kind, ctx.timeZone);
  });
}

function formatValue(value: FieldValue, kind: FieldKind, timeZone: string): string {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return "—";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (kind === "date" && typeof value === "string") return formatDate(value, timeZone);
  return String(value);
}

/** "2026-12-05 14:00 (Europe/Berlin)": unambiguous for any reader, whatever their own zone. */
function formatDate(iso: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${z.year}-${pad(z.month)}-${pad(z.day)} ${pad(z.hour)}:${pad(z.minute)} (${timeZone})`;
}
