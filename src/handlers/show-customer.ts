// `/crm customer Acme`: a partner's history (open cases, open claims, recent calls) and the lists behind its buttons.
import { customerCard, partnerCallsView, partnerCasesView, partnerClaimsView, partnerPickView, RECENT_CALL_DAYS } from "../bot/views/customer.js";
import { notice, privateMessage, type Reply } from "../bot/views/view.js";
import { withCategories } from "../bot/views/category-customer.js";
import type { Prisma } from "../db/client.js";
import { OPEN_STATES } from "../domain/claims.js";
import { policy, type Actor } from "../domain/policy.js";
import { purchasingTeamIds } from "./claims/load-claim.js";
import type { Deps } from "./deps.js";
import type { Who } from "./resolve-actor.js";
import { matchPartner } from "./resolve-partner.js";
import { categoriesOfPartner } from "./segments/category-store.js";

export async function showCustomer(deps: Deps, who: Who, name: string): Promise<Reply> {
  const text = name.trim();
  if (!text) return privateMessage(notice("Say which partner, e.g. `/crm customer Acme`."));
  const match = await matchPartner(deps, text);
  if (match.kind === "none") return privateMessage(notice(`No partner is called “${text}”.`, "Check the spelling, or type the start of the name."));
  if (match.kind === "several") return privateMessage(partnerPickView(text, match.candidates));
  return showCustomerById(deps, who, match.id);
}

export async function showCustomerById(deps: Deps, who: Who, partnerId: string): Promise<Reply> {
  const partner = await findPartner(deps, partnerId);
  if (!partner) return privateMessage(notice("That partner no longer exists."));
  const [cases, claims, calls, categories] = await Promise.all([
    deps.db.case.count({ where: { partnerId, isOpen: true, ...visibleCasesWhere(who.actor) } }),
    visibleOpenClaims(deps, who, partnerId),
    recentCalls(deps, who, partnerId),
    categoriesOfPartner(deps.db, partnerId),
  ]);
  const card = customerCard({ partner, cases: { count: cases }, claims: { count: claims.length }, calls: { count: calls.length, last: calls[0] } }, who.user.timeZone, deps.now());
  return privateMessage(withCategories(card, categories));
}

export async function listCustomerCases(deps: Deps, who: Who, partnerId: string): Promise<Reply> {
  const partner = await findPartner(deps, partnerId);
  if (!partner) return privateMessage(notice("That partner no longer exists."));
  const cases = await deps.db.case.findMany({
    where: { partnerId, isOpen: true, ...visibleCasesWhere(who.actor) },
    orderBy: [{ level: "desc" }, { createdAt: "asc" }],
    take: 50,
    select: { number: true, subject: true, priority: true, teamId: true, assigneeId: true, isInternal: true, stage: { select: { name: true } }, assignee: { select: { name: true } } },
  });
  // The query already narrows to visible cases; the policy stays the judge of each one.
  return privateMessage(partnerCasesView(partner.name, cases.filter((c) => policy.viewCase(who.actor, c).ok)));
}

/**
 * The cases policy.viewCase lets the actor see, as a query (so counts need not load every case):
 * all non-internal cases, and internal ones of their teams, teams they manage or assigned to them; admins see all.
 */
function visibleCasesWhere(actor: Actor): Prisma.CaseWhereInput {
  if (actor.role === "admin") return {};
  return { OR: [{ isInternal: false }, { teamId: { in: [...actor.teamIds, ...actor.managedTeamIds] } }, { assigneeId: actor.id }] };
}

export async function listCustomerClaims(deps: Deps, who: Who, partnerId: string): Promise<Reply> {
  const partner = await findPartner(deps, partnerId);
  if (!partner) return privateMessage(notice("That partner no longer exists."));
  return privateMessage(partnerClaimsView(partner.name, await visibleOpenClaims(deps, who, partnerId)));
}

export async function listCustomerCalls(deps: Deps, who: Who, partnerId: string): Promise<Reply> {
  const partner = await findPartner(deps, partnerId);
  if (!partner) return privateMessage(notice("That partner no longer exists."));
  return privateMessage(partnerCallsView(partner.name, await recentCalls(deps, who, partnerId), who.user.timeZone, deps.now()));
}

function findPartner(deps: Deps, partnerId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(partnerId)) return Promise.resolve(null);
  return deps.db.partner.findUnique({
    where: { id: partnerId },
    select: { id: true, name: true, kind: true, email: true, phone: true, isCustomer: true, isSupplier: true, parent: { select: { name: true } } },
  });
}

/** Supplier claims only for those who may see them (purchasing, managers, admins, the responsible). */
async function visibleOpenClaims(deps: Deps, who: Who, partnerId: string) {
  const [claims, purchasing] = await Promise.all([
    deps.db.claim.findMany({
      where: { partnerId, state: { in: OPEN_STATES } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { id: true, number: true, kind: true, subject: true, state: true, priority: true, version: true, responsibleId: true, teamId: true, partner: { select: { name: true } }, responsible: { select: { name: true } } },
    }),
    purchasingTeamIds(deps.db),
  ]);
  return claims.filter((c) => policy.viewClaim(who.actor, c, purchasing).ok);
}

/** Calls of the last 90 days that the person may see (calls.ts policy: owner, their managers, admins). */
async function recentCalls(deps: Deps, who: Who, partnerId: string) {
  const since = new Date(deps.now().getTime() - RECENT_CALL_DAYS * 24 * 3600_000);
  const calls = await deps.db.phoneCall.findMany({
    where: { partnerId, callAt: { gte: since }, state: { not: "cancelled" } },
    orderBy: { callAt: "desc" },
    take: 200,
    select: { number: true, subject: true, callAt: true, state: true, ownerId: true, owner: { select: { name: true, memberships: { select: { teamId: true } } } } },
  });
  return calls.filter((c) => policy.viewCall(who.actor, { ownerId: c.ownerId, ownerTeamIds: c.owner.memberships.map((m) => m.teamId) }).ok);
}
