// `/crm case CASE-0042` (and the "Open" button in lists): one case's card, if the person may see it.
import { caseCard } from "../../bot/views/case-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { caseCardData, caseFacts, loadCase } from "./load-case.js";

export async function showCase(deps: Deps, actor: Actor, user: ActorUser, idOrNumber: string | number): Promise<Reply> {
  const c = await loadCase(deps.db, idOrNumber);
  if (!c) return privateMessage(notice(typeof idOrNumber === "number" ? `There is no case ${caseReference(idOrNumber)}.` : "That case no longer exists."));
  const allowed = policy.viewCase(actor, caseFacts(c));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return privateMessage(caseCard(await caseCardData(deps.db, c), user.timeZone, deps.now()));
}
