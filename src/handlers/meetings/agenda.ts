// `/crm agenda [today|tomorrow|week|YYYY-MM-DD]` and App Home's next meetings: occurrences expanded in the window.
import { agendaView, nextMeetingsView, type AgendaItem } from "../../bot/views/agenda.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import { agendaWindow } from "../../domain/meetings.js";
import { occurrences } from "../../domain/recurrence.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { seriesOf } from "./load-meeting.js";

export async function showAgenda(deps: Deps, who: Who, args: string): Promise<Reply> {
  const window = agendaWindow(args, deps.now(), who.user.timeZone);
  if (!window.ok) return privateMessage(notice(window.reason));
  const { from, to, label } = window.value;
  const meetings = await meetingItems(deps, who.user.id, from, to, 200);
  const calls = await deps.db.phoneCall.findMany({
    where: { ownerId: who.user.id, state: "planned", callAt: { gte: from, lt: to } },
    orderBy: { callAt: "asc" },
    take: 100,
    select: { id: true, number: true, subject: true, callAt: true, partner: { select: { name: true } } },
  });
  const items: AgendaItem[] = [
    ...meetings,
    ...calls.map((c) => ({ kind: "call" as const, id: c.id, number: c.number, subject: c.subject, startAt: c.callAt, partnerName: c.partner?.name ?? null })),
  ].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  return privateMessage(agendaView(items, label, who.user.timeZone, deps.now()));
}

/** The next 5 meetings in the coming 60 days, for App Home. */
export async function nextMeetingsSection(deps: Deps, who: Who): Promise<MessageView> {
  const now = deps.now();
  const items = await meetingItems(deps, who.user.id, now, new Date(now.getTime() + 60 * 24 * 3600_000), 5);
  return nextMeetingsView(items.slice(0, 5), who.user.timeZone, now);
}

/** My meetings (organizer, or invited and not declined) with their occurrences in [from, to), in time order. */
async function meetingItems(deps: Deps, userId: string, from: Date, to: Date, limit: number): Promise<AgendaItem[]> {
  const meetings = await deps.db.meeting.findMany({
    where: {
      status: "confirmed",
      OR: [{ organizerId: userId }, { attendees: { some: { userId, response: { not: "declined" } } } }],
      startAt: { lt: to },
      AND: [{ OR: [{ rrule: { not: null }, seriesEndAt: null }, { seriesEndAt: { gt: from } }, { rrule: null, endAt: { gt: from } }] }],
    },
    include: { exceptions: true },
    orderBy: { startAt: "asc" },
    take: 500,
  });
  const items: AgendaItem[] = [];
  for (const m of meetings) {
    // Moved occurrences may start before the series; the window check is on each occurrence.
    for (const o of occurrences(seriesOf(m), m.exceptions, { from, to }, limit)) {
      items.push({ kind: "meeting", id: m.id, number: m.number, title: m.title, startAt: o.startAt, endAt: o.endAt, isAllDay: m.isAllDay, originalStart: o.originalStart, version: m.version, isOrganizer: m.organizerId === userId, videoUrl: m.videoUrl, location: m.location });
    }
  }
  return items.sort((a, b) => a.startAt.getTime() - b.startAt.getTime()).slice(0, limit);
}
