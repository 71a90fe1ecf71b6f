// The answers to "Acme left GOLD: cancel its visits?" and switching a plan off: cancelled through the meetings' own cancel path.
import { confirmSwitchOffView } from "../../bot/views/visit-views.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import { visitPlanReference } from "../../domain/visits.js";
import { isUuid } from "../button-value.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { submitCancel } from "../meetings/cancel-meeting.js";

/** [Cancel visits] after a partner left the category: the whole series, attendees told as for any cancelled meeting. */
export async function cancelLeftSeries(deps: Deps, who: Who, meetingId: string): Promise<Reply> {
  const found = await leftSeries(deps, who, meetingId);
  if (!found.ok) return privateMessage(notice(found.reason));
  const { series } = found;
  if (series.status === "cancelled") return privateMessage(notice(`${meetingReference(series.number)} is already cancelled.`));
  const member = series.partnerId && (await deps.db.partnerCategoryMember.findUnique({ where: { partnerId_categoryId: { partnerId: series.partnerId, categoryId: series.plan.categoryId } } }));
  if (member) return privateMessage(notice(`${series.partnerName} is in ${series.plan.categoryName} again: ${meetingReference(series.number)} is kept.`));
  return asMessage(await cancelSeries(deps, who, series.id));
}

/** [Keep]: nothing changes; the series stays tied to the plan, so a rejoin does not add a second one. */
export async function keepLeftSeries(deps: Deps, who: Who, meetingId: string): Promise<Reply> {
  const found = await leftSeries(deps, who, meetingId);
  if (!found.ok) return privateMessage(notice(found.reason));
  return privateMessage(notice(`Kept ${meetingReference(found.series.number)} “${found.series.title}”: the visits go on.`));
}

/** [Switch off]: one question for all the plan's series. */
export async function askSwitchOff(deps: Deps, who: Who, planId: string): Promise<Reply> {
  const allowed = policy.manageVisitPlans(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const plan = await deps.db.visitPlan.findUnique({ where: { id: planId }, include: { _count: { select: { meetings: { where: { status: "confirmed" } } } } } });
  if (!plan) return privateMessage(notice("That visit plan no longer exists."));
  if (!plan.isActive) return privateMessage(notice(`${visitPlanReference(plan.number)} is already off.`));
  return privateMessage(confirmSwitchOffView({ planId: plan.id, planRef: visitPlanReference(plan.number), title: plan.title, liveSeries: plan._count.meetings }));
}

/** [Switch off and cancel]: the plan goes off first (no new series for joiners), then each series is cancelled. */
export async function confirmSwitchOff(deps: Deps, who: Who, planId: string): Promise<Reply> {
  const allowed = policy.manageVisitPlans(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const plan = await deps.db.visitPlan.findUnique({ where: { id: planId } });
  if (!plan) return privateMessage(notice("That visit plan no longer exists."));
  const switched = await deps.db.visitPlan.updateMany({ where: { id: plan.id, isActive: true }, data: { isActive: false, version: { increment: 1 } } });
  // A second press (or a colleague's) finds the plan off and cancels nothing twice.
  if (switched.count === 0) return privateMessage(notice(`${visitPlanReference(plan.number)} is already off.`));
  const series = await deps.db.meeting.findMany({ where: { visitPlanId: plan.id, status: "confirmed" }, select: { id: true } });
  let cancelled = 0;
  for (const s of series) if ((await cancelSeries(deps, who, s.id)).kind === "done") cancelled++;
  return privateMessage(notice(`Switched off ${visitPlanReference(plan.number)} “${plan.title}” and cancelled ${cancelled} visit series. The attendees are told.`));
}

export async function keepPlanOn(deps: Deps, _who: Who, planId: string): Promise<Reply> {
  const plan = await deps.db.visitPlan.findUnique({ where: { id: planId } });
  return privateMessage(notice(plan ? `${visitPlanReference(plan.number)} stays on.` : "That visit plan no longer exists."));
}

/**
 * The meetings' cancel handler lets only the organizer or an admin cancel; visit policy has already allowed this person
 * (the plan's creator or a manager switching the plan off), so they act with that authority. Their name is what
 * attendees read. No note: the reason (a category) is internal and must not reach the customer's inbox.
 */
function cancelSeries(deps: Deps, who: Who, meetingId: string): Promise<Reply> {
  const delegated: Who = { ...who, actor: { ...who.actor, role: "admin" } };
  return submitCancel(deps, delegated, {}, { meetingId });
}

async function leftSeries(deps: Deps, who: Who, meetingId: string) {
  const m = isUuid(meetingId)
    ? await deps.db.meeting.findUnique({ where: { id: meetingId }, include: { visitPlan: { include: { category: { select: { name: true } } } }, partner: { select: { name: true } } } })
    : null;
  if (!m?.visitPlan) return { ok: false as const, reason: "Those visits no longer exist." };
  const allowed = policy.cancelVisitSeries(who.actor, { organizerId: m.organizerId, planCreatorId: m.visitPlan.createdById });
  if (!allowed.ok) return { ok: false as const, reason: allowed.reason };
  return {
    ok: true as const,
    series: {
      id: m.id,
      number: m.number,
      title: m.title,
      status: m.status,
      partnerId: m.partnerId,
      partnerName: m.partner?.name ?? "The partner",
      plan: { categoryId: m.visitPlan.categoryId, categoryName: m.visitPlan.category.name },
    },
  };
}

function asMessage(reply: Reply): Reply {
  if (reply.kind === "done") return privateMessage(reply.view ?? notice("Done."));
  return reply;
}
