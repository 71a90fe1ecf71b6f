// "Contract" on a case card: link the case to one of its customer's open contracts (or none), so billable time counts.
import { linkContractForm, linkContractSchema, NO_CONTRACT } from "../../bot/views/contract-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { contractReference, dayText } from "../../domain/contracts.js";
import { policy } from "../../domain/policy.js";
import { caseForButton, changeCase } from "../cases/change-case.js";
import type { Tx } from "../../db/outbox.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";

/**
 * The customer's (and its parent company's) open contracts. Whoever may change the case sees their reference, name
 * and last day here, not their prices: support books its work against sales' contracts without seeing them.
 */
async function openContractsOf(db: Deps["db"] | Tx, partnerId: string) {
  const partner = await db.partner.findUnique({ where: { id: partnerId }, select: { id: true, parentId: true } });
  const partnerIds = partner ? [partner.id, ...(partner.parentId ? [partner.parentId] : [])] : [];
  return db.contract.findMany({ where: { partnerId: { in: partnerIds }, state: { in: ["open", "draft"] } }, orderBy: { number: "desc" }, take: 99, select: { id: true, number: true, name: true, endsAt: true } });
}

const optionOf = (c: { id: string; number: number; name: string; endsAt: Date | null }) => ({ value: c.id, label: `${contractReference(c.number)} ${c.name}${c.endsAt ? ` (to ${dayText(c.endsAt)})` : ""}`.slice(0, 75) });

/** The case card's button: value "<caseId>:<version>". */
export async function openLinkContract(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.editCase(actor, facts));
  if (!found.ok) return found.reply;
  const c = found.case;
  if (!c.partnerId) return privateMessage(notice(`${caseReference(c.number)} has no customer yet: set one with Edit, then link a contract.`));
  const contracts = await openContractsOf(deps.db, c.partnerId);
  if (!contracts.length && !c.contractId) return privateMessage(notice(`${c.partner?.name ?? "The customer"} has no open contract to link ${caseReference(c.number)} to.`));
  return openForm(linkContractForm({ ...c, version: found.version }, contracts.map(optionOf)));
}

export async function submitLinkContract(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm({ id: "", title: "", submitLabel: "", schema: linkContractSchema, fields: [{ id: "contract", label: "", kind: "select" }] }, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const chosen = parsed.value.contract === NO_CONTRACT ? null : parsed.value.contract;
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.editCase(actor, facts),
    alreadyDone: (c) => (c.contractId === chosen ? `${caseReference(c.number)} is already ${chosen ? "linked to that contract" : "linked to no contract"}.` : undefined),
    plan: async (tx, c) => {
      // Through the transaction: on the embedded database a second connection would wait for this one.
      const contract = chosen && c.partnerId ? (await openContractsOf(tx, c.partnerId)).find((k) => k.id === chosen) : undefined;
      if (chosen && !contract) return { errors: { contract: "That contract is no longer open for this customer; choose another." } };
      const summary = contract ? `${who.user.name} linked the case to ${contractReference(contract.number)} ${contract.name}` : `${who.user.name} unlinked the case from its contract`;
      return { data: { contractId: contract?.id ?? null }, kind: "edited", summary, done: `✅ ${caseReference(c.number)}: ${contract ? `billable time now counts against ${contractReference(contract.number)}` : "no contract"}.` };
    },
  });
}
