// Reading and writing automation rules for the people who manage them (chat and the command line), each change audited.
import type { Db, Prisma } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { RuleDefinition } from "../../domain/automation/definition.js";
import type { Actor } from "../../domain/policy.js";
import { COMMAND_LINE_ACTOR } from "../admin/audit.js";
import type { Logger } from "../../log.js";

type Reader = Db | Tx;

export interface StoredRule {
  id: string;
  number: number;
  name: string;
  enabled: boolean;
  version: number;
  definition: RuleDefinition;
  lastFiredAt: Date | null;
  fireCount: number;
  lastWarning: string | null;
  lastWarningAt: Date | null;
}

const select = { id: true, number: true, name: true, enabled: true, version: true, definition: true, lastFiredAt: true, fireCount: true, lastWarning: true, lastWarningAt: true } as const;

/** RULE-0007, like CASE-0042. */
export function ruleReference(number: number): string {
  return `RULE-${String(number).padStart(4, "0")}`;
}

/** "RULE-7", "rule-0007" → 7; undefined when the text is not a rule reference. */
export function parseRuleReference(text: string): number | undefined {
  const match = /^RULE-0*(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** The row's columns win over the stored definition: name and on/off are changed without rewriting the rest. */
function toStored(row: { definition: Prisma.JsonValue } & Omit<StoredRule, "definition">): StoredRule {
  const definition = { ...(row.definition as unknown as RuleDefinition), name: row.name, enabled: row.enabled };
  return { ...row, definition };
}

export async function listRules(db: Reader): Promise<StoredRule[]> {
  return (await db.automationRule.findMany({ select, orderBy: { number: "asc" } })).map(toStored);
}

export async function findRuleById(db: Reader, id: string): Promise<StoredRule | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db.automationRule.findUnique({ where: { id }, select });
  return row ? toStored(row) : undefined;
}

/** By reference (RULE-0007) or by name, ignoring case. */
export async function findRule(db: Reader, refOrName: string): Promise<StoredRule | undefined> {
  const number = parseRuleReference(refOrName);
  const row =
    number !== undefined
      ? await db.automationRule.findUnique({ where: { number }, select })
      : await db.automationRule.findFirst({ where: { name: { equals: refOrName.trim(), mode: "insensitive" } }, select });
  return row ? toStored(row) : undefined;
}

/** Another rule with this name, ignoring case ("Lead won" and "lead won" would confuse everyone). */
export async function ruleNamed(db: Reader, name: string, exceptId?: string): Promise<StoredRule | undefined> {
  const row = await db.automationRule.findFirst({ where: { name: { equals: name.trim(), mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) }, select });
  return row ? toStored(row) : undefined;
}

/** The command line is no User: its changes carry no person. */
const personId = (actor: Actor): string | null => (actor.id === COMMAND_LINE_ACTOR.id ? null : actor.id);

function columns(definition: RuleDefinition) {
  return {
    name: definition.name,
    recordType: definition.record,
    triggerKind: definition.trigger.kind,
    enabled: definition.enabled,
    definition: JSON.parse(JSON.stringify(definition)) as Prisma.InputJsonValue,
  };
}

export async function createRule(tx: Tx, actor: Actor, definition: RuleDefinition): Promise<StoredRule> {
  const row = await tx.automationRule.create({ data: { ...columns(definition), createdById: personId(actor), updatedById: personId(actor) }, select });
  return toStored(row);
}

/**
 * A new version, only if the rule is still at `version` (undefined otherwise: someone saved in between).
 * Pending time jobs of older versions re-check against it; scheduledVersion stays for the scheduler to catch up.
 */
export async function updateRule(tx: Tx, actor: Actor, rule: Pick<StoredRule, "id" | "version">, definition: RuleDefinition): Promise<StoredRule | undefined> {
  const changed = await tx.automationRule.updateMany({ where: { id: rule.id, version: rule.version }, data: { ...columns(definition), version: { increment: 1 }, updatedById: personId(actor) } });
  if (changed.count !== 1) return undefined;
  return toStored(await tx.automationRule.findUniqueOrThrow({ where: { id: rule.id }, select }));
}

/**
 * Acts only if the rule is still at `version` (a list shown earlier may be stale): undefined otherwise.
 * Switching bumps the version too, so a second press of the same button does nothing.
 */
export async function switchRule(tx: Tx, actor: Actor, rule: StoredRule, enabled: boolean): Promise<StoredRule | undefined> {
  const definition = { ...rule.definition, enabled } as unknown as Prisma.InputJsonValue;
  const changed = await tx.automationRule.updateMany({ where: { id: rule.id, version: rule.version }, data: { enabled, definition, version: { increment: 1 }, updatedById: personId(actor) } });
  return changed.count === 1 ? { ...rule, enabled, version: rule.version + 1, definition: { ...rule.definition, enabled } } : undefined;
}

/** Deletes the rule only at `version`; its firings go with it (the timeline keeps who deleted it). */
export async function deleteRuleAt(tx: Tx, id: string, version: number): Promise<boolean> {
  return (await tx.automationRule.deleteMany({ where: { id, version } })).count === 1;
}

export type RuleChange = "created" | "updated" | "switched on" | "switched off" | "deleted";

/** A timeline entry on the rule (recordType "rule"), the way admin changes are kept; the rule's body stays out of logs. */
export async function recordRuleChange(tx: Tx, logger: Logger, actor: Actor, rule: Pick<StoredRule, "id" | "number" | "name" | "version" | "enabled">, change: RuleChange): Promise<void> {
  const fromCli = actor.id === COMMAND_LINE_ACTOR.id;
  const summary = `Rule ${ruleReference(rule.number)} “${rule.name}” ${change}${fromCli ? " (from the command line)" : ""}`;
  await tx.timelineEntry.create({
    data: { recordType: "rule", recordId: rule.id, kind: "admin", actorId: personId(actor), summary, data: { change, number: rule.number, name: rule.name, version: rule.version, enabled: rule.enabled } },
  });
  logger.info({ ruleId: rule.id, rule: ruleReference(rule.number), change, version: rule.version, actorId: personId(actor) }, "automation rule changed");
}
