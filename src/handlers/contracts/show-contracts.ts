// `/crm contract Acme` (a partner's contracts), `/crm contract CTR-0042` (one contract), and the buttons that show them.
import { contractPartnerPickView, partnerContractsView } from "../../bot/views/contract-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { contractReference } from "../../domain/contracts.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { matchPartner } from "../resolve-partner.js";
import { cardData, cardFor, contractFacts, contractInclude, isUuid, loadContract, salesTeamIds } from "./load-contract.js";

const NOT_SEEN = "That contract does not exist, or you may not see it.";

export async function showContract(deps: Deps, who: Who, idOrNumber: string | number): Promise<Reply> {
  const c = await loadContract(deps.db, idOrNumber);
  // Not found and not allowed read the same: a contract's existence is not told to those who may not see it.
  if (!c || !policy.viewContract(who.actor, contractFacts(c)).ok) return privateMessage(notice(typeof idOrNumber === "number" ? `${contractReference(idOrNumber)}: ${NOT_SEEN}` : NOT_SEEN));
  return privateMessage(cardFor(who, c));
}

/** The text after `/crm contract`: a reference, else a partner's name. */
export async function showContracts(deps: Deps, who: Who, text: string): Promise<Reply> {
  const name = text.trim();
  const match = await matchPartner(deps, name);
  if (match.kind === "none") return privateMessage(notice(`No partner is called “${name}”.`, "Check the spelling, type the start of the name, or a reference like CTR-0042."));
  if (match.kind === "several") return privateMessage(contractPartnerPickView(name, match.candidates));
  return showPartnerContracts(deps, who, match.id);
}

export async function showPartnerContracts(deps: Deps, who: Who, partnerId: string): Promise<Reply> {
  const partner = isUuid(partnerId) ? await deps.db.partner.findUnique({ where: { id: partnerId }, select: { id: true, name: true } }) : null;
  if (!partner) return privateMessage(notice("That partner no longer exists."));
  const all = await deps.db.contract.findMany({ where: { partnerId }, include: contractInclude, orderBy: [{ startsAt: "desc" }, { number: "desc" }], take: 100 });
  const visible = all.filter((c) => policy.viewContract(who.actor, contractFacts(c)).ok);
  const shown = visible.slice(0, 10).map((c) => ({ data: cardData(c), canEdit: policy.editContract(who.actor, contractFacts(c)).ok }));
  const canCreate = policy.createContract(who.actor, await salesTeamIds(deps.db)).ok;
  return privateMessage(partnerContractsView(partner, shown, all.length - visible.length, canCreate));
}
