// Meeting reminders on a real job runner and database: to the minute (within 2 s), every occurrence, exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import type { Deps } from "../../src/handlers/deps.js";
import { planMeetingReminders } from "../../src/handlers/meetings/plan-reminders.js";
import { sendMeetingReminder } from "../../src/handlers/meetings/send-reminder.js";
import { sendSnoozedReminder, snoozeReminder } from "../../src/handlers/meetings/snooze-reminder.js";
import { meetingReminderJob, type MeetingReminderPayload } from "../../src/jobs/meeting-reminder.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

const MIN = 60_000;

describe("meeting reminders", () => {
  let h: HandlerHarness;
  let organizer: Who;
  let alice: Who;
  let bob: Who;
  let seq = 0;

  beforeAll(async () => {
    h = await handlerHarness();
    organizer = await aPerson(h.db);
    alice = await aPerson(h.db, { timeZone: "Europe/Berlin" });
    bob = await aPerson(h.db, { timeZone: "America/New_York" });
  });
  afterAll(async () => h?.close());

  /** A meeting with the organizer (accepted), alice (accepted), bob (declined) and an external guest. */
  async function aMeeting(over: { startAt: Date; minutes?: number; rrule?: string | null; reminders?: { minutesBefore: number; channel?: "dm" | "email" }[]; videoUrl?: string | null }) {
    seq += 1;
    const minutes = over.minutes ?? 15;
    const m = await h.db.meeting.create({
      data: {
        uid: `reminder-test-${seq}-${Date.now()}@switchboard`,
        title: "Standup",
        location: "Room 2",
        videoUrl: over.videoUrl === undefined ? "https://meet.example.com/standup" : over.videoUrl,
        startAt: over.startAt,
        endAt: new Date(over.startAt.getTime() + minutes * MIN),
        timeZone: "Europe/Berlin",
        rrule: over.rrule ?? null,
        organizerId: organizer.user.id,
        attendees: {
          create: [
            { userId: organizer.user.id, email: organizer.user.email, response: "accepted" },
            { userId: alice.user.id, email: alice.user.email, response: "accepted" },
            { userId: bob.user.id, email: bob.user.email, response: "declined" },
            { email: "guest@customer.example", name: "Guest" },
          ],
        },
        reminders: { create: (over.reminders ?? [{ minutesBefore: 15 }]).map((r) => ({ minutesBefore: r.minutesBefore, channel: r.channel ?? "dm" })) },
      },
      include: { reminders: true, attendees: true },
    });
    return m;
  }

  const plan = (meetingId: string, deps: Deps = h.deps) => h.db.$transaction((tx) => planMeetingReminders(tx, deps, meetingId));
  const at = (now: Date): Deps => ({ ...h.deps, now: () => now });
  /** The reminder jobs of a meeting, oldest due first. */
  const jobs = (meetingId: string) =>
    h.db.$queryRawUnsafe<{ id: string; data: MeetingReminderPayload; state: string }[]>(
      `SELECT id::text AS id, data, state::text AS state FROM pgboss.job WHERE name = 'meeting-reminder' AND data->>'meetingId' = $1 ORDER BY start_after, created_on`,
      meetingId,
    );
  const deliveries = (meetingId: string) => h.db.reminderDelivery.findMany({ where: { meetingId }, include: { attendee: true }, orderBy: { occurrenceStart: "asc" } });
  const outbox = (prefix: string) => h.db.outbox.findMany({ where: { dedupeKey: { startsWith: prefix } }, orderBy: { seq: "asc" } });
  const reminderRows = async (meetingId: string) => {
    const ids = (await deliveries(meetingId)).map((d) => d.id);
    return h.db.outbox.findMany({ where: { OR: ids.map((id) => ({ dedupeKey: { startsWith: `meeting-reminder:${id}` } })) }, orderBy: { seq: "asc" } });
  };
  const text = (reply: Reply) => (reply.kind === "message" ? reply.view.text : JSON.stringify(reply));

  it("fires within 2 s of its due time on the real job runner, to each attendee who has not declined, once", async () => {
    const startAt = new Date(Date.now() + 15 * MIN + 2500);
    const m = await aMeeting({ startAt });
    await plan(m.id);
    // Re-planned twice (two edits in one change, or two handlers): still one job.
    await plan(m.id);
    expect(await jobs(m.id)).toHaveLength(1);
    const dueAt = new Date(startAt.getTime() - 15 * MIN);
    await waitFor(async () => (await deliveries(m.id)).length >= 2, 15_000);
    const sent = await deliveries(m.id);
    expect(sent.map((d) => d.attendee.userId).sort()).toEqual([organizer.user.id, alice.user.id].sort());
    expect(sent.every((d) => d.dueAt.getTime() === dueAt.getTime() && d.occurrenceStart.getTime() === startAt.getTime())).toBe(true);
    const rows = await reminderRows(m.id);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const late = row.createdAt.getTime() - dueAt.getTime();
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(2000);
    }
    // Alice's card, in her time zone.
    const aliceRow = rows.find((r) => r.target === alice.user.slackUserId)!;
    const view = aliceRow.payload as unknown as MessageView;
    const hhmm = (d: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
    expect(view.text).toBe(`⏰ Standup in 15 min (${hhmm(startAt)}–${hhmm(m.endAt)}, Room 2)`);
    const actions = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
    const aliceDelivery = sent.find((d) => d.attendee.userId === alice.user.id)!;
    expect(actions).toEqual([
      expect.objectContaining({ id: "meeting.join", url: "https://meet.example.com/standup" }),
      expect.objectContaining({ id: "reminder.snooze", label: "Snooze 5 min", value: `${aliceDelivery.id}:5` }),
      expect.objectContaining({ id: "reminder.snooze", label: "Snooze 10 min", value: `${aliceDelivery.id}:10` }),
    ]);
    expect(JSON.stringify(view.blocks)).toContain(`MTG-${String(m.number).padStart(4, "0")}`);

    // The job again (a retry, a duplicate), and a direct run: nothing more is sent.
    const payload = (await jobs(m.id))[0]!.data;
    await h.deps.jobs.send(meetingReminderJob, payload);
    expect(await sendMeetingReminder(h.deps, payload)).toBe("sent:0");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await deliveries(m.id)).toHaveLength(2);
    expect(await reminderRows(m.id)).toHaveLength(2);
  });

  it("two workers running the same reminder at once send it once", async () => {
    const now = new Date("2030-03-04T08:45:00Z");
    const m = await aMeeting({ startAt: new Date("2030-03-04T09:00:00Z") });
    await plan(m.id, at(new Date("2030-03-01T00:00:00Z")));
    const [job] = await jobs(m.id);
    const outcomes = await Promise.all([sendMeetingReminder(at(now), job!.data), sendMeetingReminder(at(now), job!.data), sendMeetingReminder(at(now), job!.data)]);
    expect(outcomes.sort()).toEqual(["sent:0", "sent:0", "sent:2"]);
    expect(await deliveries(m.id)).toHaveLength(2);
    expect(await reminderRows(m.id)).toHaveLength(2);
  });

  it("skips reminders already due, and a meeting that is cancelled, finished or moved", async () => {
    // Due 10 minutes ago (a meeting in 5 minutes with a 15-minute reminder): not sent late, as Odoo does.
    const soon = await aMeeting({ startAt: new Date(Date.now() + 5 * MIN) });
    await plan(soon.id);
    expect(await jobs(soon.id)).toHaveLength(0);

    const planned = new Date("2030-04-01T00:00:00Z");
    const startAt = new Date("2030-04-02T09:00:00Z");
    const cancelled = await aMeeting({ startAt });
    await plan(cancelled.id, at(planned));
    await h.db.meeting.update({ where: { id: cancelled.id }, data: { status: "cancelled", version: { increment: 1 } } });
    await plan(cancelled.id, at(planned));
    const cancelledJobs = await jobs(cancelled.id);
    expect(cancelledJobs).toHaveLength(1);
    expect(await sendMeetingReminder(at(new Date("2030-04-02T08:45:00Z")), cancelledJobs[0]!.data)).toBe("skipped:cancelled");

    // Finished: the job ran after the meeting's end (the runner was down): nothing sent.
    const finished = await aMeeting({ startAt });
    await plan(finished.id, at(planned));
    const [finishedJob] = await jobs(finished.id);
    expect(await sendMeetingReminder(at(new Date("2030-04-02T09:15:00Z")), finishedJob!.data)).toBe("skipped:finished");
    expect(await deliveries(finished.id)).toHaveLength(0);

    // Moved one hour later: re-planned; the old job does nothing, the new one reminds.
    const moved = await aMeeting({ startAt });
    await plan(moved.id, at(planned));
    const [oldJob] = await jobs(moved.id);
    await h.db.meeting.update({
      where: { id: moved.id },
      data: { startAt: new Date("2030-04-02T10:00:00Z"), endAt: new Date("2030-04-02T10:15:00Z"), version: { increment: 1 } },
    });
    await plan(moved.id, at(planned));
    const both = await jobs(moved.id);
    expect(both.map((j) => j.data.dueAt)).toEqual(["2030-04-02T08:45:00.000Z", "2030-04-02T09:45:00.000Z"]);
    expect(await sendMeetingReminder(at(new Date("2030-04-02T08:45:00Z")), oldJob!.data)).toBe("skipped:stale");
    expect(await sendMeetingReminder(at(new Date("2030-04-02T09:45:00Z")), both[1]!.data)).toBe("sent:2");
    expect((await deliveries(moved.id)).map((d) => d.occurrenceStart.toISOString())).toEqual(["2030-04-02T10:00:00.000Z", "2030-04-02T10:00:00.000Z"]);
  });

  it("an endless weekly meeting keeps reminding: three occurrences in a row, a cancelled one skipped", async () => {
    // Fake clock: each job's payload is read from pg-boss's table and run at its due time; the chain is the real one
    // (each run plans the next job through the transaction), only the waiting is skipped.
    const first = new Date("2030-01-07T08:00:00Z"); // Monday 09:00 in Berlin
    const m = await aMeeting({ startAt: first, rrule: "FREQ=WEEKLY;BYDAY=MO" });
    // The second Monday is cancelled.
    await h.db.meetingException.create({ data: { meetingId: m.id, originalStart: new Date("2030-01-14T08:00:00Z"), isCancelled: true } });
    await plan(m.id, at(new Date("2030-01-01T00:00:00Z")));
    const reminded: string[] = [];
    for (let i = 0; i < 3; i++) {
      const pending = (await jobs(m.id)).filter((j) => j.state === "created" && !reminded.includes(j.data.dueAt));
      expect(pending).toHaveLength(1);
      const job = pending[0]!;
      expect(await sendMeetingReminder(at(new Date(job.data.dueAt)), job.data)).toBe("sent:2");
      reminded.push(job.data.dueAt);
    }
    expect(reminded).toEqual(["2030-01-07T07:45:00.000Z", "2030-01-21T07:45:00.000Z", "2030-01-28T07:45:00.000Z"]);
    const next = (await jobs(m.id)).filter((j) => !reminded.includes(j.data.dueAt));
    expect(next.map((j) => j.data.dueAt)).toEqual(["2030-02-04T07:45:00.000Z"]);
    expect(await deliveries(m.id)).toHaveLength(6);
    expect(await reminderRows(m.id)).toHaveLength(6);
  });

  it("email reminders go to every attendee's address who has not declined, external guests too", async () => {
    const m = await aMeeting({ startAt: new Date("2030-05-06T09:00:00Z"), reminders: [{ minutesBefore: 60, channel: "email" }] });
    await plan(m.id, at(new Date("2030-05-01T00:00:00Z")));
    const [job] = await jobs(m.id);
    expect(job!.data.dueAt).toBe("2030-05-06T08:00:00.000Z");
    expect(await sendMeetingReminder(at(new Date(job!.data.dueAt)), job!.data)).toBe("sent:3");
    const rows = await reminderRows(m.id);
    expect(rows.map((r) => [r.channel, r.target]).sort()).toEqual(
      [["email", organizer.user.email], ["email", alice.user.email], ["email", "guest@customer.example"]].sort(),
    );
    expect((rows[0]!.payload as { subject: string }).subject).toBe("Reminder: Standup in 1 h");
  });

  it("reminds all-day meetings from local midnight where they were planned", async () => {
    // 5 Aug 2030, all day, Berlin (UTC+2 in summer): "1 day before" is local midnight on the 4th, 22:00 UTC on the 3rd.
    const m = await aMeeting({ startAt: new Date("2030-08-05T00:00:00Z"), minutes: 24 * 60, reminders: [{ minutesBefore: 24 * 60 }] });
    await h.db.meeting.update({ where: { id: m.id }, data: { isAllDay: true } });
    await plan(m.id, at(new Date("2030-08-01T00:00:00Z")));
    const [job] = await jobs(m.id);
    expect(job!.data.dueAt).toBe("2030-08-03T22:00:00.000Z");
    expect(await sendMeetingReminder(at(new Date(job!.data.dueAt)), job!.data)).toBe("sent:2");
    // Planned at 23:00 UTC on the 3rd (01:00 local on the 4th): already due, skipped.
    const late = await aMeeting({ startAt: new Date("2030-08-05T00:00:00Z"), minutes: 24 * 60, reminders: [{ minutesBefore: 24 * 60 }] });
    await h.db.meeting.update({ where: { id: late.id }, data: { isAllDay: true } });
    await plan(late.id, at(new Date("2030-08-03T23:00:00Z")));
    expect(await jobs(late.id)).toHaveLength(0);
  });

  describe("snooze", () => {
    it("reminds once more after 5 minutes, once per reminder, only for the person reminded", async () => {
      const m = await aMeeting({ startAt: new Date("2030-06-03T09:00:00Z") });
      await plan(m.id, at(new Date("2030-06-01T00:00:00Z")));
      const [job] = await jobs(m.id);
      const due = new Date(job!.data.dueAt);
      await sendMeetingReminder(at(due), job!.data);
      const aliceDelivery = (await deliveries(m.id)).find((d) => d.attendee.userId === alice.user.id)!;
      const clicked = at(new Date(due.getTime() + 10_000));

      expect(text(await snoozeReminder(clicked, bob, `${aliceDelivery.id}:5`))).toBe("Only the person this reminder was sent to can snooze it.");
      expect(text(await snoozeReminder(clicked, alice, `${aliceDelivery.id}:7`))).toMatch(/not valid any more/);
      expect(text(await snoozeReminder(clicked, alice, `not-a-uuid:5`))).toMatch(/not valid any more/);
      expect(text(await snoozeReminder(clicked, alice, `${"x".repeat(5000)}:5`))).toMatch(/not valid any more/);
      // Through the dispatcher, as the button arrives (Berlin in June is UTC+2: 08:45:10 UTC + 5 min = 10:50 local).
      expect(text(await runAction(clicked, alice, "reminder.snooze", `${aliceDelivery.id}:5`))).toBe("Snoozed: I will remind you again at 10:50.");
      expect(text(await snoozeReminder(clicked, alice, `${aliceDelivery.id}:10`))).toBe("This reminder is already snoozed until 10:50.");
      const stored = await h.db.reminderDelivery.findUniqueOrThrow({ where: { id: aliceDelivery.id } });
      expect(stored.snoozedUntil!.toISOString()).toBe("2030-06-03T08:50:10.000Z");
      const snoozeJobs = await h.db.$queryRawUnsafe<{ data: { deliveryId: string; snoozedUntil: string } }[]>(
        `SELECT data FROM pgboss.job WHERE name = 'meeting-reminder-snooze' AND data->>'deliveryId' = $1`,
        aliceDelivery.id,
      );
      expect(snoozeJobs).toHaveLength(1);

      const payload = snoozeJobs[0]!.data;
      expect(await sendSnoozedReminder(at(new Date(payload.snoozedUntil)), payload)).toBe("sent");
      expect(await sendSnoozedReminder(at(new Date(payload.snoozedUntil)), payload)).toBe("sent"); // a retry: the outbox row is deduplicated
      const again = await outbox(`meeting-reminder-snooze:${aliceDelivery.id}`);
      expect(again).toHaveLength(1);
      const view = again[0]!.payload as unknown as MessageView;
      expect(view.text).toBe("⏰ Standup in 10 min (11:00–11:15, Room 2)");
      expect(view.blocks.flatMap((b) => (b.type === "actions" ? b.actions.map((a) => a.id) : []))).toEqual(["meeting.join"]);
    });

    it("does not remind again for a cancelled or finished meeting", async () => {
      const m = await aMeeting({ startAt: new Date("2030-07-01T09:00:00Z") });
      await plan(m.id, at(new Date("2030-06-30T00:00:00Z")));
      const [job] = await jobs(m.id);
      await sendMeetingReminder(at(new Date(job!.data.dueAt)), job!.data);
      const delivery = (await deliveries(m.id)).find((d) => d.attendee.userId === alice.user.id)!;
      expect(text(await snoozeReminder(at(new Date("2030-07-01T09:20:00Z")), alice, `${delivery.id}:5`))).toMatch(/is over: there is nothing to snooze/);
      await snoozeReminder(at(new Date("2030-07-01T08:50:00Z")), alice, `${delivery.id}:10`);
      const payload = { deliveryId: delivery.id, snoozedUntil: "2030-07-01T09:00:00.000Z" };
      expect(await sendSnoozedReminder(at(new Date("2030-07-01T09:16:00Z")), payload)).toBe("skipped:finished");
      await h.db.meeting.update({ where: { id: m.id }, data: { status: "cancelled" } });
      expect(await sendSnoozedReminder(at(new Date("2030-07-01T09:00:00Z")), payload)).toBe("skipped:cancelled");
      expect(text(await snoozeReminder(at(new Date("2030-07-01T08:51:00Z")), alice, `${delivery.id}:5`))).toMatch(/was cancelled/);
      expect(await outbox(`meeting-reminder-snooze:${delivery.id}`)).toHaveLength(0);
    });
  });
});
