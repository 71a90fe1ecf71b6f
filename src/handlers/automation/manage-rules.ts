// `/crm rules` (admins): the list of automation rules, and its buttons to switch, delete and add the shipped examples.
import { confirmDeleteView, MISSING_RULE, RULES_PER_PAGE, ruleChangedView, ruleListView, STALE_RULE, type RuleSummary } from "../../bot/views/rule-views.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { EXAMPLE_RULES } from "../../domain/automation/examples.js";
import { policy } from "../../domain/policy.js";
import { isUniqueViolation } from "../admin/command.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { scheduleRuleBackfill } from "./engine.js";
import { createRule, deleteRuleAt, findRuleById, listRules, recordRuleChange, ruleNamed, ruleReference, switchRule, type StoredRule } from "./rule-store.js";

/** Refuses non-admins with the reason, privately; undefined when the person may go on. */
export function refuseUnlessRuleAdmin(who: Who): Reply | undefined {
  const allowed = policy.manageRules(who.actor);
  return allowed.ok ? undefined : privateMessage(notice(allowed.reason));
}

export function toSummary(rule: StoredRule): RuleSummary {
  return { id: rule.id, reference: ruleReference(rule.number), version: rule.version, definition: rule.definition, lastFiredAt: rule.lastFiredAt, fireCount: rule.fireCount, lastWarning: rule.lastWarning };
}

/** The shipped examples whose name no rule uses yet (ignoring case). */
export function unusedExamples(rules: StoredRule[]): string[] {
  const taken = new Set(rules.map((r) => r.name.toLowerCase()));
  return EXAMPLE_RULES.map((e) => e.name).filter((name) => !taken.has(name.toLowerCase()));
}

/** `value` of the "More" button: the page to show (0-based). */
export async function showRules(deps: Deps, who: Who, value = "0"): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const rules = await listRules(deps.db);
  const lastPage = Math.max(0, Math.ceil(rules.length / RULES_PER_PAGE) - 1);
  const page = Math.min(/^\d+$/.test(value) ? Number(value) : 0, lastPage);
  const shown = rules.slice(page * RULES_PER_PAGE, (page + 1) * RULES_PER_PAGE).map(toSummary);
  return privateMessage(ruleListView({ rules: shown, page, total: rules.length, examples: unusedExamples(rules), timeZone: who.user.timeZone, now: deps.now() }));
}

type Found = { ok: true; rule: StoredRule } | { ok: false; reply: Reply };

/** The rule a button names, at the version the list showed. */
export async function ruleForButton(deps: Deps, value: string, opts: { ignoreVersion?: boolean } = {}): Promise<Found> {
  const read = readButtonValue(value);
  const rule = read ? await findRuleById(deps.db, read.id) : undefined;
  if (!read || !rule) return { ok: false, reply: privateMessage(notice(MISSING_RULE)) };
  if (!opts.ignoreVersion && rule.version !== read.version) return { ok: false, reply: privateMessage(notice(STALE_RULE)) };
  return { ok: true, rule };
}

export async function toggleRule(deps: Deps, who: Who, value: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const found = await ruleForButton(deps, value);
  if (!found.ok) return found.reply;
  const enabled = !found.rule.enabled;
  const switched = await deps.db.$transaction(async (tx) => {
    const rule = await switchRule(tx, who.actor, found.rule, enabled);
    if (rule) await recordRuleChange(tx, deps.logger, who.actor, rule, enabled ? "switched on" : "switched off");
    return rule;
  });
  if (!switched) return privateMessage(notice(STALE_RULE));
  if (enabled) await scheduleRuleBackfill(deps, switched.id);
  const reference = ruleReference(switched.number);
  return privateMessage(
    enabled
      ? ruleChangedView(reference, switched.name, "is on", "It acts from now on; time moments already past do not fire retroactively.")
      : ruleChangedView(reference, switched.name, "is off", "Pending moments will not fire while it is off."),
  );
}

export async function askDeleteRule(deps: Deps, who: Who, value: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const found = await ruleForButton(deps, value);
  if (!found.ok) return found.reply;
  return privateMessage(confirmDeleteView(toSummary(found.rule)));
}

export async function deleteRule(deps: Deps, who: Who, value: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const found = await ruleForButton(deps, value);
  if (!found.ok) return found.reply;
  const rule = found.rule;
  const deleted = await deps.db.$transaction(async (tx) => {
    if (!(await deleteRuleAt(tx, rule.id, rule.version))) return false;
    await recordRuleChange(tx, deps.logger, who.actor, rule, "deleted");
    return true;
  });
  if (!deleted) return privateMessage(notice(STALE_RULE));
  return privateMessage(ruleChangedView(ruleReference(rule.number), rule.name, "is deleted"));
}

/** Adds a shipped example by name, switched off, so the admin can read it, try it and switch it on. */
export async function addExampleRule(deps: Deps, who: Who, name: string): Promise<Reply> {
  const refused = refuseUnlessRuleAdmin(who);
  if (refused) return refused;
  const example = EXAMPLE_RULES.find((e) => e.name === name);
  if (!example) return privateMessage(notice("That example is no longer shipped — run /crm rules again."));
  if (await ruleNamed(deps.db, example.name)) return privateMessage(notice(`There is already a rule named “${example.name}” — run /crm rules again.`));
  try {
    const rule = await deps.db.$transaction(async (tx) => {
      const created = await createRule(tx, who.actor, { ...example, enabled: false });
      await recordRuleChange(tx, deps.logger, who.actor, created, "created");
      return created;
    });
    return privateMessage(ruleChangedView(ruleReference(rule.number), rule.name, "is added, switched off", "Try it with Dry run, then switch it on from /crm rules."));
  } catch (error) {
    // Two presses of the same button: the name is unique, so the second one loses here.
    if (isUniqueViolation(error)) return privateMessage(notice(`There is already a rule named “${example.name}” — run /crm rules again.`));
    throw error;
  }
}
