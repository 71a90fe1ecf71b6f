// Editing a meeting (the organizer or an admin). For a series, Odoo's recurrence_update (notes §1.6): this occurrence
// (an exception), this and following (the series is split), or all occurrences.
import type { RepeatPrefill } from "../../bot/views/meeting-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import { fromRRule, type RecurrenceRule } from "../../domain/recurrence.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { applyEdit, type EditScope } from "./apply-edit.js";
import { loadMeeting, occurrenceAt, type LoadedMeeting } from "./load-meeting.js";
import { organizerClash } from "./meeting-clash.js";
import { draftFromForm, draftSeries } from "./meeting-draft.js";
import { allFieldsForm, clashForm } from "./meeting-forms.js";
import { meetingForm } from "../../bot/views/meeting-forms.js";

/** A card button's value: "<meetingId>:<version>[:<occurrence original start, ms>]". */
export function readMeetingButton(value: string): { id: string; version: number; occurrence?: Date } | undefined {
  const [id, version, occurrence] = value.split(":");
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || !/^\d+$/.test(version ?? "")) return undefined;
  if (occurrence !== undefined && !/^\d{1,15}$/.test(occurrence)) return undefined;
  return { id, version: Number(version), occurrence: occurrence ? new Date(Number(occurrence)) : undefined };
}

export async function openMeetingEditForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readMeetingButton(value);
  const m = ref && (await loadMeeting(deps.db, ref.id));
  if (!ref || !m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.editMeeting(who.actor, m);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (m.status === "cancelled") return privateMessage(notice(`${meetingReference(m.number)} was cancelled; plan a new meeting instead.`));
  const occurrence = m.rrule && ref.occurrence ? occurrenceAt(m, ref.occurrence) : undefined;
  if (m.rrule && ref.occurrence && !occurrence) return privateMessage(notice("That occurrence was cancelled or is no longer part of the series."));
  const context: Record<string, string> = { meetingId: m.id, version: String(m.version) };
  if (occurrence) context.occurrence = String(occurrence.originalStart.getTime());
  return openForm(meetingForm(who.user.timeZone, deps.now(), { ...prefillOf(m, occurrence), context, askScope: Boolean(occurrence), formTitle: `Edit ${meetingReference(m.number)}` }));
}

export async function submitMeetingEdit(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(allFieldsForm(who, deps.now()), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const m = await loadMeeting(deps.db, context.meetingId!);
  if (!m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.editMeeting(who.actor, m);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (m.status === "cancelled") return privateMessage(notice(`${meetingReference(m.number)} was cancelled; plan a new meeting instead.`));
  if (String(m.version) !== context.version) return privateMessage(notice(`${meetingReference(m.number)} changed since you opened the form. Open it again from its card.`));
  const originalStart = context.occurrence && /^\d+$/.test(context.occurrence) ? new Date(Number(context.occurrence)) : undefined;
  const occurrence = originalStart ? occurrenceAt(m, originalStart) : undefined;
  if (originalStart && !occurrence) return privateMessage(notice("That occurrence was cancelled or is no longer part of the series."));
  const scope: EditScope = occurrence ? (parsed.value.scope ?? "this") : "all";
  const drafted = await draftFromForm(deps.db, parsed.value, who.user.timeZone);
  if (!drafted.ok) return { kind: "errors", errors: drafted.errors };
  const draft = drafted.draft;
  if (!parsed.value.isForced && draft.showAs === "busy") {
    const candidate = scope === "this" ? { ...draftSeries(draft), rrule: null } : draftSeries(draft);
    const clash = await organizerClash(deps.db, who.user, candidate, deps.now(), { excludeMeetingIds: [m.id] });
    if (clash) {
      const extra = { askScope: Boolean(occurrence), formTitle: `Edit ${meetingReference(m.number)}` };
      return { kind: "form", form: await clashForm(deps, who, parsed.value, values, context, clash, extra) };
    }
  }
  const result = await applyEdit(deps, who, m, draft, scope, occurrence);
  if (!result.ok) return privateMessage(notice(result.reason));
  return { kind: "done", view: notice(result.summary) };
}

function prefillOf(m: LoadedMeeting, occurrence?: { startAt: Date; endAt: Date }) {
  const startAt = occurrence?.startAt ?? m.startAt;
  const endAt = occurrence?.endAt ?? m.endAt;
  const people = m.attendees.filter((a) => a.userId !== m.organizerId).map((a) => a.user?.email ?? a.email ?? "").filter(Boolean);
  return {
    title: m.title,
    startAt,
    durationMinutes: m.isAllDay ? undefined : Math.round((endAt.getTime() - startAt.getTime()) / 60_000),
    isAllDay: m.isAllDay,
    timeZone: m.timeZone,
    location: m.location ?? undefined,
    videoUrl: m.videoUrl ?? undefined,
    description: m.description ?? undefined,
    people: people.join(", ") || undefined,
    partner: m.partner ? { value: m.partner.id, label: m.partner.name } : undefined,
    showAs: m.showAs,
    reminders: m.reminders.map((r) => ({ minutesBefore: r.minutesBefore, channel: r.channel })),
    repeat: repeatPrefill(m.rrule ? fromRRule(m.rrule, m.timeZone) : undefined),
  };
}

function repeatPrefill(rule: RecurrenceRule | undefined): RepeatPrefill {
  if (!rule) return { freq: "none" };
  return {
    freq: rule.freq,
    interval: rule.interval,
    byWeekday: rule.byWeekday,
    monthlyBy: rule.monthly?.kind === "nthWeekday" ? "nth" : "day",
    ends: rule.end.kind,
    count: rule.end.kind === "count" ? rule.end.count : undefined,
    until: rule.end.kind === "until" ? rule.end.date : undefined,
  };
}

