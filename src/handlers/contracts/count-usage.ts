// Billable time on a case linked to a contract counts against the contract's hours; the salesperson is told once
// when prepaid usage reaches 80 % and once at 100 % (usageWarned), inside the time entry's transaction.
import { contractCard } from "../../bot/views/contract-card.js";
import type { Tx } from "../../db/outbox.js";
import { contractReference, isLive, percentUsed, warningsDue, type UsageWarning } from "../../domain/contracts.js";
import { watchRecord } from "../automation/events.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { cardData, contractInclude } from "./load-contract.js";

/**
 * Adds `minutes` of billable time on the case to its open contract's hours used. Returns a line for the person who
 * logged it ("CTR-0042: 17 h / 20 h used (85%)"), or undefined when the case has no open contract.
 */
export async function countBillableTime(tx: Tx, deps: Deps, caseId: string, minutes: number, actorId: string | null): Promise<string | undefined> {
  const linked = await tx.case.findUnique({ where: { id: caseId }, select: { contract: { select: { id: true, state: true } } } });
  const contract = linked?.contract;
  if (!contract || !isLive(contract)) return undefined;
  const watch = await watchRecord(tx, deps, "contract", contract.id, actorId);
  // An increment, not a read-then-write: two entries logged at once both count (the row lock orders them).
  const c = await tx.contract.update({ where: { id: contract.id }, data: { unitsUsed: { increment: minutes / 60 }, version: { increment: 1 } }, include: contractInclude });
  const warned: UsageWarning[] = [];
  for (const warning of warningsDue(c)) {
    const marked = await tx.contract.updateMany({ where: { id: c.id, NOT: { usageWarned: { has: warning } } }, data: { usageWarned: { push: warning } } });
    if (marked.count === 1) warned.push(warning);
  }
  await watch.done();
  const percent = percentUsed(c);
  const ref = contractReference(c.number);
  const usage = c.billing === "prepaid_hours" && percent !== null ? `${round(c.unitsUsed)} h / ${round(c.prepaidUnits!)} h used (${percent}%)` : `${round(c.unitsUsed)} h used`;
  const top = warned.at(-1);
  if (top && c.salespersonId) await warnSalesperson(tx, c.salespersonId, top, cardData(c), `${ref} ${c.name} (${c.partner.name}): ${usage}`);
  return `${ref}: ${usage}${top ? ` — ${top === "100" ? "all prepaid hours are used" : "80% of the prepaid hours are used"}; ${c.salesperson?.name ?? "the salesperson"} is told.` : "."}`;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function warnSalesperson(tx: Tx, salespersonId: string, warning: UsageWarning, card: ReturnType<typeof cardData>, usage: string): Promise<void> {
  const person = await tx.user.findUnique({ where: { id: salespersonId }, select: { id: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } });
  if (!person?.isActive) return;
  const line = warning === "100" ? `⛔ All prepaid hours are used: ${usage}. Time logged from now on is beyond the contract.` : `⚠️ 80% of the prepaid hours are used: ${usage}.`;
  const view = contractCard(card, true, line);
  await notifyUser(tx, person, view, { dedupeKey: `contract-usage:${card.id}:${warning}` });
}
