// The agenda: my meetings (each occurrence in the window) and my planned calls, in time order, in my time zone.
import { callReference } from "../../domain/calls.js";
import { meetingReference } from "../../domain/meetings.js";
import { formatDateTime, toLocalInput } from "../../domain/time.js";
import { escapeMarkup, truncate, type Action, type Block, type MessageView } from "./view.js";

export type AgendaItem =
  | { kind: "meeting"; id: string; number: number; title: string; startAt: Date; endAt: Date; isAllDay: boolean; originalStart: Date; version: number; isOrganizer: boolean; videoUrl: string | null; location: string | null }
  | { kind: "call"; id: string; number: number; subject: string; startAt: Date; partnerName: string | null };

const MAX_SHOWN = 30;

export function agendaView(items: AgendaItem[], label: string, timeZone: string, now: Date): MessageView {
  const title = `Agenda — ${label}`;
  if (items.length === 0) {
    return { text: `${title}: nothing planned`, blocks: [{ type: "header", text: title }, { type: "text", text: "Nothing planned. Plan a meeting with `/crm meet` or a call with `/crm call`." }] };
  }
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const item of items.slice(0, MAX_SHOWN)) blocks.push(...itemBlocks(item, timeZone, now));
  if (items.length > MAX_SHOWN) blocks.push({ type: "context", text: `…and ${items.length - MAX_SHOWN} more.` });
  blocks.push({ type: "context", text: `Times in ${timeZone}.` });
  return { text: `${title}: ${items.length} item${items.length === 1 ? "" : "s"}`, blocks };
}

/** The App Home section: the next few meetings. */
export function nextMeetingsView(items: AgendaItem[], timeZone: string, now: Date): MessageView {
  const lines = items.map((i) => `• ${line(i, timeZone, now)}`);
  const text = lines.length ? `*Your next meetings*\n${lines.join("\n")}` : "*Your next meetings*\nNone planned — `/crm meet` plans one.";
  return { text: `Your next meetings: ${items.length}`, blocks: [{ type: "text", text }] };
}

function itemBlocks(item: AgendaItem, timeZone: string, now: Date): Block[] {
  const blocks: Block[] = [{ type: "text", text: line(item, timeZone, now) }];
  if (item.kind === "meeting") {
    const actions: Action[] = [{ id: "meeting.show", label: "Open", value: `${item.id}:${item.originalStart.getTime()}` }];
    if (item.videoUrl) actions.push({ id: "meeting.join", label: "Join", url: item.videoUrl });
    blocks.push({ type: "actions", actions });
  }
  return blocks;
}

function line(item: AgendaItem, timeZone: string, now: Date): string {
  if (item.kind === "call") {
    return `📞 ${formatDateTime(item.startAt, timeZone, now)} · call with *${escapeMarkup(item.partnerName ?? "no partner")}*: ${escapeMarkup(truncate(item.subject, 120))} · ${callReference(item.number)}`;
  }
  const when = item.isAllDay ? `${toLocalInput(item.startAt, "UTC").slice(0, 10)}, all day` : `${formatDateTime(item.startAt, timeZone, now)}–${formatDateTime(item.endAt, timeZone, now).split(", ")[1]}`;
  const where = item.location ? ` · ${escapeMarkup(truncate(item.location, 60))}` : "";
  return `📅 ${when} · *${escapeMarkup(truncate(item.title, 120))}*${where} · ${meetingReference(item.number)}`;
}
