// Finding leads and opportunities: by reference (`/crm lead LEAD-0042`, `/crm opp OPP-0042`), by name
// (`/crm opp Globex`), my open ones (`/crm leads`), and the Open buttons of cards and lists.
import { leadCard } from "../../bot/views/lead-card.js";
import { myLeadsView, opportunitySearchView, type LeadListItem } from "../../bot/views/lead-list.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { ActorUser, Who } from "../resolve-actor.js";
import { leadCardData, leadFacts, loadLead } from "./load-lead.js";

export const MY_LEADS_LIMIT = 20;
export const SEARCH_LIMIT = 10;

const listSelect = {
  id: true,
  number: true,
  type: true,
  title: true,
  companyName: true,
  expectedRevenue: true,
  probability: true,
  stage: { select: { name: true } },
  partner: { select: { name: true } },
} as const;

type ListRow = Prisma.LeadGetPayload<{ select: typeof listSelect }>;
const toItem = (r: ListRow): LeadListItem => ({ ...r, expectedRevenue: r.expectedRevenue === null ? null : Number(r.expectedRevenue) });

/** One record's card, privately. A number is the reference typed (either prefix finds it); a string is an id from a button. */
export async function showLead(deps: Deps, who: Who, idOrNumber: string | number): Promise<Reply> {
  const lead = await loadLead(deps.db, typeof idOrNumber === "string" ? idOrNumber.trim() : idOrNumber);
  if (!lead) return privateMessage(notice(typeof idOrNumber === "number" ? `There is no lead or opportunity number ${idOrNumber}.` : "That lead no longer exists."));
  const allowed = policy.viewLead(who.actor, leadFacts(lead));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return privateMessage(leadCard(await leadCardData(deps.db, lead), who.user.timeZone, deps.now()));
}

/** `/crm opp NAME`: open opportunities whose title, company name or customer contains NAME. */
export async function searchOpportunities(deps: Deps, who: Who, query: string): Promise<Reply> {
  const q = query.trim().slice(0, 100);
  const pattern = { contains: escapeLike(q), mode: "insensitive" as const };
  const found = await deps.db.lead.findMany({
    where: { type: "opportunity", isOpen: true, OR: [{ title: pattern }, { companyName: pattern }, { partner: { name: pattern } }] },
    orderBy: { number: "desc" },
    take: SEARCH_LIMIT + 1,
    select: listSelect,
  });
  if (found.length === 1) return showLead(deps, who, found[0]!.id);
  return privateMessage(opportunitySearchView(q, found.slice(0, SEARCH_LIMIT).map(toItem), found.length > SEARCH_LIMIT));
}

/** `/crm leads` (and `/crm opp` with nothing after it): my open leads and opportunities, newest first. */
export async function myLeads(deps: Deps, user: Pick<ActorUser, "id">): Promise<MessageView> {
  const where = { salespersonId: user.id, isOpen: true };
  const rows = await deps.db.lead.findMany({ where, orderBy: { number: "desc" }, take: MY_LEADS_LIMIT, select: listSelect });
  const total = rows.length < MY_LEADS_LIMIT ? rows.length : await deps.db.lead.count({ where });
  return myLeadsView(rows.map(toItem), total);
}

/** App Home: how many open opportunities the person has (one indexed count). */
export async function myOpenOpportunityCount(deps: Deps, user: Pick<ActorUser, "id">): Promise<number> {
  return deps.db.lead.count({ where: { salespersonId: user.id, isOpen: true, type: "opportunity" } });
}

/** Prisma's `contains` is a LIKE pattern: a typed % or _ must match itself, not anything. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
