// `admin rule import <file> [--dry-run]`: rules from a YAML file, all or nothing, matched to existing rules by name.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Block } from "../../bot/views/view.js";
import type { RuleDefinition } from "../../domain/automation/definition.js";
import { parseRuleFile, type FileProblem } from "../../domain/automation/rule-file.js";
import type { Actor } from "../../domain/policy.js";
import type { Tx } from "../../db/outbox.js";
import { createRule, listRules, recordRuleChange, ruleReference, updateRule, type StoredRule } from "../automation/rule-store.js";
import type { Deps } from "../deps.js";
import { defineCommand, refuse, yesNoArg, type AdminContext, type AdminResult } from "./command.js";
import { cliOnly, ruleAdminRefusal } from "./rules.js";

/** `rules.yaml:12:5: rule "X": actions[1].text: message` — the place an editor can jump to. */
export function problemLine(file: string, p: FileProblem): string {
  // Inside a named rule, its place in the list ("[1]." or "rules[1].") says nothing the name does not.
  const path = p.rule ? p.path.replace(/^(rules)?\[\d+\]\.?/, "") : p.path;
  return `${file}:${p.line}:${p.column}: ${p.rule ? `rule "${p.rule}": ` : ""}${path ? `${path}: ` : ""}${p.message}`;
}

type Step = { kind: "create"; definition: RuleDefinition } | { kind: "update" | "unchanged"; definition: RuleDefinition; existing: StoredRule };

/** Keys in a fixed order: PostgreSQL's jsonb does not keep the order the definition was written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Each rule of the file against the rules there are, by name (ignoring case). */
function plan(rules: RuleDefinition[], existing: StoredRule[]): { ok: true; steps: Step[] } | { ok: false; message: string } {
  const byName = new Map(existing.map((r) => [r.name.toLowerCase(), r]));
  const seen = new Set<string>();
  const steps: Step[] = [];
  for (const definition of rules) {
    const key = definition.name.toLowerCase();
    if (seen.has(key)) return { ok: false, message: `two rules in the file are named "${definition.name}" (names are compared ignoring case): nothing was changed` };
    seen.add(key);
    const match = byName.get(key);
    if (!match) steps.push({ kind: "create", definition });
    else steps.push({ kind: canonical(match.definition) === canonical(definition) ? "unchanged" : "update", definition, existing: match });
  }
  return { ok: true, steps };
}

async function apply(tx: Tx, deps: Deps, actor: Actor, steps: Step[]): Promise<string[]> {
  const lines: string[] = [];
  for (const step of steps) {
    if (step.kind === "unchanged") {
      lines.push(`unchanged ${ruleReference(step.existing.number)} “${step.existing.name}”`);
      continue;
    }
    const saved = step.kind === "create" ? await createRule(tx, actor, step.definition) : await updateRule(tx, actor, step.existing, step.definition);
    // Someone saved the rule in chat while the import ran: all or nothing, so the whole import stops.
    if (!saved) throw new ImportRaced(step.definition.name);
    await recordRuleChange(tx, deps.logger, actor, saved, step.kind === "create" ? "created" : "updated");
    lines.push(step.kind === "create" ? `created ${ruleReference(saved.number)} “${saved.name}” (${saved.enabled ? "on" : "off"})` : `updated ${ruleReference(saved.number)} “${saved.name}” (version ${saved.version}, ${saved.enabled ? "on" : "off"})`);
  }
  return lines;
}

class ImportRaced extends Error {
  constructor(readonly ruleName: string) {
    super(`rule "${ruleName}" changed while importing`);
  }
}

function dryLine(step: Step): string {
  if (step.kind === "create") return `would create “${step.definition.name}” (${step.definition.enabled ? "on" : "off"})`;
  return `${step.kind === "update" ? "would update" : "unchanged"} ${ruleReference(step.existing.number)} “${step.existing.name}”`;
}

export const ruleImportCommand = defineCommand({
  path: "rule import",
  summary: "Create and update automation rules from a YAML file (matched by name); a file with any problem changes nothing",
  positional: { name: "file", flag: "file", help: "the YAML file (as rule export writes it)", isRequired: true },
  flags: [{ name: "dry-run", value: "yes", help: "Only say what the import would do", isCliOnly: true }],
  examples: ["rule import rules.yaml", "rule import rules.yaml --dry-run"],
  schema: z.object({ file: z.string({ error: "say which file: rule import rules.yaml" }).trim().min(1), "dry-run": yesNoArg("--dry-run").optional() }),
  run: async (deps: Deps, actor: Actor, input: { file: string; "dry-run"?: boolean }, ctx: AdminContext): Promise<AdminResult> => {
    const refused = ruleAdminRefusal(actor) ?? cliOnly(ctx, "import");
    if (refused) return refused;
    const text = await readText(input.file);
    if (!text.ok) return refuse(text.message);
    const parsed = parseRuleFile(text.value);
    if (!parsed.ok) {
      const count = `${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}`;
      return refuse(`${input.file} has ${count}; nothing was changed:\n${parsed.problems.map((p) => problemLine(input.file, p)).join("\n")}`);
    }
    const isDryRun = input["dry-run"] === true;
    try {
      const outcome = await deps.db.$transaction(async (tx) => {
        const planned = plan(parsed.rules, await listRules(tx));
        if (!planned.ok || isDryRun) return planned.ok ? { ok: true as const, lines: planned.steps.map(dryLine) } : planned;
        return { ok: true as const, lines: await apply(tx, deps, actor, planned.steps) };
      });
      if (!outcome.ok) return refuse(outcome.message);
      const title = isDryRun ? `Dry run of ${input.file}: nothing was changed` : `Imported ${input.file}`;
      const blocks: Block[] = [
        { type: "header", text: title },
        { type: "text", text: outcome.lines.join("\n") || "the file has no rules" },
        { type: "context", text: "Rules not in the file are left as they are. Time rules: moments already past do not fire retroactively." },
      ];
      return { ok: true, view: { text: title, blocks }, data: outcome.lines };
    } catch (error) {
      if (error instanceof ImportRaced) return refuse(`${error.message}: nothing was changed; run the import again`);
      throw error;
    }
  },
});

async function readText(file: string): Promise<{ ok: true; value: string } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await readFile(file, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === "ENOENT" ? `there is no file ${file}` : `cannot read ${file} (${code ?? String(error)})` };
  }
}
