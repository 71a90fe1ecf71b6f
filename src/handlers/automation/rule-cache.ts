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

/** What a change of a record of `model` must tell: its enabled rules, and whether categories are kept by criteria. */
export interface RecordListeners {
  rules: LoadedRule[];
  /** Some partner category has criteria: a change of a partner's records re-evaluates the partner. */
  hasSegments: boolean;
}

/** One small query per change (the same one answers both), and the rules re-read only when one changed. */
export async function listenersFor(db: Reader, model: RecordModel, logger?: Logger): Promise<RecordListeners> {
  const [row] = await db.$queryRaw<{ stamp: string; segments: boolean }[]>`
    SELECT concat(count(*), ':', coalesce(sum(version), 0), ':', coalesce(sum(number), 0), ':', coalesce(max("updatedAt")::text, '')) AS stamp,
           EXISTS (SELECT 1 FROM "PartnerCategory" WHERE criteria IS NOT NULL) AS segments
    FROM "AutomationRule" WHERE enabled`;
  const stamp = row?.stamp ?? "";
  if (cached?.stamp !== stamp) cached = { stamp, byModel: await loadAll(db, logger) };
  return { rules: cached.byModel.get(model) ?? [], hasSegments: row?.segments === true };
}

/** Every enabled rule about the model (for leads: "lead" and "opportunity" rules), valid definitions only. */
export async function enabledRulesFor(db: Reader, model: RecordModel, logger?: Logger): Promise<LoadedRule[]> {
  return (await listenersFor(db, model, logger)).rules;
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
