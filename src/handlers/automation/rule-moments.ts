// Time rules fire at their exact moment, once: each matching record gets a pg-boss job due at its moment (its id
// derived from rule, record and moment, so planning it twice keeps one job). The job re-reads rule and record and
// acts only if the moment is still the same and the conditions hold (Odoo instead scans every 1–240 minutes).
import type { Tx } from "../../db/outbox.js";
import { isTimeTrigger, modelOf, TIME_TRIGGERS, type RecordModel } from "../../domain/automation/definition.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { fieldsOf } from "../../domain/automation/fields.js";
import { evaluateCondition } from "../../domain/automation/conditions.js";
import { momentOf } from "../../domain/automation/moments.js";
import { checkRule } from "../../domain/automation/rule-check.js";
import { ruleMomentJob, ruleScheduleJob, type RuleMomentPayload, type RuleSchedulePayload } from "../../jobs/automation.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";
import { uuidFrom } from "../meetings/plan-reminders.js";
import { fireRule } from "./engine.js";
import type { LoadedRule } from "./rule-cache.js";
import { loadSnapshot, loadSnapshots, recordIdsPage } from "./records.js";

const momentJobId = (p: RuleMomentPayload) => uuidFrom(`automation-moment|${p.ruleId}|${p.recordId}|${p.moment}`);

/**
 * After a record was created or changed: plans the rule's moment for it when the moment is new (a changed date,
 * offset base or last update) and still ahead. A job planned for an older moment stays and finds it moved.
 */
export async function planMoment(tx: Tx, deps: Deps, rule: LoadedRule, after: RecordSnapshot, before: RecordSnapshot | null): Promise<void> {
  const def = rule.definition;
  if (!isTimeTrigger(def.trigger)) return;
  const moment = momentOf(def.trigger, after, def.timeZone);
  if (!moment || moment <= deps.now()) return;
  const earlier = before ? momentOf(def.trigger, before, def.timeZone) : null;
  if (earlier && earlier.getTime() === moment.getTime()) return;
  const payload: RuleMomentPayload = { ruleId: rule.id, model: after.type, recordId: after.id, moment: moment.toISOString() };
  // Through the caller's transaction: no second connection (PGlite-safe), and no job for a change that rolls back.
  await deps.jobs.send(ruleMomentJob, payload, { id: momentJobId(payload), startAfter: moment, db: prismaExecutor(tx) });
}

export type MomentOutcome = "fired" | "already fired" | "rule gone or off" | "record gone" | "moment moved" | "conditions not met";

/** The job at a moment: re-checks everything against the rule and record as they are now, then fires once. */
export async function fireRuleMoment(deps: Deps, payload: RuleMomentPayload): Promise<MomentOutcome> {
  return deps.db.$transaction(async (tx) => {
    const row = await tx.automationRule.findUnique({ where: { id: payload.ruleId }, select: { id: true, number: true, version: true, enabled: true, definition: true } });
    const checked = row?.enabled ? checkRule(row.definition) : undefined;
    if (!row || !checked?.ok || !isTimeTrigger(checked.rule.trigger)) return "rule gone or off";
    const def = checked.rule;
    // Read as at the moment (not now, which may be a little later): a meeting's next start is this occurrence's.
    const snapshot = await loadSnapshot(tx, payload.model as RecordModel, payload.recordId, new Date(payload.moment));
    if (!snapshot || snapshot.type !== modelOf(def.record)) return "record gone";
    const rule: LoadedRule = { id: row.id, number: row.number, version: row.version, definition: def };
    if (def.record === "opportunity" && snapshot.fields.type !== "opportunity") return "conditions not met";
    const moment = momentOf(def.trigger, snapshot, def.timeZone);
    if (moment?.toISOString() !== payload.moment) return "moment moved";
    await planFollowingOccurrence(tx, deps, rule, snapshot);
    if (def.conditions && !evaluateCondition(def.conditions, snapshot.fields, fieldsOf(def.record))) return "conditions not met";
    const fired = await fireRule(tx, deps, rule, snapshot, `at:${payload.moment}`, { depth: 0, excluded: new Set() }, { automaticEmail: false });
    return fired ? "fired" : "already fired";
  });
}

/**
 * A rule on a meeting's `next-start` fires before every occurrence: at one occurrence's moment, the next one's is
 * planned (read as at this occurrence's start). Its job id comes from the moment, so replicas plan it once.
 */
async function planFollowingOccurrence(tx: Tx, deps: Deps, rule: LoadedRule, snapshot: RecordSnapshot): Promise<void> {
  const trigger = rule.definition.trigger;
  if (trigger.kind !== "time" || trigger.field !== "next-start") return;
  // After downtime the following occurrences' moments may be past too: they are skipped, up to a bound.
  let start = snapshot.fields["next-start"];
  for (let skipped = 0; typeof start === "string" && skipped < MAX_SKIPPED_OCCURRENCES; skipped++) {
    const following = await loadSnapshot(tx, snapshot.type, snapshot.id, new Date(start));
    const moment = following && momentOf(trigger, following, rule.definition.timeZone);
    if (!following || !moment) return;
    if (moment > deps.now()) return planMoment(tx, deps, rule, following, null);
    start = following.fields["next-start"];
  }
  deps.logger.warn({ ruleId: rule.id, recordId: snapshot.id }, "meeting occurrences past while the app was down: the next moment was not planned");
}

const MAX_SKIPPED_OCCURRENCES = 100;

/** After a rule is created, edited or switched on: plan its moments for every record (a background job, once per version). */
export async function scheduleRuleBackfill(deps: Deps, ruleId: string): Promise<void> {
  const rule = await deps.db.automationRule.findUnique({ where: { id: ruleId }, select: { version: true, enabled: true, triggerKind: true } });
  if (!rule?.enabled || !TIME_TRIGGERS.includes(rule.triggerKind as never)) return;
  await deps.jobs.send(ruleScheduleJob, { ruleId, version: rule.version }, { id: uuidFrom(`automation-schedule|${ruleId}|${rule.version}`) });
}

const PAGE = 500;

/**
 * Plans the rule's moments for every record of its type, page by page. Moments already past are not planned: a new
 * rule does not fire retroactively. Records changed meanwhile are planned by their own change (same job ids).
 */
export async function scheduleRule(deps: Deps, payload: RuleSchedulePayload): Promise<{ planned: number; records: number } | "superseded"> {
  const row = await deps.db.automationRule.findUnique({ where: { id: payload.ruleId }, select: { id: true, number: true, version: true, enabled: true, definition: true } });
  if (!row || row.version !== payload.version) return "superseded";
  const checked = checkRule(row.definition);
  let planned = 0;
  let records = 0;
  if (row.enabled && checked.ok && isTimeTrigger(checked.rule.trigger)) {
    const def = checked.rule;
    const model = modelOf(def.record);
    for (let after: string | null = null; ; ) {
      const ids: string[] = await recordIdsPage(deps.db, model, after, PAGE);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      records += ids.length;
      const now = deps.now();
      for (const snapshot of await loadSnapshots(deps.db, model, ids, now)) {
        const moment = momentOf(def.trigger, snapshot, def.timeZone);
        if (!moment || moment <= now) continue;
        const job: RuleMomentPayload = { ruleId: row.id, model, recordId: snapshot.id, moment: moment.toISOString() };
        await deps.jobs.send(ruleMomentJob, job, { id: momentJobId(job), startAfter: moment });
        planned++;
      }
    }
  }
  await deps.db.automationRule.updateMany({ where: { id: row.id, version: payload.version }, data: { scheduledVersion: payload.version } });
  return { planned, records };
}

/** Rules changed where no job could be sent (the command line) or whose planning was lost: plan them now. */
export async function catchUpRules(deps: Deps): Promise<number> {
  const behind = await deps.db.$queryRaw<{ id: string; version: number }[]>`
    SELECT id, version FROM "AutomationRule" WHERE enabled AND "scheduledVersion" < version AND "triggerKind" = ANY(${[...TIME_TRIGGERS]})`;
  for (const rule of behind) await deps.jobs.send(ruleScheduleJob, { ruleId: rule.id, version: rule.version }, { id: uuidFrom(`automation-schedule|${rule.id}|${rule.version}`) });
  return behind.length;
}
