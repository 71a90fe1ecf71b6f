// The enabled rules, read once and kept until any rule changes: an event on a record type without rules costs
// one small aggregate query, and a type with rules does not re-read and re-check every definition per change.
import type { Tx } from "../../db/outbox.js";
import type { RecordModel, RuleDefinition } from "../../domain/automation/definition.js";
import { modelOf } from "../../domain/automation/definition.js";
import { checkRule } from "../../domain/automation/rule-check.js";
import type { Logger } from "../../log.js";

export interface LoadedRule {
  id: string;
  number: number;
  version: number;
  definition: RuleDefinition;
}

type Reader = Pick<Tx, "automationRule" | "$queryRaw">;

let cached: { stamp: string; byModel: Map<RecordModel, LoadedRule[]> } | undefined;

/** Every enabled rule about the model (for leads: "lead" and "opportunity" rules), valid definitions only. */
export async function enabledRulesFor(db: Reader, model: RecordModel, logger?: Logger): Promise<LoadedRule[]> {
  const [row] = await db.$queryRaw<{ stamp: string }[]>`
    SELECT concat(count(*), ':', coalesce(sum(version), 0), ':', coalesce(sum(number), 0), ':', coalesce(max("updatedAt")::text, '')) AS stamp
    FROM "AutomationRule" WHERE enabled`;
  const stamp = row?.stamp ?? "";
  if (cached?.stamp !== stamp) cached = { stamp, byModel: await loadAll(db, logger) };
  return cached.byModel.get(model) ?? [];
}

async function loadAll(db: Reader, logger?: Logger): Promise<Map<RecordModel, LoadedRule[]>> {
  const rows = await db.automationRule.findMany({ where: { enabled: true }, select: { id: true, number: true, version: true, definition: true }, orderBy: { number: "asc" } });
  const byModel = new Map<RecordModel, LoadedRule[]>();
  for (const row of rows) {
    const checked = checkRule(row.definition);
    if (!checked.ok) {
      logger?.warn({ ruleId: row.id, problems: checked.problems.length }, "automation rule skipped: its stored definition no longer checks");
      continue;
    }
    const model = modelOf(checked.rule.record);
    byModel.set(model, [...(byModel.get(model) ?? []), { id: row.id, number: row.number, version: row.version, definition: checked.rule }]);
  }
  return byModel;
}

/** Tests and the rule editor: forget the cache at once (a change is also noticed by the stamp). */
export function forgetRuleCache(): void {
  cached = undefined;
}
