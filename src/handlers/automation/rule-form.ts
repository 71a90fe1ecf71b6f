// The rule form of /crm rules: a new rule or an edit, written in YAML, checked, saved and scheduled.
import { NEW_RULE_TEMPLATE, problemsText, RULE_TEXT_MAX, ruleForm, ruleFormSchema } from "../../bot/views/rule-forms.js";
import { ruleChangedView } from "../../bot/views/rule-views.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { parseForm } from "../../bot/views/form-values.js";
import { isTimeTrigger, type RuleDefinition } from "../../domain/automation/definition.js";
import { parseRuleText, serializeRule } from "../../domain/automation/rule-file.js";
import { isUniqueViolation } from "../admin/command.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { scheduleRuleBackfill } from "./engine.js";
import { refuseUnlessRuleAdmin, ruleForButton } from "./manage-rules.js";
import { createRule, findRuleById, recordRuleChange, ruleNamed, ruleReference, updateRule, type StoredRule } from "./rule-store.js";

export async function openNewRuleForm(_deps: Deps, who: Who): Promise<Reply> {
  return refuseUnlessRuleAdmin(who) ?? openForm(ruleForm({ text: NEW_RULE_TEMPLATE, context: {} }));
}

/** Opens on the rule as it is now (an edit from an older list still edits the current version). */
export async function openEditRuleForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const found = await ruleForButton(deps, value, { ignoreVersion: true });
  if (!found.ok) return found.reply;
  const rule = found.rule;
  const text = serializeRule(rule.definition);
  const reference = ruleReference(rule.number);
  if (text.length > RULE_TEXT_MAX) {
    return privateMessage(notice(`${reference} is longer than a chat form holds (${RULE_TEXT_MAX} characters).`, "Change it in a file: npm run admin -- rule export --file rules.yaml, edit, then npm run admin -- rule import rules.yaml."));
  }
  return openForm(ruleForm({ text, reference, isTimeRule: isTimeTrigger(rule.definition.trigger), context: { ruleId: rule.id, version: String(rule.version) } }));
}

const ALREADY_SAVED = "This rule was changed by someone else since you opened the form: close it and edit it again from /crm rules.";

export async function submitRuleForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const form = parseForm(ruleForm({ text: "", context }), values);
  if (!form.ok) return { kind: "errors", errors: form.errors };
  const parsed = parseRuleText(form.value.rule);
  if (!parsed.ok) return { kind: "errors", errors: { rule: problemsText(parsed.problems) } };
  const definition = parsed.rule;
  const existing = context.ruleId ? await findRuleById(deps.db, context.ruleId) : undefined;
  if (context.ruleId && !existing) return { kind: "errors", errors: { rule: "This rule was deleted since you opened the form." } };
  if (existing && String(existing.version) !== context.version) return { kind: "errors", errors: { rule: ALREADY_SAVED } };
  const taken = await ruleNamed(deps.db, definition.name, existing?.id);
  if (taken) return { kind: "errors", errors: { rule: nameTaken(taken) } };
  const saved = await save(deps, who, definition, existing);
  if (!saved.ok) return { kind: "errors", errors: { rule: saved.message } };
  const rule = saved.rule;
  // After the commit: the backfill job reads the rule as saved (and the command line catches up what it misses).
  if (rule.enabled) await scheduleRuleBackfill(deps, rule.id);
  const change = existing ? `is saved (version ${rule.version})` : "is created";
  const detail = `${rule.enabled ? "It is on" : "It is off: switch it on from /crm rules"}.${isTimeTrigger(rule.definition.trigger) ? " Moments already past when it was saved do not fire retroactively." : ""}`;
  return { kind: "done", view: ruleChangedView(ruleReference(rule.number), rule.name, change, detail) };
}

function nameTaken(rule: StoredRule): string {
  return `There is already a rule named “${rule.name}” (${ruleReference(rule.number)}): give this one another name.`;
}

type Saved = { ok: true; rule: StoredRule } | { ok: false; message: string };

async function save(deps: Deps, who: Who, definition: RuleDefinition, existing: StoredRule | undefined): Promise<Saved> {
  try {
    const rule = await deps.db.$transaction(async (tx) => {
      // Only the version the form was opened on: a concurrent save in between makes this one fail, not overwrite.
      const saved = existing ? await updateRule(tx, who.actor, existing, definition) : await createRule(tx, who.actor, definition);
      if (!saved) return undefined;
      await recordRuleChange(tx, deps.logger, who.actor, saved, existing ? "updated" : "created");
      return saved;
    });
    return rule ? { ok: true, rule } : { ok: false, message: ALREADY_SAVED };
  } catch (error) {
    // A double submit of the same form: the second insert meets the unique name and answers like the check above.
    if (isUniqueViolation(error)) return { ok: false, message: `There is already a rule named “${definition.name}”: give this one another name.` };
    throw error;
  }
}
