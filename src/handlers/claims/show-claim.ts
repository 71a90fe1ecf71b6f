// `/crm claim CLM-0042` and the lists' "Open" button: one claim's card, if the person may see it.
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { claimCard } from "../../bot/views/claim-card.js";
import type { Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { claimFor } from "./load-claim.js";

export async function showClaim(deps: Deps, who: { actor: Actor; user: ActorUser }, where: { id: string } | { number: number }): Promise<Reply> {
  const found = await claimFor(deps.db, who.actor, where, "view");
  if (!found.ok) return privateMessage(notice(found.reason));
  return privateMessage(claimCard(found.claim, who.user.timeZone, deps.now()));
}
