// A rule's follow-up of kind meeting or to-do (docs/automation.md "Follow-ups"), for the record's responsible person,
// in their time zone. A meeting is a real one (stored and published as the meeting form does: cards, invitations,
// reminders, iCalendar); a to-do is a lead's next action (Odoo's next activity) and, on every record, a DM at the
// due time that re-checks the record and who may see it. Written in the firing's transaction; the engine fires once.
import { ruleMessageView } from "../../bot/views/rule-views.js";
import type { Tx } from "../../db/outbox.js";
import { isTimeTrigger, type Action, type RecordModel } from "../../domain/automation/definition.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { followUpDue, MEETING_MINUTES, meetingSlot } from "../../domain/automation/follow-ups.js";
import { normalizeAddress } from "../../domain/mail-rules.js";
import { meetingReference } from "../../domain/meetings.js";
import { formatDateTime, isValidTimeZone, toLocalInput } from "../../domain/time.js";
import { todoDueJob, type TodoDuePayload } from "../../jobs/automation-todo.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";
import { storeMeeting } from "../meetings/create-meeting.js";
import type { MeetingDraft } from "../meetings/meeting-draft.js";
import type { MeetingLinks } from "../meetings/meeting-links.js";
import { publishMeeting } from "../meetings/meeting-notify.js";
import { isBouncing } from "../mail/email-bounce.js";
import { notifyUser } from "../notify-user.js";
import { reevaluatePartnerSoon } from "../segments/reevaluate-soon.js";
import type { ActionContext, ActionOutcome } from "./rule-actions.js";
import { enabledRulesFor } from "./rule-cache.js";
import { planMoment } from "./rule-moments.js";
import { canSeeRecord, loadSnapshot, openButtonOf, recipientsOf } from "./records.js";

type FollowUp = Extract<Action, { do: "follow-up" }>;
interface Person {
  id: string;
  name: string;
  email: string;
  timeZone: string;
}

/** As the quick meeting form: one DM reminder 15 minutes before. */
const MEETING_REMINDERS: MeetingDraft["reminders"] = [{ minutesBefore: 15, channel: "dm" }];

/** "2026-12-01 09:15 Europe/Berlin": absolute, as it stays true on the timeline. */
const when = (at: Date, timeZone: string) => `${toLocalInput(at, timeZone).replace("T", " ")} ${timeZone}`;

/** The active responsible person who may open the record, or why there is none. */
async function responsibleOf(tx: Tx, s: RecordSnapshot, fallbackZone: string): Promise<{ ok: true; person: Person } | { ok: false; reason: string }> {
  if (!s.responsibleId) return { ok: false, reason: `${s.ref} has no responsible person` };
  const user = await tx.user.findUnique({ where: { id: s.responsibleId }, select: { id: true, name: true, email: true, timeZone: true, isActive: true } });
  if (!user?.isActive) return { ok: false, reason: `${s.ref}'s responsible person is no longer an active user` };
  if (!(await canSeeRecord(tx, user.id, s))) return { ok: false, reason: `${user.name} may not open ${s.ref}` };
  return { ok: true, person: { id: user.id, name: user.name, email: user.email, timeZone: isValidTimeZone(user.timeZone) ? user.timeZone : fallbackZone } };
}

/** The customer to invite: the record's contact (or partner) address, unless it bounced. */
async function customerGuest(tx: Tx, s: RecordSnapshot): Promise<{ email?: string; note?: string }> {
  if (!s.customerEmail) return { note: "no customer address to invite" };
  return (await isBouncing(tx, normalizeAddress(s.customerEmail))) ? { note: `not inviting bouncing ${s.customerEmail}` } : { email: s.customerEmail };
}

/** The Meeting model links a meeting to an opportunity, a case or a call, and to a partner. */
function linksOf(s: RecordSnapshot): MeetingLinks {
  const partner = s.partnerId ? { partnerId: s.partnerId } : {};
  if (s.type === "lead") return { ...partner, leadId: s.id };
  if (s.type === "case") return { ...partner, caseId: s.id };
  if (s.type === "call") return { ...partner, callId: s.id };
  return partner;
}

export async function planFollowUpMeeting(ctx: ActionContext, action: FollowUp, title: string, ruleLabel: string): Promise<ActionOutcome> {
  const s = ctx.snapshot;
  const found = await responsibleOf(ctx.tx, s, ctx.rule.definition.timeZone);
  if (!found.ok) return { result: `no follow-up: ${found.reason}` };
  const person = found.person;
  const minutes = action.minutes ?? MEETING_MINUTES.default;
  const { startAt, endAt } = meetingSlot(ctx.deps.now(), action.in, person.timeZone, minutes);
  const guest = action["invite-customer"] ? await customerGuest(ctx.tx, s) : {};
  const meetingTitle = title.trim().slice(0, 200) || `Follow up ${s.ref}`;
  const what = `“${meetingTitle}” organised by ${person.name}, ${when(startAt, person.timeZone)} for ${minutes} minutes${guest.email ? `, inviting ${guest.email}` : ""}${guest.note ? `; ${guest.note}` : ""}`;
  if (ctx.dry) return { result: `would plan a meeting ${what}` };
  const draft: MeetingDraft = {
    title: meetingTitle,
    description: `Follow-up of ${s.ref}, planned by ${ruleLabel}.`,
    location: null,
    videoUrl: null,
    startAt,
    endAt,
    isAllDay: false,
    timeZone: person.timeZone,
    rrule: null,
    showAs: "busy",
    userIds: [],
    emails: guest.email ? [guest.email] : [],
    reminders: MEETING_REMINDERS,
  };
  const meeting = await storeMeeting(ctx.tx, ctx.deps, person, draft, linksOf(s), { actorId: null, summary: `Meeting planned (automatic follow-up of ${s.ref}): ${meetingTitle}` });
  await meetingPlannedByRule(ctx.tx, ctx.deps, meeting.id, meeting.partnerId);
  await publishMeeting(ctx.tx, ctx.deps, meeting.id, { invite: "all", method: "REQUEST" });
  return { result: `planned ${meetingReference(meeting.number)} ${what}` };
}

/**
 * What recordCreated does for a new meeting, less the event rules: its time rules get their moments and its partner
 * is re-evaluated, but "created" rules on meetings do not fire, so a meeting rule that plans a meeting cannot loop.
 */
async function meetingPlannedByRule(tx: Tx, deps: Deps, meetingId: string, partnerId: string | null): Promise<void> {
  const timeRules = (await enabledRulesFor(tx, "meeting", deps.logger)).filter((r) => isTimeTrigger(r.definition.trigger));
  const snapshot = timeRules.length ? await loadSnapshot(tx, "meeting", meetingId) : null;
  if (snapshot) for (const rule of timeRules) await planMoment(tx, deps, rule, snapshot, null);
  await reevaluatePartnerSoon(tx, deps, partnerId);
}

/** A lead's to-do is its next action and date; every to-do is also a DM to the person at the due time. */
export async function addFollowUpTodo(ctx: ActionContext, action: FollowUp, title: string, ruleLabel: string): Promise<ActionOutcome> {
  const s = ctx.snapshot;
  const found = await responsibleOf(ctx.tx, s, ctx.rule.definition.timeZone);
  if (!found.ok) return { result: `no follow-up: ${found.reason}` };
  const person = found.person;
  const dueAt = followUpDue(ctx.deps.now(), action.in, person.timeZone);
  const todo = title.trim().slice(0, 500) || `Follow up ${s.ref}`;
  const isLead = s.type === "lead";
  const what = `a to-do “${todo}” for ${person.name}, due ${when(dueAt, person.timeZone)}`;
  if (ctx.dry) return { result: `would add ${what}${isLead ? ` (as ${s.ref}'s next action)` : ""}, with a DM then` };
  if (isLead) await ctx.tx.lead.update({ where: { id: s.id }, data: { nextAction: todo, nextActionAt: dueAt, version: { increment: 1 } } });
  const payload: TodoDuePayload = { model: s.type, recordId: s.id, userId: person.id, title: todo, dueAt: dueAt.toISOString(), ruleLabel, key: ctx.key };
  // Through the firing's transaction: no job for a rolled-back firing, and no second connection (PGlite).
  await ctx.deps.jobs.send(todoDueJob, payload, { startAfter: dueAt, db: prismaExecutor(ctx.tx) });
  // The lead changed: other rules see its new next action, as after a "set".
  return { result: `added ${what}${isLead ? ` (${s.ref}'s next action)` : ""}`, ...(isLead ? { changedRecord: true } : {}) };
}

export type TodoOutcome = "sent" | "record gone" | "may not see the record" | "next action changed" | "not on chat";

/**
 * At the due time: the record must still exist and the person still be allowed to open it (policy, as when it
 * fired); a lead's next action must still be this to-do (someone moved, changed or cleared it: it is not this one
 * any more). Otherwise nothing is sent. The DM's dedupe key comes from the firing, so a retried job sends once.
 */
export async function deliverTodo(deps: Deps, p: TodoDuePayload): Promise<TodoOutcome> {
  return deps.db.$transaction(async (tx) => {
    const snapshot = await loadSnapshot(tx, p.model as RecordModel, p.recordId);
    if (!snapshot) return "record gone";
    if (!(await canSeeRecord(tx, p.userId, snapshot))) return "may not see the record";
    if (snapshot.type === "lead") {
      const lead = await tx.lead.findUnique({ where: { id: p.recordId }, select: { nextAction: true, nextActionAt: true } });
      if (lead?.nextAction !== p.title || lead.nextActionAt?.toISOString() !== p.dueAt) return "next action changed";
    }
    const [recipient] = await recipientsOf(tx, [p.userId]);
    const user = await tx.user.findUnique({ where: { id: p.userId }, select: { timeZone: true } });
    if (!recipient || !user) return "not on chat";
    const zone = isValidTimeZone(user.timeZone) ? user.timeZone : "UTC";
    const text = `📝 To-do: ${p.title} (due ${formatDateTime(new Date(p.dueAt), zone, deps.now())})`;
    const sent = await notifyUser(tx, recipient, ruleMessageView(text, snapshot.ref, p.ruleLabel, openButtonOf(snapshot)), { dedupeKey: `${p.key}:todo` });
    return sent > 0 ? "sent" : "not on chat";
  });
}
