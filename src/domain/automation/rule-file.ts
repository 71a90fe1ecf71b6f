// Rules as YAML: the file `npm run admin -- rule export/import` reads and writes, and the rule text in the chat form.
// A file with a mistake yields every problem with its line and column, so nothing is half-imported.
import type { Document, LineCounter, Node } from "yaml";
import { yaml } from "../yaml-lazy.js";
import type { RuleDefinition } from "./definition.js";
import { checkRule } from "./rule-check.js";

export interface FileProblem {
  line: number;
  column: number;
  /** The rule's name (or "#3" when it has none), when the problem is inside a rule. */
  rule?: string;
  path: string;
  message: string;
}

export type RuleFileResult = { ok: true; rules: RuleDefinition[] } | { ok: false; problems: FileProblem[] };
export type RuleTextResult = { ok: true; rule: RuleDefinition } | { ok: false; problems: FileProblem[] };

export const MAX_RULES = 500;
export const MAX_FILE_BYTES = 1_000_000;

const IMPORT_HINT = "Import with: npm run admin -- rule import <file> (a file with a mistake changes nothing).";

type Path = (string | number)[];

interface Loaded {
  doc: Document;
  lines: LineCounter;
  value: unknown;
}

/** A YAML list of rules, or `rules:` followed by one (or a single rule's mapping): every rule checked, names unique. */
export function parseRuleFile(text: string): RuleFileResult {
  const loaded = load(text);
  if (!loaded.ok) return loaded;
  const found = rulesIn(loaded.loaded);
  if (!found.ok) return found;
  const { list, at } = found;
  if (list.length === 0) return fail(loaded.loaded, at(0).slice(0, -1), "The file holds no rules.");
  if (list.length > MAX_RULES) return fail(loaded.loaded, at(0).slice(0, -1), `A file holds at most ${MAX_RULES} rules; this one has ${list.length}.`);
  return checkAll(loaded.loaded, list, at);
}

/** One rule, as a YAML mapping (a list or `rules:` holding exactly one rule is accepted too, as pasted from a file). */
export function parseRuleText(text: string): RuleTextResult {
  const loaded = load(text);
  if (!loaded.ok) return loaded;
  const found = rulesIn(loaded.loaded);
  if (!found.ok) return found;
  if (found.list.length !== 1) return fail(loaded.loaded, [], `Give one rule here, not ${found.list.length}.`);
  const result = checkAll(loaded.loaded, found.list, found.at);
  return result.ok ? { ok: true, rule: result.rules[0]! } : result;
}

type Found = { ok: true; list: unknown[]; at: (index: number) => Path } | { ok: false; problems: FileProblem[] };

/** The rules of a document, with the path of each in it. */
function rulesIn(loaded: Loaded): Found {
  const { value } = loaded;
  if (Array.isArray(value)) return { ok: true, list: value, at: (i) => [i] };
  if (typeof value === "object" && value !== null && "rules" in value) {
    const { rules } = value as { rules: unknown };
    if (Array.isArray(rules)) return { ok: true, list: rules, at: (i) => ["rules", i] };
  } else if (typeof value === "object" && value !== null && "name" in value) {
    return { ok: true, list: [value], at: () => [] };
  }
  return fail(loaded, [], 'Write the rules as a YAML list (each starting with "- name: …"), or under "rules:".');
}

function checkAll(loaded: Loaded, list: unknown[], at: (index: number) => Path): RuleFileResult {
  const problems: FileProblem[] = [];
  const rules: RuleDefinition[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const label = ruleLabel(raw, i);
    const checked = checkRule(raw);
    if (checked.ok) {
      rules.push(checked.rule);
      const key = checked.rule.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else problems.push(placed(loaded, [...at(i), "name"], `Rule #${first + 1} has this name already; names must be unique.`, label));
    } else {
      problems.push(...checked.problems.map((p) => placed(loaded, [...at(i), ...p.path], p.message, label)));
    }
  });
  return problems.length === 0 ? { ok: true, rules } : { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
}

function load(text: string): { ok: true; loaded: Loaded } | { ok: false; problems: FileProblem[] } {
  const at1 = (message: string): { ok: false; problems: FileProblem[] } => ({ ok: false, problems: [{ line: 1, column: 1, path: "", message }] });
  if (new TextEncoder().encode(text).length > MAX_FILE_BYTES) return at1(`The file is larger than ${MAX_FILE_BYTES / 1_000_000} MB.`);
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { line: pos.line, column: pos.col, path: "", message: e.message.split("\n")[0] ?? e.message };
      }),
    };
  }
  if (doc.contents === null) return at1("The file is empty: write at least one rule.");
  try {
    return { ok: true, loaded: { doc, lines, value: doc.toJS({ maxAliasCount: 100 }) } };
  } catch (error) {
    return at1(`The file could not be read: ${(error as Error).message}`);
  }
}

function ruleLabel(raw: unknown, index: number): string {
  const name = typeof raw === "object" && raw !== null ? (raw as { name?: unknown }).name : undefined;
  return typeof name === "string" && name.trim() !== "" ? name.trim() : `#${index + 1}`;
}

function fail(loaded: Loaded, path: Path, message: string): { ok: false; problems: FileProblem[] } {
  return { ok: false, problems: [placed(loaded, path, message)] };
}

/** The problem at the line and column of the node at `path`, or of its nearest parent that exists in the file. */
function placed(loaded: Loaded, path: Path, message: string, rule?: string): FileProblem {
  const offset = offsetOf(loaded.doc, path);
  const pos = loaded.lines.linePos(offset);
  return { line: pos.line, column: pos.col, ...(rule === undefined ? {} : { rule }), path: showPath(path), message };
}

function offsetOf(doc: Document, path: Path): number {
  for (let n = path.length; n >= 0; n--) {
    let node: unknown;
    try {
      node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    } catch {
      node = undefined;
    }
    if (yaml().isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** rules[2].actions[0].text — how a person finds the place in the file. */
function showPath(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** Readable key order wherever the key appears: what a rule is first, then when, then what it does. */
const KEY_ORDER = [
  "name", "record", "enabled", "trigger", "before", "conditions", "actions", "timeZone",
  "kind", "do", "to", "field", "fields", "op", "value", "offset", "amount", "unit",
  "all", "any", "not", "title", "in", "subject", "body", "text", "people", "url",
];

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== "object" || value === null) return value;
  const rank = (k: string) => (KEY_ORDER.includes(k) ? KEY_ORDER.indexOf(k) : KEY_ORDER.length);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/** One rule's plain data in file order; the time zone only when it is not UTC (the default). */
function plain(rule: RuleDefinition): unknown {
  const { timeZone, ...rest } = rule;
  return ordered(timeZone === "UTC" ? rest : { ...rest, timeZone });
}

function toYaml(doc: Document): string {
  // Short lists of values ([high, urgent], people) read best on one line.
  yaml().visit(doc, {
    Seq(_, node) {
      if (node.items.length > 0 && node.items.every((item) => yaml().isScalar(item))) node.flow = true;
    },
  });
  // No folding: long texts stay on one line and multi-line ones are literal blocks, as the writer typed them.
  return doc.toString({ lineWidth: 0, blockQuote: "literal" });
}

/** The rules as a file, with a header saying how to import it; `parseRuleFile` reads back the same definitions. */
export function serializeRules(rules: RuleDefinition[]): string {
  const doc = new (yaml().Document)({ rules: rules.map(plain) });
  doc.commentBefore = ` Switchboard automation rules (${rules.length}).\n ${IMPORT_HINT}`;
  const list = doc.get("rules", true);
  if (yaml().isSeq(list)) list.items.forEach((item, i) => i > 0 && yaml().isMap(item) && ((item as Node).spaceBefore = true));
  return toYaml(doc);
}

/** One rule as YAML (the chat form's text, or a file of one rule). */
export function serializeRule(rule: RuleDefinition): string {
  const doc = new (yaml().Document)(plain(rule));
  doc.commentBefore = ` A Switchboard automation rule. Edit it in /crm rules, or keep it in a file.\n ${IMPORT_HINT}`;
  return toYaml(doc);
}
