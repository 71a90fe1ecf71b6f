// Escalating a case (OpenERP 6.1): to the parent team, else to the team's manager; raises its level.
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { escalatedLevel, escalationSummary, escalationTarget } from "../../domain/escalation.js";
import { policy } from "../../domain/policy.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { watchRecord } from "../automation/events.js";
import { caseCard } from "../../bot/views/case-card.js";
import { notifyAssignee, publishCaseCard } from "./case-notify.js";
import { loadCaseCard, parseCaseButton } from "./load-case.js";
import { noteFirstResponse, scheduleCaseSla } from "./sla.js";
import { notifyCaseWatchers } from "./watchers.js";

export type EscalationResult =
  | { ok: true; reference: string; teamName: string; toManager: boolean; assigneeId: string | null; level: number }
  | { ok: false; reason: string; stale?: boolean };

/**
 * Escalates inside the caller's transaction. With `by.version`, acts only on that version of the case
 * (a button press); the SLA job passes none. Refuses at the top level, changing nothing.
 */
export async function escalateCase(
  tx: Tx,
  deps: Deps,
  caseId: string,
  by: { actorId: string | null; reason: string; version?: number },
): Promise<EscalationResult> {
  const c = await tx.case.findUnique({
    where: { id: caseId },
    include: { team: { select: { id: true, name: true, managerId: true, parent: { select: { id: true, name: true, managerId: true } } } } },
  });
  if (!c) return { ok: false, reason: "That case no longer exists." };
  if (by.version !== undefined && c.version !== by.version) return { ok: false, stale: true, reason: staleReason(c.number) };
  if (!c.isOpen) return { ok: false, reason: `${caseReference(c.number)} is closed; reopen it before escalating.` };
  const target = escalationTarget(c, c.team);
  if (target.kind === "top") return { ok: false, reason: `${caseReference(c.number)} cannot be escalated: ${lowerFirst(target.reason)}` };

  const now = deps.now();
  const level = escalatedLevel(c.level);
  const watch = await watchRecord(tx, deps, "case", c.id, by.actorId);
  const updated = await tx.case.updateMany({
    where: { id: c.id, version: c.version },
    data: { teamId: target.teamId, assigneeId: target.assigneeId, level, escalatedAt: now, version: c.version + 1 },
  });
  if (updated.count === 0) return { ok: false, stale: true, reason: staleReason(c.number) };
  await tx.timelineEntry.create({
    data: {
      recordType: "case",
      recordId: c.id,
      kind: "escalated",
      actorId: by.actorId,
      summary: escalationSummary(target, by.reason),
      data: { fromTeamId: c.teamId, toTeamId: target.teamId, fromAssigneeId: c.assigneeId, toAssigneeId: target.assigneeId, level, reason: by.reason },
    },
  });
  if (by.actorId) await noteFirstResponse(tx, deps, c.id, by.actorId);
  // The new team's SLA applies from now on (deadlines already escalated stay escalated).
  await scheduleCaseSla(tx, deps, c.id);
  await watch.done();
  await publishCaseCard(tx, deps, c.id, { extraTeamIds: c.teamId === target.teamId ? [] : [c.teamId] });
  if (target.assigneeId) await notifyAssignee(tx, deps, c.id, escalationSummary(target, by.reason));
  await notifyCaseWatchers(tx, deps, c.id, { kind: "escalated", actorId: by.actorId, summary: escalationSummary(target, by.reason), assigneeTold: Boolean(target.assigneeId) });
  return { ok: true, reference: caseReference(c.number), teamName: target.teamName, toManager: target.kind === "manager", assigneeId: target.assigneeId, level };
}

/** The card's Escalate button: value "<caseId>:<version>". Answers with the case's current card (on Teams it replaces the clicked one). */
export async function escalateCaseAction(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = parseCaseButton(value);
  if (!ref) return privateMessage(notice("That button is out of date. Open the case again with /crm case CASE-…"));
  const c = await deps.db.case.findUnique({ where: { id: ref.id }, select: { number: true, version: true, teamId: true, assigneeId: true, isInternal: true } });
  if (!c) return privateMessage(notice("That case no longer exists."));
  const visible = policy.viewCase(who.actor, c);
  if (!visible.ok) return privateMessage(notice(visible.reason));
  // A second press of a card already acted on: say so (the case may have left the presser's team meanwhile).
  if (c.version !== ref.version) return cardWithLine(deps, who, ref.id, staleReason(c.number));
  const allowed = policy.escalateCase(who.actor, c);
  if (!allowed.ok) return cardWithLine(deps, who, ref.id, allowed.reason);
  const result = await deps.db.$transaction((tx) => escalateCase(tx, deps, ref.id, { actorId: who.user.id, reason: `by ${who.user.name}`, version: ref.version }));
  if (!result.ok) return cardWithLine(deps, who, ref.id, result.reason);
  const where = result.toManager ? `the manager of ${result.teamName}` : result.teamName;
  return cardWithLine(deps, who, ref.id, `${result.reference} escalated to ${where} (level ${result.level}).`);
}

/** A line above the case's current card, privately. */
export async function cardWithLine(deps: Deps, who: Who, caseId: string, line: string): Promise<Reply> {
  return privateMessage(await cardViewWithLine(deps, who, caseId, line));
}

/** A line above the case's current card; the line alone if the case cannot be loaded. */
export async function cardViewWithLine(deps: Deps, who: Who, caseId: string, line: string): Promise<MessageView> {
  const loaded = await loadCaseCard(deps.db, caseId);
  if (!loaded) return notice(line);
  const card = caseCard(loaded.card, who.user.timeZone, deps.now());
  return { text: `${line} ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}

function staleReason(number: number): string {
  return `${caseReference(number)} changed since this card was shown (it may already have been escalated); nothing was done. Look at the updated card.`;
}

function lowerFirst(text: string): string {
  return text[0]!.toLowerCase() + text.slice(1);
}
