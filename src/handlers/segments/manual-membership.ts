// Adding and removing a category's members by hand (chat and command line): manual members stay until removed by hand;
// criteria members are the criteria's, so removing one by hand is refused with the reason.
import type { Tx } from "../../db/outbox.js";
import { evaluateCriteria, neededFacts, revenueWindows } from "../../domain/segments/criteria.js";
import { watchPartnerCategories } from "../automation/events.js";
import type { Deps } from "../deps.js";
import { categoryMembershipChanged } from "../visits/membership.js";
import type { CategoryRow } from "./category-store.js";
import { loadPartnerFacts } from "./partner-facts.js";

export type AddOutcome = { kind: "added" } | { kind: "already" } | { kind: "made manual"; formerReason: string };
export type RemoveOutcome = { kind: "removed" } | { kind: "not a member" } | { kind: "by criteria"; reason: string } | { kind: "kept by criteria"; reason: string };

/** `by`: who assigned it, as the reason reads ("assigned by Ana Ruiz"). */
export async function addMemberByHand(deps: Deps, category: CategoryRow, partnerId: string, by: string): Promise<AddOutcome> {
  const reason = `assigned by ${by}`;
  return deps.db.$transaction(async (tx) => {
    const existing = await tx.partnerCategoryMember.findUnique({ where: { partnerId_categoryId: { partnerId, categoryId: category.id } } });
    if (existing?.source === "manual") return { kind: "already" };
    if (existing) {
      // Already in by criteria: from now on it stays even when the criteria stop matching. Not a join for visits.
      await tx.partnerCategoryMember.update({ where: { partnerId_categoryId: { partnerId, categoryId: category.id } }, data: { source: "manual", reason } });
      return { kind: "made manual", formerReason: existing.reason };
    }
    const watch = await watchPartnerCategories(tx, deps, [partnerId], null);
    await tx.partnerCategoryMember.create({ data: { partnerId, categoryId: category.id, source: "manual", reason } });
    await categoryMembershipChanged(tx, deps, { partnerId, categoryId: category.id, joined: true });
    await watch.done([partnerId]);
    return { kind: "added" };
  });
}

export async function removeMemberByHand(deps: Deps, category: CategoryRow, partnerId: string): Promise<RemoveOutcome> {
  return deps.db.$transaction(async (tx) => {
    const existing = await tx.partnerCategoryMember.findUnique({ where: { partnerId_categoryId: { partnerId, categoryId: category.id } } });
    if (!existing) return { kind: "not a member" };
    if (existing.source === "criteria") return { kind: "by criteria", reason: existing.reason };
    const match = await criteriaMatch(tx, deps, category, partnerId);
    if (match) {
      // The criteria would add it back tonight anyway: say so now, and keep it as a criteria member (no leave, no join).
      await tx.partnerCategoryMember.update({ where: { partnerId_categoryId: { partnerId, categoryId: category.id } }, data: { source: "criteria", reason: match } });
      return { kind: "kept by criteria", reason: match };
    }
    const watch = await watchPartnerCategories(tx, deps, [partnerId], null);
    await tx.partnerCategoryMember.delete({ where: { partnerId_categoryId: { partnerId, categoryId: category.id } } });
    await categoryMembershipChanged(tx, deps, { partnerId, categoryId: category.id, joined: false });
    await watch.done([partnerId]);
    return { kind: "removed" };
  });
}

/** The reason when the partner matches the category's criteria now, else undefined. */
async function criteriaMatch(tx: Tx, deps: Deps, category: CategoryRow, partnerId: string): Promise<string | undefined> {
  if (!category.criteria) return undefined;
  const now = deps.now();
  const facts = (await loadPartnerFacts(tx, { windows: revenueWindows(category.criteria), ...neededFacts(category.criteria) }, now, [partnerId])).get(partnerId);
  const verdict = facts ? evaluateCriteria(category.criteria, facts, now) : undefined;
  return verdict?.matches ? verdict.reason.slice(0, 500) : undefined;
}
