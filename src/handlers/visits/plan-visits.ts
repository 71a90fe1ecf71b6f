// `/crm visits`: the plans, the form for a new one, and saving it as one meeting series per partner of the category.
import { parseForm } from "../../bot/views/form-values.js";
import { visitPlanForm, type VisitPlanInput } from "../../bot/views/visit-forms.js";
import { visitPlansView } from "../../bot/views/visit-views.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { policy } from "../../domain/policy.js";
import { describeRule, fromRRule } from "../../domain/recurrence.js";
import { formatDateTime } from "../../domain/time.js";
import { firstVisitStart, frequencyRRule, visitPlanReference, type Checked, type VisitFrequency } from "../../domain/visits.js";
import type { Deps } from "../deps.js";
import { visitPlanStartJob } from "../../jobs/visit-plan-start.js";
import { uuidFrom } from "../meetings/plan-reminders.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { partnerSelect, planInclude, startVisitSeries, type SeriesOutcome } from "./visit-series.js";

/** Partners read per page; each partner's series is its own short transaction (the embedded database has one writer). */
const PARTNER_PAGE = 50;

/**
 * Up to this many partners, the series are created before the form is answered (a series takes tens of
 * milliseconds); beyond, in a job, so the answer comes within Slack's 3 seconds and the summary follows as a DM.
 */
export const INLINE_PARTNERS = 10;

export async function runVisitsCommand(deps: Deps, who: Who, args: string): Promise<Reply> {
  if (/^new$/i.test(args.trim())) return openVisitPlanForm(deps, who);
  return showVisitPlans(deps, who);
}

export async function showVisitPlans(deps: Deps, who: Who): Promise<Reply> {
  const plans = await deps.db.visitPlan.findMany({ include: { ...planInclude, _count: { select: { meetings: { where: { status: "confirmed" } } } } }, orderBy: { number: "desc" }, take: 15 });
  const now = deps.now();
  const summaries = plans.map((p) => ({
    id: p.id,
    reference: visitPlanReference(p.number),
    title: p.title,
    categoryName: p.category.name,
    repeat: describeRepeat(p.rrule, p.timeZone),
    firstVisit: `${formatDateTime(p.firstStartAt, p.timeZone, now)} (${p.timeZone})`,
    durationMinutes: p.durationMinutes,
    isActive: p.isActive,
    liveSeries: p._count.meetings,
  }));
  return privateMessage(visitPlansView(summaries, { canManage: policy.manageVisitPlans(who.actor).ok }));
}

export async function openVisitPlanForm(deps: Deps, who: Who): Promise<Reply> {
  const allowed = policy.manageVisitPlans(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const categories = await deps.db.partnerCategory.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true }, take: 100 });
  if (!categories.length) return privateMessage(notice("There are no partner categories yet: create one (GOLD, Reseller…) before planning visits for it."));
  return openForm(visitPlanForm({ categories, timeZone: who.user.timeZone }));
}

export async function submitVisitPlanForm(deps: Deps, who: Who, values: Record<string, unknown>): Promise<Reply> {
  const allowed = policy.manageVisitPlans(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseForm(visitPlanForm({ categories: [], timeZone: who.user.timeZone }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const timing = planTiming(parsed.value, who.user.timeZone, deps.now());
  if (!timing.ok) return { kind: "errors", errors: timing.errors };
  const saved = await savePlan(deps, who, parsed.value, timing.value);
  if (saved.kind === "no-category") return { kind: "errors", errors: { categoryId: "That category no longer exists." } };
  if (saved.kind === "duplicate") return { kind: "done", view: notice(`${visitPlanReference(saved.number)} already plans these visits; nothing new was created.`) };
  const members = await deps.db.partnerCategoryMember.count({ where: { categoryId: parsed.value.categoryId } });
  if (members > INLINE_PARTNERS) {
    await deps.jobs.send(visitPlanStartJob, { planId: saved.plan.id, plannerId: who.user.id }, { id: uuidFrom(`visit-plan-start|${saved.plan.id}`) });
    return { kind: "done", view: notice(`Planned ${visitPlanReference(saved.plan.number)}: creating ${members} visit series, one per partner of ${saved.plan.category.name}. You will get a message when they are ready.`) };
  }
  const outcomes = await startSeriesForCategory(deps, saved.plan.id);
  return { kind: "done", view: notice(plannedSummary(saved.plan, outcomes)) };
}

/** The job's work: every member's series, then the summary to the planner (once, whatever the retries). */
export async function finishPlanInBackground(deps: Deps, payload: { planId: string; plannerId: string }): Promise<"done" | "plan gone"> {
  const plan = await deps.db.visitPlan.findUnique({ where: { id: payload.planId }, include: planInclude });
  if (!plan?.isActive) return "plan gone";
  const outcomes = await startSeriesForCategory(deps, plan.id);
  const planner = await deps.db.user.findFirst({ where: { id: payload.plannerId, isActive: true } });
  if (planner) await deps.db.$transaction((tx) => notifyUser(tx, planner, notice(plannedSummary(plan, outcomes)), { dedupeKey: `visit-plan-started:${plan.id}` }));
  return "done";
}

type Timing = { rrule: string; firstStartAt: Date; durationMinutes: number; timeZone: string };

function planTiming(input: VisitPlanInput, timeZone: string, now: Date): { ok: true; value: Timing } | { ok: false; errors: Record<string, string> } {
  const first = firstVisitStart(input.firstVisit, timeZone, now);
  if (!first.ok) return { ok: false, errors: { firstVisit: first.reason } };
  const freq: VisitFrequency = input.repeat === "monthly" ? { kind: "monthly" } : input.repeat === "weeks" ? { kind: "weeks", every: input.weeks ?? 0 } : { kind: "rrule", text: input.rrule ?? "" };
  const rrule: Checked<string> = frequencyRRule(freq, first.value, timeZone);
  if (!rrule.ok) return { ok: false, errors: { [input.repeat === "monthly" ? "repeat" : input.repeat === "weeks" ? "weeks" : "rrule"]: rrule.reason } };
  return { ok: true, value: { rrule: rrule.value, firstStartAt: first.value, durationMinutes: input.duration, timeZone } };
}

type Saved = { kind: "created"; plan: { id: string; number: number; category: { name: string } } } | { kind: "duplicate"; number: number } | { kind: "no-category" };

/** The category row lock makes a double submit wait, then find the plan the first one wrote. */
async function savePlan(deps: Deps, who: Who, input: VisitPlanInput, t: Timing): Promise<Saved> {
  return deps.db.$transaction(async (tx): Promise<Saved> => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PartnerCategory" WHERE id = ${input.categoryId}::uuid FOR UPDATE`;
    if (!locked.length) return { kind: "no-category" };
    const same = await tx.visitPlan.findFirst({ where: { categoryId: input.categoryId, isActive: true, title: input.title, rrule: t.rrule, firstStartAt: t.firstStartAt, durationMinutes: t.durationMinutes } });
    if (same) return { kind: "duplicate", number: same.number };
    const plan = await tx.visitPlan.create({ data: { categoryId: input.categoryId, title: input.title, ...t, createdById: who.user.id }, include: planInclude });
    await tx.timelineEntry.create({ data: { recordType: "visit-plan", recordId: plan.id, kind: "created", actorId: who.user.id, summary: `Visit plan ${visitPlanReference(plan.number)} for ${plan.category.name}: ${plan.title}`.slice(0, 500) } });
    return { kind: "created", plan };
  });
}

export interface NamedOutcome {
  partnerName: string;
  outcome: SeriesOutcome;
}

/** Every member of the plan's category, a page at a time, each partner's series in its own transaction. */
export async function startSeriesForCategory(deps: Deps, planId: string): Promise<NamedOutcome[]> {
  const outcomes: NamedOutcome[] = [];
  let cursor: string | undefined;
  for (;;) {
    const plan = await deps.db.visitPlan.findUnique({ where: { id: planId }, include: planInclude });
    if (!plan?.isActive) return outcomes;
    const members = await deps.db.partnerCategoryMember.findMany({
      where: { categoryId: plan.categoryId, ...(cursor ? { partnerId: { gt: cursor } } : {}) },
      orderBy: { partnerId: "asc" },
      take: PARTNER_PAGE,
      select: { partner: { select: partnerSelect } },
    });
    for (const { partner } of members) {
      const outcome = await deps.db.$transaction((tx) => startVisitSeries(tx, deps, plan, partner));
      outcomes.push({ partnerName: partner.name, outcome });
    }
    if (members.length < PARTNER_PAGE) return outcomes;
    cursor = members.at(-1)!.partner.id;
  }
}

function plannedSummary(plan: { number: number; category: { name: string } }, outcomes: NamedOutcome[]): string {
  const created = outcomes.filter((o) => o.outcome.kind === "created");
  const fallback = created.filter((o) => o.outcome.kind === "created" && o.outcome.isFallback).map((o) => o.partnerName);
  const skipped = outcomes.filter((o) => o.outcome.kind === "skipped").map((o) => o.partnerName);
  let text = `Planned ${visitPlanReference(plan.number)}: ${created.length} visit series created, one per partner of ${plan.category.name}.`;
  if (fallback.length) text += ` Organized by you, as they have no salesperson: ${fallback.join(", ")}.`;
  if (skipped.length) text += ` Not planned: ${skipped.join(", ")}.`;
  return text;
}

function describeRepeat(rrule: string, timeZone: string): string {
  const rule = fromRRule(rrule, timeZone);
  return rule ? describeRule(rule).toLowerCase() : rrule;
}
