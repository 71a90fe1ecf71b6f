// `/crm call CALL-0042`: shows one call's card, if the person may see it.
import { callCard } from "../bot/views/calls.js";
import { notice, privateMessage, type Reply } from "../bot/views/view.js";
import { callReference } from "../domain/calls.js";
import { policy, type Actor } from "../domain/policy.js";
import type { Deps } from "./deps.js";
import { callWithOwnerTeams } from "./log-call.js";
import type { ActorUser } from "./resolve-actor.js";

export async function showCall(deps: Deps, actor: Actor, user: ActorUser, number: number): Promise<Reply> {
  const found = await deps.db.phoneCall.findUnique({ where: { number }, select: { id: true } });
  const call = found && (await callWithOwnerTeams(deps, found.id));
  if (!call) return privateMessage(notice(`There is no call ${callReference(number)}.`));
  const allowed = policy.viewCall(actor, call);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return privateMessage(callCard(call, user.timeZone, deps.now()));
}
