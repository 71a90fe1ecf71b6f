// Category criteria as YAML text: what the chat form and the command line read and show.
import { yaml } from "../yaml-lazy.js";
import { parseCriteria, type Criterion, type Problem } from "./criteria.js";

export type CriteriaTextResult = { ok: true; criteria: Criterion | null } | { ok: false; problems: Problem[] };

/** Empty text (or only comments, or `none`) means "assigned by hand only". */
export function parseCriteriaText(text: string): CriteriaTextResult {
  let raw: unknown;
  try {
    raw = yaml().parse(text, { prettyErrors: true, maxAliasCount: 0 });
  } catch (error) {
    const message = (error as Error).message.split("\n")[0] ?? "not valid YAML";
    return { ok: false, problems: [{ path: "criteria", message: `not valid YAML: ${message}` }] };
  }
  if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim().toLowerCase() === "none")) return { ok: true, criteria: null };
  const parsed = parseCriteria(raw);
  return parsed.ok ? { ok: true, criteria: parsed.criteria } : parsed;
}

/** Block style for all / any, flow style inside one criterion: `- won-revenue: { days: 365, at-least: 40000 }`. */
export function serializeCriteria(criteria: Criterion | null): string {
  if (!criteria) return "";
  const doc = new (yaml().Document)(criteria);
  yaml().visit(doc, {
    Pair(_, pair) {
      const kind = yaml().isScalar(pair.key) ? String(pair.key.value) : "";
      if (kind !== "all" && kind !== "any" && yaml().isCollection(pair.value)) pair.value.flow = true;
    },
  });
  return doc.toString();
}

/** Problems as lines a person can act on, at most `max`. */
export function problemsText(problems: Problem[], max = 10): string {
  const lines = problems.slice(0, max).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > max) lines.push(`…and ${problems.length - max} more`);
  return lines.join("\n");
}

/** Shown under the criteria in the form: every kind, as comments (so an untouched form changes nothing). */
export const CRITERIA_HELP = `# Lines starting with # are comments. Empty: members are added by hand only.
# One criterion, or several under all: (every one) or any: (at least one), e.g.
# all:
#   - country: [DE, AT]
#   - won-revenue: { days: 365, at-least: 40000 }
# Kinds: country: [DE]  industry: [Retail]  customer: true  supplier: false
#   won-revenue: { days: 365, at-least: 40000 }   open-cases: { at-least: 2 }
#   last-contact: { within-days: 90 }   or   last-contact: { older-than-days: 180 }
`;
