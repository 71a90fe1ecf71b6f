// Planning a meeting: from the form (with a clash warning and "schedule anyway") and from the one-line quick form.
import { randomUUID } from "node:crypto";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { meetingReference, parseQuickMeeting, type QuickMeeting } from "../../domain/meetings.js";
import { toRRule } from "../../domain/recurrence.js";
import type { Deps } from "../deps.js";
import { recordCreated } from "../automation/events.js";
import { matchPartner } from "../resolve-partner.js";
import type { Who } from "../resolve-actor.js";
import { draftFromForm, draftSeries, meetingColumns, type MeetingDraft } from "./meeting-draft.js";
import { organizerClash } from "./meeting-clash.js";
import { publishMeeting } from "./meeting-notify.js";
import { resolvePeople, unknownPeopleMessage } from "./resolve-people.js";
import { submitMeetingEdit } from "./edit-meeting.js";
import { allFieldsForm, clashForm } from "./meeting-forms.js";
import { linkedRecords, recordTimeline, type MeetingLinks } from "./meeting-links.js";

/** Submit of the meeting form: a new meeting, or an edit when the form carries a meeting id. */
export async function submitMeetingForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  if (context.meetingId) return submitMeetingEdit(deps, who, values, context);
  const parsed = parseForm(allFieldsForm(who, deps.now()), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const drafted = await draftFromForm(deps.db, parsed.value, who.user.timeZone);
  if (!drafted.ok) return { kind: "errors", errors: drafted.errors };
  const links = await linkedRecords(deps.db, context);
  if (!links.ok) return privateMessage(notice(links.reason));
  if (!parsed.value.isForced && drafted.draft.showAs === "busy") {
    const clash = await organizerClash(deps.db, who.user, draftSeries(drafted.draft), deps.now());
    if (clash) return { kind: "form", form: await clashForm(deps, who, parsed.value, values, context, clash) };
  }
  const meeting = await createMeeting(deps, who, drafted.draft, links.value);
  return { kind: "done", view: plannedNotice(meeting) };
}

/** `/crm meet Acme tomorrow 3pm for 45m with @ana and bob@acme.com` (the "Schedule anyway" button passes force). */
export async function quickMeeting(deps: Deps, who: Who, text: string, opts: { force?: boolean } = {}): Promise<Reply> {
  const parsed = parseQuickMeeting(text, deps.now(), who.user.timeZone);
  if (!parsed.ok) return privateMessage(notice(parsed.reason));
  const q = parsed.value;
  let partnerId: string | undefined;
  if (q.partnerName) {
    const match = await matchPartner(deps, q.partnerName);
    if (match.kind === "several") return privateMessage(notice(`Which customer is “${q.partnerName}”: ${match.candidates.map((c) => c.name).join(", ")}? Write the full name.`));
    if (match.kind === "none") return privateMessage(notice(`No customer is called “${q.partnerName}”. Check the name, or plan the meeting with the form (\`/crm meet\`).`));
    partnerId = match.id;
  }
  const people = await resolvePeople(deps.db, q.people);
  if (people.unknown.length) return privateMessage(notice(unknownPeopleMessage(people.unknown)));
  const draft = quickDraft(q, who, partnerId, people);
  if (!opts.force) {
    const clash = await organizerClash(deps.db, who.user, draftSeries(draft), deps.now());
    if (clash) {
      return privateMessage({
        text: clash,
        blocks: [
          { type: "text", text: `⚠️ ${clash}` },
          { type: "actions", actions: [{ id: "meeting.quick-anyway", label: "Schedule anyway", value: text.slice(0, 1900), style: "primary" }] },
        ],
      });
    }
  }
  const meeting = await createMeeting(deps, who, draft, {});
  return privateMessage(plannedNotice(meeting));
}

function quickDraft(q: QuickMeeting, who: Who, partnerId: string | undefined, people: { userIds: string[]; emails: string[] }): MeetingDraft {
  const timeZone = who.user.timeZone;
  return {
    title: q.title ?? (q.partnerName ? `Meeting with ${q.partnerName}` : "Meeting"),
    description: null,
    location: null,
    videoUrl: null,
    startAt: q.startAt,
    endAt: new Date(q.startAt.getTime() + q.durationMinutes * 60_000),
    isAllDay: false,
    timeZone,
    rrule: q.repeat ? toRRule({ freq: q.repeat.freq, interval: 1, byWeekday: q.repeat.byWeekday, end: { kind: "never" } }, { timeZone }) : null,
    showAs: "busy",
    partner: partnerId,
    userIds: people.userIds,
    emails: people.emails,
    reminders: [{ minutesBefore: 15, channel: "dm" }],
  };
}

/** One transaction: the meeting, its attendees (the organizer has accepted), reminders, timeline lines, cards and jobs. */
export async function createMeeting(deps: Deps, who: Who, draft: MeetingDraft, links: MeetingLinks) {
  return deps.db.$transaction(async (tx) => {
    const meeting = await storeMeeting(tx, deps, who.user, draft, links, { actorId: who.user.id, summary: `Meeting planned: ${draft.title}` });
    await recordCreated(tx, deps, "meeting", meeting.id, who.user.id);
    await publishMeeting(tx, deps, meeting.id, { invite: "all", method: "REQUEST" });
    return meeting;
  });
}

/**
 * The meeting's rows in the caller's transaction: the meeting, its attendees, reminders and timeline lines (its own
 * and the linked records'). The caller then publishes it (publishMeeting); a rule's follow-up uses this too.
 */
export async function storeMeeting(tx: Tx, deps: Deps, organizer: { id: string; email: string; name: string }, draft: MeetingDraft, links: MeetingLinks, by: { actorId: string | null; summary: string }) {
  const columns = await meetingColumns(tx, deps, draft, organizer.id);
  const meeting = await tx.meeting.create({
    data: {
      ...columns,
      partnerId: columns.partnerId ?? links.partnerId ?? null,
      uid: `${randomUUID()}@switchboard`,
      sequence: 0,
      organizerId: organizer.id,
      leadId: links.leadId ?? null,
      caseId: links.caseId ?? null,
      callId: links.callId ?? null,
    },
  });
  await writeAttendees(tx, meeting.id, organizer, draft, deps.now());
  await tx.meetingReminder.createMany({ data: draft.reminders.map((r) => ({ meetingId: meeting.id, ...r })) });
  await tx.timelineEntry.create({ data: { recordType: "meeting", recordId: meeting.id, kind: "created", actorId: by.actorId, summary: by.summary.slice(0, 500) } });
  await recordTimeline(tx, links, by.actorId, by.summary, meeting);
  return meeting;
}

export async function writeAttendees(tx: Tx, meetingId: string, organizer: { id: string; email: string; name: string }, draft: Pick<MeetingDraft, "userIds" | "emails">, now: Date): Promise<void> {
  await tx.meetingAttendee.create({ data: { meetingId, userId: organizer.id, email: organizer.email, name: organizer.name, response: "accepted", respondedAt: now } });
  const users = await tx.user.findMany({ where: { id: { in: draft.userIds.filter((id) => id !== organizer.id) } }, select: { id: true, email: true, name: true } });
  for (const u of users) await tx.meetingAttendee.create({ data: { meetingId, userId: u.id, email: u.email, name: u.name } });
  const emails = draft.emails.filter((e) => e !== organizer.email && !users.some((u) => u.email === e));
  if (emails.length) await tx.meetingAttendee.createMany({ data: emails.map((email) => ({ meetingId, email, name: email })) });
}

function plannedNotice(m: { number: number; title: string }) {
  return notice(`Planned ${meetingReference(m.number)} “${m.title}”. Invitations are on their way; your card in direct messages shows the answers as they come.`);
}
