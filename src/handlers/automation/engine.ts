// The automation engine: matches a record's event against the enabled rules, fires each matching rule once
// (a RuleFiring row per occasion), performs its actions in the caller's transaction, follows chains of rules up
// to MAX_DEPTH, and plans the moments of time rules. Everything a rule does commits or rolls back with the change.
import { randomUUID } from "node:crypto";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { isTimeTrigger, type RecordModel, type RuleDefinition } from "../../domain/automation/definition.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { fieldsOf } from "../../domain/automation/fields.js";
import { evaluateCondition, explainCondition } from "../../domain/automation/conditions.js";
import { momentOf } from "../../domain/automation/moments.js";
import { triggerFires, type EventKind } from "../../domain/automation/trigger-match.js";
import type { Deps } from "../deps.js";
import { performAction, type ActionOutcome } from "./rule-actions.js";
import { enabledRulesFor, type LoadedRule } from "./rule-cache.js";
import { ruleReference } from "./rule-store.js";
import { planMoment } from "./rule-moments.js";
import { findDryRunRecord, loadSnapshot } from "./records.js";

export type { EventKind };

/** Odoo stops a rule re-triggering itself; we also stop a chain of different rules here, with a warning. */
export const MAX_DEPTH = 5;

export interface RecordEvent {
  kind: EventKind;
  model: RecordModel;
  id: string;
  /** The record before a "saved" change; null otherwise. */
  before: RecordSnapshot | null;
  actorId: string | null;
  /** For email events: the mail was automatic (an auto-reply, a bounce…): email actions are skipped. */
  automaticEmail?: boolean;
}

interface Chain {
  depth: number;
  /** The rule whose own write caused this event: it does not fire on it again (a ping-pong of two rules runs to MAX_DEPTH). */
  excluded: Set<string>;
}

export async function hasRulesFor(tx: Tx, model: RecordModel): Promise<boolean> {
  return (await enabledRulesFor(tx, model)).length > 0;
}

export { enabledRulesFor };

/** `known`: the rules read when the change began (watchRecord), so one change reads them once. */
export async function afterChange(tx: Tx, deps: Deps, event: RecordEvent, chain: Chain = { depth: 0, excluded: new Set() }, known?: LoadedRule[]): Promise<void> {
  const rules = known ?? (await enabledRulesFor(tx, event.model, deps.logger));
  if (rules.length === 0) return;
  const after = await loadSnapshot(tx, event.model, event.id, deps.now());
  if (!after) return;
  const occasion = `event:${randomUUID()}`;
  for (const rule of rules) {
    const def = rule.definition;
    if (isTimeTrigger(def.trigger)) {
      if (event.kind === "created" || event.kind === "saved") await planMoment(tx, deps, rule, after, event.before);
      continue;
    }
    if (chain.excluded.has(rule.id)) continue;
    if (!triggerFires(def, { kind: event.kind, before: event.before?.fields ?? null, after: after.fields })) continue;
    const catalog = fieldsOf(def.record);
    if (def.before && event.kind === "saved" && event.before && !evaluateCondition(def.before, event.before.fields, catalog)) continue;
    if (def.conditions && !evaluateCondition(def.conditions, after.fields, catalog)) continue;
    await fireRule(tx, deps, rule, after, occasion, chain, { automaticEmail: event.automaticEmail === true });
  }
}

/**
 * Fires `rule` on the record once for `occasion`: the RuleFiring row is inserted first and a duplicate insert
 * does nothing, so a retried job, a second replica or a crash-and-retry acts once. Returns whether it fired.
 */
export async function fireRule(tx: Tx, deps: Deps, rule: LoadedRule, snapshot: RecordSnapshot, occasion: string, chain: Chain, opts: { automaticEmail: boolean }): Promise<boolean> {
  const firingId = randomUUID();
  const inserted = await tx.ruleFiring.createMany({
    data: [{ id: firingId, ruleId: rule.id, recordType: snapshot.type, recordId: snapshot.id, occasion, results: [], depth: chain.depth }],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return false;
  const outcomes: (ActionOutcome & { action: string })[] = [];
  for (const [index, action] of rule.definition.actions.entries()) {
    const outcome = await performAction({ tx, deps, rule, snapshot, key: `rule:${firingId}:${index}`, automaticEmail: opts.automaticEmail, dry: false }, action);
    outcomes.push({ action: action.do, ...outcome });
  }
  const results = outcomes.map(({ action, result }) => ({ action, result }));
  await tx.ruleFiring.update({ where: { id: firingId }, data: { results: results as Prisma.InputJsonValue } });
  await tx.automationRule.update({ where: { id: rule.id }, data: { lastFiredAt: deps.now(), fireCount: { increment: 1 } } });
  await tx.timelineEntry.create({
    data: {
      recordType: snapshot.type,
      recordId: snapshot.id,
      kind: "rule",
      summary: `Rule ${ruleReference(rule.number)} “${rule.definition.name}”: ${results.map((r) => r.result).join("; ")}`.slice(0, 500),
      data: { ruleId: rule.id, firingId, occasion, results } as Prisma.InputJsonValue,
    },
  });
  if (outcomes.some((o) => o.changedRecord)) await followChain(tx, deps, rule, snapshot, chain);
  return true;
}

/** The rule changed the record: the other rules see that change, one level deeper; the rule itself does not. */
async function followChain(tx: Tx, deps: Deps, rule: LoadedRule, before: RecordSnapshot, chain: Chain): Promise<void> {
  if (chain.depth + 1 >= MAX_DEPTH) {
    const warning = `A chain of rules stopped at depth ${MAX_DEPTH} on ${before.ref} (after ${ruleReference(rule.number)}): rules may be changing the record back and forth.`;
    deps.logger.warn({ ruleId: rule.id, recordType: before.type, recordId: before.id, depth: chain.depth + 1 }, "automation chain stopped at its depth limit");
    await tx.automationRule.update({ where: { id: rule.id }, data: { lastWarning: warning, lastWarningAt: deps.now() } });
    return;
  }
  await afterChange(tx, deps, { kind: "saved", model: before.type, id: before.id, before, actorId: null }, { depth: chain.depth + 1, excluded: new Set([rule.id]) });
}

export type DryRunResult =
  | { ok: false; reason: string }
  | { ok: true; record: string; wouldFire: boolean; why: string[]; actions: { action: string; result: string }[] };

/**
 * What the rule would do to the record named by `ref` (CASE-42…, a partner's name or email) now; changes nothing. The trigger is taken as
 * met (a dry run asks "if it fired now"); conditions are checked on the record as it is.
 */
export async function dryRun(deps: Deps, rule: { id?: string; number?: number; definition: RuleDefinition }, ref: string): Promise<DryRunResult> {
  const def = rule.definition;
  const found = await findDryRunRecord(deps.db, def.record, ref);
  if (!found.ok) return found;
  return deps.db.$transaction(async (tx) => {
    const snapshot = await loadSnapshot(tx, found.model, found.id, deps.now());
    if (!snapshot) return { ok: false as const, reason: `${found.model === "partner" ? ref.trim() : ref.trim().toUpperCase()} no longer exists (merged or deleted).` };
    const catalog = fieldsOf(def.record);
    const why: string[] = [];
    let wouldFire = true;
    if (def.record === "opportunity" && snapshot.fields.type !== "opportunity") {
      why.push("✗ it is a lead, not an opportunity");
      wouldFire = false;
    }
    if (def.conditions) {
      why.push(...explainCondition(def.conditions, snapshot.fields, catalog));
      if (!evaluateCondition(def.conditions, snapshot.fields, catalog)) wouldFire = false;
    } else why.push("no conditions: every record matches");
    if (isTimeTrigger(def.trigger)) {
      const moment = momentOf(def.trigger, snapshot, def.timeZone);
      why.push(moment ? `its moment: ${moment.toISOString().replace("T", " ").slice(0, 16)} UTC${moment <= deps.now() ? " (already past: it would not fire for this record)" : ""}` : "✗ it has no moment (the date is not set)");
      if (!moment || moment <= deps.now()) wouldFire = false;
    }
    const loaded: LoadedRule = { id: rule.id ?? "dry-run", number: rule.number ?? 0, version: 0, definition: def };
    const actions: { action: string; result: string }[] = [];
    for (const [index, action] of def.actions.entries()) {
      const outcome = await performAction({ tx, deps, rule: loaded, snapshot, key: `dry-run:${index}`, automaticEmail: false, dry: true }, action);
      actions.push({ action: action.do, result: outcome.result });
    }
    return { ok: true as const, record: snapshot.ref, wouldFire, why, actions };
  });
}

export { scheduleRuleBackfill } from "./rule-moments.js";
