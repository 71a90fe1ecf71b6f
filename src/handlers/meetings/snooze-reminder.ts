// Snooze on a reminder card: remind me again in 5 or 10 minutes, once per reminder; and the job that does it.
import { alreadySnoozedNotice, occurrenceFacts, reminderCard, SNOOZE_MINUTES, snoozedNotice } from "../../bot/views/reminder-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import { occurrences } from "../../domain/recurrence.js";
import { reminderSnoozeJob, type ReminderSnoozePayload } from "../../jobs/meeting-reminder.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { uuidFrom } from "./plan-reminders.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MINUTE = 60_000;

const deliveryInclude = {
  attendee: { include: { user: { select: { id: true, timeZone: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } } } },
  meeting: { include: { exceptions: true } },
} as const;

/** Button "reminder.snooze", value "<deliveryId>:<minutes>". */
export async function snoozeReminder(deps: Deps, who: Who, value: string): Promise<Reply> {
  const [deliveryId, minutesText] = value.split(":");
  const minutes = Number(minutesText);
  if (!deliveryId || !UUID.test(deliveryId) || !(SNOOZE_MINUTES as readonly number[]).includes(minutes)) {
    return privateMessage(notice("That snooze button is not valid any more. Wait for the next reminder."));
  }
  const timeZone = who.user.timeZone;
  return deps.db.$transaction(async (tx): Promise<Reply> => {
    const delivery = await tx.reminderDelivery.findUnique({ where: { id: deliveryId }, include: deliveryInclude });
    if (!delivery) return privateMessage(notice("That reminder no longer exists: the meeting or the reminder was removed."));
    const allowed = policy.snoozeReminder(who.actor, delivery.attendee.userId);
    if (!allowed.ok) return privateMessage(notice(allowed.reason));
    const ref = meetingReference(delivery.meeting.number);
    if (delivery.meeting.status !== "confirmed") return privateMessage(notice(`${ref} was cancelled: there is nothing to snooze.`));
    const now = deps.now();
    if (occurrenceEnd(delivery) <= now) return privateMessage(notice(`${ref} is over: there is nothing to snooze.`));
    if (delivery.snoozedUntil) return privateMessage(alreadySnoozedNotice(delivery.snoozedUntil, timeZone));
    const until = new Date(now.getTime() + minutes * MINUTE);
    // Claim the snooze: of two clicks (or two cards' clicks) only one gets past here.
    const claimed = await tx.reminderDelivery.updateMany({ where: { id: delivery.id, snoozedUntil: null }, data: { snoozedUntil: until } });
    if (claimed.count === 0) {
      const current = await tx.reminderDelivery.findUnique({ where: { id: delivery.id }, select: { snoozedUntil: true } });
      return privateMessage(alreadySnoozedNotice(current?.snoozedUntil ?? until, timeZone));
    }
    const payload: ReminderSnoozePayload = { deliveryId: delivery.id, snoozedUntil: until.toISOString() };
    await deps.jobs.send(reminderSnoozeJob, payload, { id: uuidFrom(`meeting-reminder-snooze|${delivery.id}`), startAfter: until, db: prismaExecutor(tx) });
    return privateMessage(snoozedNotice(until, timeZone));
  });
}

export type SnoozeOutcome = "sent" | `skipped:${string}`;

/** Job handler: the snoozed reminder, again, unless the meeting was cancelled, moved, declined or is over. */
export async function sendSnoozedReminder(deps: Deps, payload: ReminderSnoozePayload): Promise<SnoozeOutcome> {
  return deps.db.$transaction(async (tx): Promise<SnoozeOutcome> => {
    const delivery = await tx.reminderDelivery.findUnique({ where: { id: payload.deliveryId }, include: deliveryInclude });
    if (!delivery || delivery.snoozedUntil?.toISOString() !== payload.snoozedUntil) return "skipped:gone";
    const { meeting, attendee } = delivery;
    if (meeting.status !== "confirmed") return "skipped:cancelled";
    if (attendee.response === "declined" || !attendee.user?.isActive) return "skipped:declined";
    const now = deps.now();
    const end = occurrenceEnd(delivery);
    // "Started more than its duration ago": the occurrence is over.
    if (end <= now) return "skipped:finished";
    const series = { startAt: meeting.startAt, endAt: meeting.endAt, timeZone: meeting.timeZone, isAllDay: meeting.isAllDay, rrule: meeting.rrule };
    const window = { from: new Date(delivery.occurrenceStart.getTime() - MINUTE), to: new Date(delivery.occurrenceStart.getTime() + MINUTE) };
    const occurrence = occurrences(series, meeting.exceptions, window).find((o) => o.startAt.getTime() === delivery.occurrenceStart.getTime());
    // Moved or cancelled since the reminder: the moved occurrence has its own reminder.
    if (!occurrence) return "skipped:stale";
    const facts = occurrenceFacts(meeting, occurrence);
    const queued = await notifyUser(tx, attendee.user, reminderCard(facts, delivery.id, attendee.user.timeZone, now, { snoozed: true }), {
      dedupeKey: `meeting-reminder-snooze:${delivery.id}`,
    });
    return queued > 0 ? "sent" : "skipped:no-chat";
  });
}

/** The end of the occurrence a delivery was for (its moved end when an exception moved it). */
function occurrenceEnd(delivery: { occurrenceStart: Date; meeting: { startAt: Date; endAt: Date; exceptions: { startAt: Date | null; endAt: Date | null }[] } }): Date {
  const moved = delivery.meeting.exceptions.find((e) => e.startAt?.getTime() === delivery.occurrenceStart.getTime() && e.endAt);
  if (moved?.endAt) return moved.endAt;
  return new Date(delivery.occurrenceStart.getTime() + delivery.meeting.endAt.getTime() - delivery.meeting.startAt.getTime());
}
