// One partner's visit series: created through the meetings' own createMeeting (invitations, reminders, iCalendar) inside
// the caller's transaction, at most one live series per plan and partner.
import type { Tx } from "../../db/outbox.js";
import type { Db } from "../../db/client.js";
import { seriesStartFor, visitOrganizer, visitPlanReference, visitTitle } from "../../domain/visits.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { createMeeting } from "../meetings/create-meeting.js";
import type { MeetingDraft } from "../meetings/meeting-draft.js";

export interface PlanRow {
  id: string;
  number: number;
  title: string;
  rrule: string;
  firstStartAt: Date;
  durationMinutes: number;
  timeZone: string;
  createdById: string | null;
  isActive: boolean;
  category: { name: string };
}

export interface PartnerRow {
  id: string;
  name: string;
  email: string | null;
  salespersonId: string | null;
}

export type SeriesOutcome =
  | { kind: "created"; meetingId: string; number: number; organizerName: string; isFallback: boolean }
  | { kind: "exists" }
  | { kind: "skipped"; reason: string };

// Travel to a customer takes time: an hour's notice by DM rather than the quick form's 15 minutes.
const VISIT_REMINDERS = [{ minutesBefore: 60, channel: "dm" as const }];

/** The meetings' handlers open their own transaction; this runs them inside ours (Prisma cannot nest transactions). */
export function depsInTransaction(deps: Deps, tx: Tx): Deps {
  const db = new Proxy(tx, {
    get: (target, key) => (key === "$transaction" ? (work: (t: Tx) => Promise<unknown>) => work(tx) : Reflect.get(target, key)),
  }) as unknown as Db;
  return { ...deps, db };
}

/** Serialises series creation for one plan and partner (plan save, a join, a double submit) so none is made twice. */
export async function lockPlanPartner(tx: Tx, planId: string, partnerId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(${`visit:${planId}:${partnerId}`}))) AS locked`;
}

export async function liveSeries(tx: Tx, planId: string, partnerId: string) {
  return tx.meeting.findFirst({ where: { visitPlanId: planId, partnerId, status: "confirmed" }, select: { id: true, number: true, organizerId: true } });
}

/** Starts the partner's series unless one is live; the first visit is the plan's, or its next one after now. */
export async function startVisitSeries(tx: Tx, deps: Deps, plan: PlanRow, partner: PartnerRow): Promise<SeriesOutcome> {
  await lockPlanPartner(tx, plan.id, partner.id);
  if (await liveSeries(tx, plan.id, partner.id)) return { kind: "exists" };
  const series = seriesStartFor(plan, deps.now());
  if (!series) return { kind: "skipped", reason: `${visitPlanReference(plan.number)} has no visits left.` };
  const candidates = [partner.salespersonId, plan.createdById].filter((id): id is string => Boolean(id));
  const active = await tx.user.findMany({ where: { id: { in: candidates }, isActive: true }, select: { id: true } });
  const { organizerId, isFallback } = visitOrganizer(partner, new Set(active.map((u) => u.id)), plan.createdById);
  const organizer = organizerId ? await organizerWho(tx, organizerId) : null;
  if (!organizer || !active.some((u) => u.id === organizerId)) return { kind: "skipped", reason: `${partner.name} has no salesperson and the plan's creator is gone.` };
  const draft: MeetingDraft = {
    title: visitTitle(plan.title, partner.name),
    description: `Planned by ${visitPlanReference(plan.number)} for the partners of ${plan.category.name}.`,
    location: null,
    videoUrl: null,
    startAt: series.startAt,
    endAt: series.endAt,
    isAllDay: false,
    timeZone: plan.timeZone,
    rrule: series.rrule,
    showAs: "busy",
    partner: partner.id,
    userIds: [],
    // The partner's own address is invited so the visit lands in the customer's calendar too (docs/visits.md).
    emails: partner.email ? [partner.email.toLowerCase()] : [],
    reminders: VISIT_REMINDERS,
  };
  const meeting = await createMeeting(depsInTransaction(deps, tx), organizer, draft, { partnerId: partner.id });
  await tx.meeting.update({ where: { id: meeting.id }, data: { visitPlanId: plan.id } });
  return { kind: "created", meetingId: meeting.id, number: meeting.number, organizerName: organizer.user.name, isFallback };
}

/** The organizer as the meetings' handlers expect the person acting. */
export async function organizerWho(db: Pick<Tx, "user">, userId: string): Promise<Who | null> {
  const u = await db.user.findUnique({ where: { id: userId }, include: { memberships: { select: { teamId: true } }, managedTeams: { select: { id: true } } } });
  if (!u) return null;
  return {
    user: { id: u.id, email: u.email, name: u.name, role: u.role, timeZone: u.timeZone, slackTeamId: u.slackTeamId, slackUserId: u.slackUserId, teamsTenantId: u.teamsTenantId, teamsAadId: u.teamsAadId },
    actor: { id: u.id, role: u.role, teamIds: u.memberships.map((m) => m.teamId), managedTeamIds: u.managedTeams.map((t) => t.id) },
  };
}

export const planInclude = { category: { select: { name: true } } } as const;
export const partnerSelect = { id: true, name: true, email: true, salespersonId: true } as const;
