// "Dry run" on a rule of /crm rules: what the rule would do to one record right now, changing nothing.
import { dryRunForm, RULE_DRY_RUN_FORM_ID } from "../../bot/views/rule-forms.js";
import { dryRunView, MISSING_RULE } from "../../bot/views/rule-views.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { dryRun } from "./engine.js";
import { refuseUnlessRuleAdmin, ruleForButton } from "./manage-rules.js";
import { findRuleById, ruleReference } from "./rule-store.js";

export { RULE_DRY_RUN_FORM_ID };

export async function openDryRunForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const found = await ruleForButton(deps, value, { ignoreVersion: true });
  if (!found.ok) return found.reply;
  return openForm(dryRunForm(ruleReference(found.rule.number), { ruleId: found.rule.id }));
}

/** Runs against the rule as it is at submit time (an edit in between is what the admin wants to try). */
export async function submitDryRunForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const form = parseForm(dryRunForm("", context), values);
  if (!form.ok) return { kind: "errors", errors: form.errors };
  const rule = context.ruleId ? await findRuleById(deps.db, context.ruleId) : undefined;
  if (!rule) return privateMessage(notice(MISSING_RULE));
  const result = await dryRun(deps, { id: rule.id, number: rule.number, definition: rule.definition }, form.value.record);
  // An unknown or unfitting record is the person's to correct, on the field.
  if (!result.ok) return { kind: "errors", errors: { record: result.reason } };
  return { kind: "done", view: dryRunView(ruleReference(rule.number), rule.name, result) };
}
