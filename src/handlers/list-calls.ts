// My open calls: planned for today and overdue (App Home and /crm calls).
import { callsListView, type CallCardData } from "../bot/views/calls.js";
import type { MessageView } from "../bot/views/view.js";
import { localDayBounds } from "../domain/time.js";
import type { Deps } from "./deps.js";
import { callCardInclude } from "./log-call.js";
import type { ActorUser } from "./resolve-actor.js";

export async function plannedCallsDue(deps: Deps, user: ActorUser): Promise<CallCardData[]> {
  const { end } = localDayBounds(deps.now(), user.timeZone);
  return deps.db.phoneCall.findMany({
    where: { ownerId: user.id, state: "planned", callAt: { lt: end } },
    orderBy: { callAt: "asc" },
    take: 50,
    include: callCardInclude,
  });
}

export async function myCallsView(deps: Deps, user: ActorUser): Promise<MessageView> {
  return callsListView(await plannedCallsDue(deps, user), user.timeZone, deps.now(), "Your calls for today and overdue");
}
