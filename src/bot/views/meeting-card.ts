// Meeting cards: the organizer's card (answers live, Edit / Cancel) and an attendee's invitation (Accept / Tentative / Decline).
import { meetingReference, RESPONSE_LABEL, type AttendeeResponse } from "../../domain/meetings.js";
import { formatDateTime, toLocalInput } from "../../domain/time.js";
import { escapeMarkup, formatMinutes, truncate, type Action, type Block, type Field, type MessageView } from "./view.js";

export interface MeetingCardData {
  id: string;
  number: number;
  title: string;
  description: string | null;
  location: string | null;
  videoUrl: string | null;
  startAt: Date;
  endAt: Date;
  isAllDay: boolean;
  timeZone: string;
  rrule: string | null;
  status: "confirmed" | "cancelled";
  showAs: "busy" | "free";
  version: number;
  organizer: { id: string; name: string };
  partner: { name: string } | null;
  attendees: { id: string; userId: string | null; email: string | null; name: string | null; response: AttendeeResponse }[];
}

export interface CardContext {
  timeZone: string;
  now: Date;
  /** "Every week on Tuesday" (from the recurrence rule), for recurring meetings. */
  repeatText?: string;
  /** The occurrence the card is about (the next one of a series), so Edit/Cancel know which one "this" is. */
  occurrence?: { originalStart: Date; startAt: Date; endAt: Date };
}

const RESPONSE_ICON: Record<AttendeeResponse, string> = { accepted: "✅", tentative: "❔", declined: "❌", needs_action: "⏳" };

export function meetingCard(m: MeetingCardData, ctx: CardContext): MessageView {
  const ref = meetingReference(m.number);
  const blocks: Block[] = [...summaryBlocks(m, ctx), { type: "text", text: attendeeLines(m) }];
  blocks.push({ type: "context", text: `${ref} · organized by ${escapeMarkup(m.organizer.name)}` });
  if (m.status === "confirmed") {
    const value = `${m.id}:${m.version}${ctx.occurrence ? `:${ctx.occurrence.originalStart.getTime()}` : ""}`;
    const actions: Action[] = [
      { id: "meeting.edit", label: "Edit", value, opensForm: true },
      { id: "meeting.cancel", label: "Cancel meeting", value, opensForm: true, style: "danger" },
    ];
    if (m.videoUrl) actions.unshift({ id: "meeting.join", label: "Join", url: m.videoUrl });
    actions.push(emailIcsButton(m));
    blocks.push({ type: "actions", actions });
  }
  return { text: `${statusPrefix(m)}${ref} ${m.title} — ${when(m, ctx)}`, blocks };
}

/** The card an invited person gets; it shows their answer and keeps the buttons so they can change it. */
export function invitationCard(m: MeetingCardData, attendeeId: string, ctx: CardContext): MessageView {
  const ref = meetingReference(m.number);
  const mine = m.attendees.find((a) => a.id === attendeeId);
  const blocks: Block[] = [{ type: "text", text: `📅 *${escapeMarkup(m.organizer.name)}* invites you to a meeting.` }, ...summaryBlocks(m, ctx)];
  blocks.push({ type: "text", text: attendeeLines(m) });
  if (m.status === "cancelled") {
    blocks.push({ type: "context", text: `${ref} · this meeting was cancelled` });
    return { text: `Cancelled: ${ref} ${m.title}`, blocks };
  }
  if (mine) blocks.push({ type: "context", text: `${ref} · your answer: *${RESPONSE_LABEL[mine.response]}*` });
  const answer = (response: AttendeeResponse, label: string): Action => ({
    id: "meeting.answer",
    label,
    value: `${m.id}:${attendeeId}:${response}`,
    ...(mine?.response === response ? { style: "primary" as const } : {}),
  });
  const actions: Action[] = [answer("accepted", "Accept"), answer("tentative", "Tentative"), answer("declined", "Decline")];
  if (m.videoUrl) actions.push({ id: "meeting.join", label: "Join", url: m.videoUrl });
  actions.push(emailIcsButton(m));
  blocks.push({ type: "actions", actions });
  return { text: `Invitation: ${ref} ${m.title} — ${when(m, ctx)}`, blocks };
}

/** Exports the meeting to any calendar client, by email to the person who clicks (email-ics.ts). */
const emailIcsButton = (m: { id: string }): Action => ({ id: "meeting.email-ics", label: "Email me the .ics", value: m.id });

function summaryBlocks(m: MeetingCardData, ctx: CardContext): Block[] {
  const fields: Field[] = [{ label: "When", value: when(m, ctx) }];
  if (!m.isAllDay) fields.push({ label: "Duration", value: formatMinutes(Math.round((m.endAt.getTime() - m.startAt.getTime()) / 60_000)) });
  if (ctx.repeatText) fields.push({ label: "Repeats", value: escapeMarkup(ctx.repeatText) });
  if (m.location) fields.push({ label: "Where", value: escapeMarkup(truncate(m.location, 200)) });
  if (m.videoUrl) fields.push({ label: "Video", value: `<${m.videoUrl}|join link>` });
  if (m.partner) fields.push({ label: "Customer", value: escapeMarkup(m.partner.name) });
  if (m.showAs === "free") fields.push({ label: "Show as", value: "Free" });
  if (m.timeZone !== ctx.timeZone) fields.push({ label: "Planned in", value: m.timeZone });
  const blocks: Block[] = [{ type: "header", text: truncate(`${statusPrefix(m)}${m.title}`, 150) }, { type: "fields", fields }];
  if (m.description) blocks.push({ type: "text", text: escapeMarkup(truncate(m.description, 1500)) });
  return blocks;
}

function attendeeLines(m: MeetingCardData): string {
  if (m.attendees.length === 0) return "_No attendees._";
  const shown = m.attendees.slice(0, 25).map((a) => `${RESPONSE_ICON[a.response]} ${escapeMarkup(a.name ?? a.email ?? "someone")} — ${RESPONSE_LABEL[a.response]}`);
  const more = m.attendees.length > 25 ? `\n…and ${m.attendees.length - 25} more.` : "";
  const counts = (["accepted", "tentative", "declined", "needs_action"] as const)
    .map((r) => [r, m.attendees.filter((a) => a.response === r).length] as const)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${n} ${RESPONSE_LABEL[r].toLowerCase()}`)
    .join(", ");
  return `*Attendees* (${counts})\n${shown.join("\n")}${more}`;
}

const statusPrefix = (m: { status: string }) => (m.status === "cancelled" ? "Cancelled: " : "");

/** All-day meetings are stored as UTC midnights (a date, not an instant); timed ones are shown in the reader's zone. */
export function when(m: { startAt: Date; endAt: Date; isAllDay: boolean }, ctx: CardContext): string {
  const start = ctx.occurrence?.startAt ?? m.startAt;
  const end = ctx.occurrence?.endAt ?? m.endAt;
  if (m.isAllDay) {
    const first = toLocalInput(start, "UTC").slice(0, 10);
    const last = toLocalInput(new Date(end.getTime() - 1), "UTC").slice(0, 10);
    return first === last ? `${first}, all day` : `${first} – ${last}, all day`;
  }
  return `${formatDateTime(start, ctx.timeZone, ctx.now)} – ${formatDateTime(end, ctx.timeZone, ctx.now).split(", ")[1]}`;
}
