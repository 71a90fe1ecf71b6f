// Keeps visit series in step with a category: a partner that joins gets its series; one that leaves gets a question, never a silent cancel.
import { partnerLeftView } from "../../bot/views/visit-views.js";
import type { Tx } from "../../db/outbox.js";
import { meetingReference } from "../../domain/meetings.js";
import { visitPlanReference, visitTitle } from "../../domain/visits.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { partnerSelect, planInclude, startVisitSeries } from "./visit-series.js";

/**
 * Called by whoever changes category membership (segments, by hand or by criteria), in the change's transaction,
 * after the membership row is written or removed. Joining twice is harmless: a live series is never doubled.
 */
export async function categoryMembershipChanged(tx: Tx, deps: Deps, change: { partnerId: string; categoryId: string; joined: boolean }): Promise<void> {
  const plans = await tx.visitPlan.findMany({ where: { categoryId: change.categoryId, isActive: true }, include: planInclude, orderBy: { number: "asc" } });
  if (!plans.length) return;
  const partner = await tx.partner.findUnique({ where: { id: change.partnerId }, select: partnerSelect });
  if (!partner) return;
  for (const plan of plans) {
    if (change.joined) {
      const outcome = await startVisitSeries(tx, deps, plan, partner);
      if (outcome.kind === "skipped") deps.logger.warn({ plan: plan.id, partner: partner.id, reason: outcome.reason }, "visit series not started for a joining partner");
    } else {
      await askAboutLeaving(tx, plan, partner);
    }
  }
}

async function askAboutLeaving(tx: Tx, plan: { id: string; number: number; title: string; createdById: string | null; category: { name: string } }, partner: { id: string; name: string }): Promise<void> {
  const series = await tx.meeting.findMany({ where: { visitPlanId: plan.id, partnerId: partner.id, status: "confirmed" }, select: { id: true, number: true, organizerId: true } });
  for (const s of series) {
    // The plan's creator decides; when they are gone, the visits' organizer (the salesperson) does.
    const target = (plan.createdById && (await activeUser(tx, plan.createdById))) || (await activeUser(tx, s.organizerId));
    if (!target) continue;
    await notifyUser(tx, target, partnerLeftView({
      partnerName: partner.name,
      categoryName: plan.category.name,
      title: visitTitle(plan.title, partner.name),
      meetingRef: meetingReference(s.number),
      planRef: visitPlanReference(plan.number),
      meetingId: s.id,
    }));
  }
}

function activeUser(tx: Tx, id: string) {
  return tx.user.findFirst({ where: { id, isActive: true } });
}
