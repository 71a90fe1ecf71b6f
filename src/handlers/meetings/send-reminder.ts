// Job handler: at a reminder's due time, remind each attendee once (DM or email), then plan the next occurrence's reminder.
import { occurrenceFacts, reminderCard, reminderEmail } from "../../bot/views/reminder-card.js";
import type { Tx } from "../../db/outbox.js";
import type { MeetingReminderPayload } from "../../jobs/meeting-reminder.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { findPlannedOccurrence, planReminder, type ReminderOccurrence } from "./plan-reminders.js";

export type ReminderOutcome = `sent:${number}` | `skipped:${string}`;

const attendeeInclude = {
  user: { select: { id: true, email: true, timeZone: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } },
} as const;

export async function sendMeetingReminder(deps: Deps, payload: MeetingReminderPayload): Promise<ReminderOutcome> {
  return deps.db.$transaction(async (tx): Promise<ReminderOutcome> => {
    const meeting = await tx.meeting.findUnique({
      where: { id: payload.meetingId },
      include: { exceptions: true, reminders: { where: { id: payload.reminderId } }, attendees: { include: attendeeInclude } },
    });
    const reminder = meeting?.reminders[0];
    // Reload and re-check: a cancelled meeting, or a reminder rule removed since, reminds nobody.
    if (!meeting || !reminder) return "skipped:gone";
    if (meeting.status !== "confirmed") return "skipped:cancelled";
    // A moved or cancelled occurrence, a changed rule or lead time: the newer plan's job reminds (or nobody does).
    const occurrence = findPlannedOccurrence(meeting, meeting.exceptions, reminder.minutesBefore, payload);
    if (!occurrence) return "skipped:stale";
    const now = deps.now();
    // The chain goes on whatever happens to this occurrence: an endless series keeps reminding.
    await planReminder(tx, deps, meeting, meeting.exceptions, reminder, now, new Date(occurrence.startAt.getTime() + 1));
    // Never for a finished occurrence, however late the job runs (Odoo's odoo/odoo#189340).
    if (occurrence.endAt.getTime() <= now.getTime()) return "skipped:finished";

    const facts = occurrenceFacts(meeting, occurrence);
    // Odoo reminds attendees whose state is not declined (notes §1.6); a DM needs a person on a chat platform.
    const recipients = meeting.attendees.filter(
      (a) => a.response !== "declined" && (reminder.channel === "email" ? Boolean(a.email ?? a.user?.email) : Boolean(a.user?.isActive)),
    );
    if (recipients.length === 0) return "sent:0";
    const claimed = await claimDeliveries(tx, payload, reminder.id, occurrence, recipients.map((a) => a.id));
    for (const attendee of recipients) {
      const deliveryId = claimed.get(attendee.id);
      if (!deliveryId) continue; // already reminded (a retry, a second job or a second worker)
      const timeZone = attendee.user?.timeZone ?? meeting.timeZone;
      const dedupeKey = `meeting-reminder:${deliveryId}`;
      if (reminder.channel === "email") {
        await enqueueEmail(tx, { to: (attendee.email ?? attendee.user?.email)!, ...reminderEmail(facts, timeZone, now), dedupeKey });
      } else {
        await notifyUser(tx, attendee.user!, reminderCard(facts, deliveryId, timeZone, now), { dedupeKey });
      }
    }
    return `sent:${claimed.size}`;
  });
}

/**
 * Writes the ledger rows of this reminder and occurrence, one per attendee; returns the new ones by
 * attendee. ON CONFLICT DO NOTHING: of two runs at once, the second waits on the unique index until
 * the first commits, then inserts nothing (and a conflict does not abort the transaction).
 */
async function claimDeliveries(tx: Tx, payload: MeetingReminderPayload, reminderId: string, occurrence: ReminderOccurrence, attendeeIds: string[]): Promise<Map<string, string>> {
  const rows = await tx.reminderDelivery.createManyAndReturn({
    data: attendeeIds.map((attendeeId) => ({ meetingId: payload.meetingId, reminderId, attendeeId, occurrenceStart: occurrence.startAt, dueAt: new Date(payload.dueAt) })),
    skipDuplicates: true,
    select: { id: true, attendeeId: true },
  });
  return new Map(rows.map((r) => [r.attendeeId, r.id]));
}
