// Reminder lateness on embedded PGlite with the real job runner: 100,000 far-future reminder jobs waiting, and
// ~500 reminders falling due evenly over the next 60 s; p50/p99/max of ReminderDelivery.sentAt − dueAt, and duplicates.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createPrismaClient } from "../../src/db/client.js";
import { openEmbedded } from "../../src/db/embedded.js";
import type { Deps } from "../../src/handlers/deps.js";
import { planMeetingReminders, reminderJobId } from "../../src/handlers/meetings/plan-reminders.js";
import { appJobs } from "../../src/jobs/app-jobs.js";
import { startJobRunner, type JobRunner } from "../../src/jobs/job-runner.js";
import { meetingReminderJob, REMINDER_BATCH_SIZE, REMINDER_POLLING_SECONDS, type MeetingReminderPayload } from "../../src/jobs/meeting-reminder.js";
import { createLogger } from "../../src/log.js";
import type { Benchmark } from "./run.js";

const FUTURE = Number(process.env.BENCH_FUTURE_REMINDERS ?? 100_000);
const DUE = Number(process.env.BENCH_DUE_REMINDERS ?? 500);
const SPREAD_MS = 60_000;
const USERS = 200;
const LEAD_MINUTES = 15;
const TARGET_P99_MS = 2000;
const INSERT_BATCH = 5000;

export const benchmark: Benchmark = {
  name: "meeting-reminders",
  async run() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "sb-bench-reminders-"));
    const embedded = await openEmbedded({ dataDir });
    const db = createPrismaClient(embedded.url);
    const logger = createLogger({ level: "warn", format: "json" });
    let runner: JobRunner | undefined;
    try {
      const deps: Deps = {
        db,
        now: () => new Date(),
        logger,
        settings: { allowedEmailDomains: ["example.com"], publicUrl: "http://localhost" },
        jobs: { send: (job, payload, options) => runner!.send(job, payload, options) },
      };
      // Only the reminder job works here, with the queue options and polling the app registers.
      const jobs = appJobs(deps, {}).filter((j) => j.name === meetingReminderJob.name);
      runner = await startJobRunner({ url: embedded.url, logger, jobs });

      const seedStart = performance.now();
      const organizerId = await seedUsers(db);
      await seedMeetings(db, organizerId, "far", FUTURE, `now() + interval '30 days' + g * interval '1 minute'`);
      console.log(`  far meetings inserted in ${Math.round(performance.now() - seedStart)} ms`);
      const far = await db.$queryRawUnsafe<{ meetingId: string; reminderId: string; startAt: Date }[]>(
        `SELECT m.id::text AS "meetingId", r.id::text AS "reminderId", m."startAt" FROM "Meeting" m JOIN "MeetingReminder" r ON r."meetingId" = m.id WHERE m.title = 'far'`,
      );
      for (let i = 0; i < far.length; i += INSERT_BATCH) {
        await runner.boss.insert(
          far.slice(i, i + INSERT_BATCH).map((f) => {
            const data: MeetingReminderPayload = {
              meetingId: f.meetingId,
              reminderId: f.reminderId,
              originalStart: f.startAt.toISOString(),
              dueAt: new Date(f.startAt.getTime() - LEAD_MINUTES * 60_000).toISOString(),
            };
            return { id: reminderJobId(data, 0), name: meetingReminderJob.name, data, startAfter: new Date(data.dueAt) };
          }),
        );
      }
      await db.$executeRawUnsafe(`VACUUM ANALYZE pgboss.job`);
      const seedMs = Math.round(performance.now() - seedStart);
      console.log(`  seeded ${FUTURE} far-future meetings, reminders and jobs in ${seedMs} ms`);

      // The due ones go through the real planning code, one transaction each, as a create would.
      // Planning goes through Prisma's interactive transactions on PGlite: about 35–50 ms a meeting, measured.
      const firstDue = Date.now() + 15_000 + DUE * 80;
      await seedMeetings(db, organizerId, "due", DUE, `to_timestamp((${firstDue} + (g - 1) * ${SPREAD_MS / DUE}) / 1000.0) + interval '${LEAD_MINUTES} minutes'`);
      const due = await db.meeting.findMany({ where: { title: "due" }, select: { id: true } });
      const planStart = performance.now();
      const planMs: number[] = [];
      for (const m of due) {
        const t = performance.now();
        await db.$transaction((tx) => planMeetingReminders(tx, deps, m.id));
        planMs.push(performance.now() - t);
      }
      planMs.sort((a, b) => a - b);
      console.log(`  planning one meeting's reminders: p50 ${round(planMs[Math.floor(planMs.length / 2)]!)} ms, max ${round(planMs.at(-1)!)} ms`);
      console.log(`  planned ${due.length} due reminders in ${Math.round(performance.now() - planStart)} ms; first due in ${Math.round((firstDue - Date.now()) / 1000)} s`);
      if (firstDue < Date.now()) throw new Error("seeding took longer than the lead time: raise the first due time");

      const deadline = firstDue + SPREAD_MS + 30_000;
      while (Date.now() < deadline && (await db.reminderDelivery.count()) < DUE) await new Promise((r) => setTimeout(r, 500));
      await new Promise((r) => setTimeout(r, 2000)); // late duplicates would land now

      const rows = await db.$queryRawUnsafe<{ lateMs: number }[]>(
        `SELECT EXTRACT(EPOCH FROM ("sentAt" - "dueAt")) * 1000 AS "lateMs" FROM "ReminderDelivery" ORDER BY 1`,
      );
      const late = rows.map((r) => Number(r.lateMs));
      const [dupes] = await db.$queryRawUnsafe<{ deliveries: bigint; distinctMeetings: bigint; outboxRows: bigint; farSent: bigint }[]>(
        `SELECT (SELECT count(*) FROM "ReminderDelivery") AS deliveries,
                (SELECT count(DISTINCT ("meetingId", "attendeeId")) FROM "ReminderDelivery") AS "distinctMeetings",
                (SELECT count(*) FROM "Outbox" WHERE "dedupeKey" LIKE 'meeting-reminder:%') AS "outboxRows",
                (SELECT count(*) FROM "ReminderDelivery" d JOIN "Meeting" m ON m.id = d."meetingId" WHERE m.title = 'far') AS "farSent"`,
      );
      const deliveries = Number(dupes!.deliveries);
      const duplicates = deliveries - Number(dupes!.distinctMeetings) + Math.max(0, Number(dupes!.outboxRows) - deliveries);
      const at = (q: number) => round(late[Math.min(late.length - 1, Math.floor(q * late.length))] ?? NaN);
      const figures = {
        sent: deliveries,
        expected: DUE,
        missing: DUE - deliveries,
        duplicates,
        sentForFarMeetings: Number(dupes!.farSent),
        p50: at(0.5),
        p99: at(0.99),
        max: round(late.at(-1) ?? NaN),
        min: round(late[0] ?? NaN),
        batchSize: REMINDER_BATCH_SIZE,
        pollingIntervalSeconds: REMINDER_POLLING_SECONDS,
        futureJobs: FUTURE,
        seedMs,
      };
      console.log(
        `  lateness (sentAt − dueAt) over ${deliveries}/${DUE} reminders: p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms, min ${figures.min} ms; duplicates ${duplicates}, sent for far-future meetings ${figures.sentForFarMeetings}`,
      );
      const ok = figures.p99 < TARGET_P99_MS && duplicates === 0 && figures.missing === 0 && figures.sentForFarMeetings === 0;
      // run.ts exits non-zero only for a crash: a missed target here must fail the run too.
      if (!ok) throw new Error(`reminder targets missed: ${JSON.stringify(figures)}`);
      return {
        metrics: [
          { name: "reminder lateness p50", value: `${figures.p50} ms` },
          { name: `reminder lateness p99 (${DUE} due, ${FUTURE} waiting)`, value: `${figures.p99} ms`, target: `< ${TARGET_P99_MS} ms`, met: figures.p99 < TARGET_P99_MS },
          { name: "reminder lateness max", value: `${figures.max} ms` },
          { name: "duplicate reminders", value: String(duplicates), target: "0", met: duplicates === 0 },
        ],
        details: figures,
      };
    } finally {
      await runner?.stop(5000);
      await db.$disconnect();
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/** The organizer and USERS people on Slack; every meeting invites one of them (accepted). */
async function seedUsers(db: ReturnType<typeof createPrismaClient>): Promise<string> {
  const organizer = await db.user.create({ data: { email: "organizer@example.com", name: "Organizer", slackTeamId: "T1", slackUserId: "UORG" } });
  await db.$executeRawUnsafe(
    `INSERT INTO "User" (id, email, name, "timeZone", "slackTeamId", "slackUserId", "updatedAt")
     SELECT gen_random_uuid(), 'person' || g || '@example.com', 'Person ' || g, 'Europe/Berlin', 'T1', 'UP' || g, now() FROM generate_series(1, ${USERS}) g`,
  );
  return organizer.id;
}

/** `count` 15-minute meetings titled `title`, starting at `startExpr` (SQL of g), each with one attendee and a 15-minute DM reminder. */
async function seedMeetings(db: ReturnType<typeof createPrismaClient>, organizerId: string, title: string, count: number, startExpr: string): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "Meeting" (id, uid, title, "startAt", "endAt", "timeZone", "organizerId", "updatedAt")
     SELECT gen_random_uuid(), '${title}-' || g || '@bench', '${title}', s, s + interval '15 minutes', 'Europe/Berlin', $1::uuid, now()
     FROM generate_series(1, ${count}) g, LATERAL (SELECT ${startExpr} AS s) t`,
    organizerId,
  );
  await db.$executeRawUnsafe(
    `WITH people AS (SELECT array_agg(id) AS ids FROM "User" WHERE email LIKE 'person%')
     INSERT INTO "MeetingAttendee" (id, "meetingId", "userId", email, response)
     SELECT gen_random_uuid(), m.id, people.ids[1 + m.number % ${USERS}], NULL, 'accepted' FROM "Meeting" m, people WHERE m.title = '${title}'`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO "MeetingReminder" (id, "meetingId", "minutesBefore", channel) SELECT gen_random_uuid(), id, ${LEAD_MINUTES}, 'dm' FROM "Meeting" WHERE title = '${title}'`,
  );
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
