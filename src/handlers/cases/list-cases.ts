// `/crm cases` and App Home: my open cases, next to work first (level, priority, then oldest).
import { casesListView } from "../../bot/views/case-card.js";
import type { MessageView } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { caseInclude } from "./load-case.js";

export const LIST_LIMIT = 20;

export async function myOpenCasesView(deps: Deps, user: Pick<ActorUser, "id" | "timeZone">): Promise<MessageView> {
  const where = { assigneeId: user.id, isOpen: true };
  // The order matches the (assigneeId, isOpen, level, priority, createdAt) index; the enum sorts low < urgent.
  const cases = await deps.db.case.findMany({
    where,
    orderBy: [{ level: "desc" }, { priority: "desc" }, { createdAt: "asc" }],
    take: LIST_LIMIT,
    include: caseInclude,
  });
  const total = cases.length < LIST_LIMIT ? cases.length : await deps.db.case.count({ where });
  return casesListView(cases, total, user.timeZone, deps.now());
}
