// Two replicas on one PostgreSQL, each with its own connection pool and job runner: every time rule's moment fires
// once between them, and the same moment handled by both at once fires once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { recordCreated } from "../../src/handlers/automation/events.js";
import { fireRuleMoment } from "../../src/handlers/automation/rule-moments.js";
import type { Deps } from "../../src/handlers/deps.js";
import { appJobs } from "../../src/jobs/app-jobs.js";
import { ruleMomentJob } from "../../src/jobs/automation.js";
import { startJobRunner, type JobRunner } from "../../src/jobs/job-runner.js";
import { silentLogger } from "../support/test-config.js";
import { createTestDatabase, isPostgres, type TestDatabase } from "../support/test-database.js";
import { waitFor } from "../support/wait-for.js";

interface Replica {
  db: Db;
  deps: Deps;
  runner: JobRunner;
}

async function replica(url: string): Promise<Replica> {
  const db = createPrismaClient(url);
  let runner: JobRunner | undefined;
  const deps: Deps = {
    db,
    now: () => new Date(),
    logger: silentLogger,
    settings: { allowedEmailDomains: ["example.com"], publicUrl: "http://localhost" },
    jobs: { send: (job, payload, options) => runner!.send(job, payload, options) },
  };
  runner = await startJobRunner({ url, logger: silentLogger, jobs: appJobs(deps, {}).filter((j) => j.name === ruleMomentJob.name) });
  return { db, deps, runner };
}

describe.skipIf(!isPostgres)("two replicas on one PostgreSQL", () => {
  let database: TestDatabase;
  let a: Replica;
  let b: Replica;
  let ruleId: string;
  let teamId: string;
  let stageId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await replica(database.url);
    b = await replica(database.url);
    teamId = (await a.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "C_SUPPORT" } })).id;
    stageId = (await a.db.caseStage.findFirstOrThrow({ where: { teamId: null, kind: "open" }, orderBy: { sequence: "asc" } })).id;
    const definition = { name: "Due", record: "case", enabled: true, timeZone: "UTC", trigger: { kind: "time", field: "planned-close", offset: { amount: 0, unit: "minutes" } }, actions: [{ do: "post", to: "team-channel", text: "{{case.ref}} due" }] };
    ruleId = (await a.db.automationRule.create({ data: { name: "Due", recordType: "case", triggerKind: "time", definition, enabled: true, version: 1, scheduledVersion: 1 } })).id;
  });
  afterAll(async () => {
    for (const r of [a, b]) {
      await r?.runner.stop(2000);
      await r?.db.$disconnect();
    }
    await database?.close();
  });

  it("fires each moment once, whichever replica's worker takes it", async () => {
    const at = Date.now() + 2000;
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      // Half the cases are created through one replica, half through the other: both plan moments.
      const r = i % 2 ? a : b;
      ids.push(
        await r.db.$transaction(async (tx) => {
          const c = await tx.case.create({ data: { subject: `due ${i}`, teamId, stageId, plannedCloseAt: new Date(at + i * 25) } });
          await recordCreated(tx, r.deps, "case", c.id, null);
          return c.id;
        }),
      );
    }
    await waitFor(async () => (await a.db.ruleFiring.count({ where: { ruleId } })) === 40, 20_000);
    await new Promise((r) => setTimeout(r, 2000)); // a duplicate would land now
    expect(await a.db.ruleFiring.count({ where: { ruleId } })).toBe(40);
    expect(await a.db.outbox.count({ where: { target: "C_SUPPORT", dedupeKey: { startsWith: "rule:" } } })).toBe(40);
  }, 40_000);

  it("settles a moment both replicas handle at the same instant: one fires, the other finds it fired", async () => {
    const moment = new Date(Date.now() + 60_000);
    const c = await a.db.case.create({ data: { subject: "raced", teamId, stageId, plannedCloseAt: moment } });
    const payload = { ruleId, model: "case", recordId: c.id, moment: moment.toISOString() };
    const outcomes = (await Promise.allSettled([fireRuleMoment(a.deps, payload), fireRuleMoment(b.deps, payload)])).map((o) => (o.status === "fulfilled" ? o.value : "error"));
    // The loser either sees the row (already fired) or fails on the unique index and is retried as a job, then finds it.
    expect(outcomes.filter((o) => o === "fired")).toHaveLength(1);
    expect(await a.db.ruleFiring.count({ where: { recordId: c.id } })).toBe(1);
    expect(await fireRuleMoment(b.deps, payload)).toBe("already fired");
  });
});
