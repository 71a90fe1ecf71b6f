// Test child: the automation moment worker with the real handler. Usage: rule-moment-worker.ts <url|DATA_DIR> <signal-dir> hang|finish
// "hang" seeds a team, a person, a time rule and a case due in 3 s, with a trigger that makes the firing's insert sleep
// (so a kill -9 lands inside the firing's transaction); "finish" removes the sleep and lets the job run again.
// Writes <signal-dir>/started-<retry> when the handler starts; prints "outcome <value>" when it returns.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createPrismaClient } from "../../../src/db/client.js";
import { openEmbedded } from "../../../src/db/embedded.js";
import { recordCreated } from "../../../src/handlers/automation/events.js";
import { fireRuleMoment } from "../../../src/handlers/automation/rule-moments.js";
import type { Deps } from "../../../src/handlers/deps.js";
import { ruleMomentJob } from "../../../src/jobs/automation.js";
import { defineJob } from "../../../src/jobs/define-job.js";
import { startJobRunner, type JobRunner } from "../../../src/jobs/job-runner.js";
import { createLogger } from "../../../src/log.js";

const [target, signals, mode] = process.argv.slice(2);
if (!target || !signals || (mode !== "hang" && mode !== "finish")) throw new Error("usage: rule-moment-worker.ts <target> <signals> hang|finish");

const embedded = /^postgres(ql)?:/.test(target) ? undefined : await openEmbedded({ dataDir: target });
const url = embedded?.url ?? target;
const db = createPrismaClient(url);
let runner: JobRunner | undefined;
const deps: Deps = {
  db,
  now: () => new Date(),
  logger: createLogger({ level: "silent", format: "json" }),
  settings: { allowedEmailDomains: ["example.com"], publicUrl: "http://localhost" },
  jobs: { send: (job, payload, options) => runner!.send(job, payload, options) },
};
// The app's handler; a short expiry (the app's is 60 s) so the test does not wait a minute for the retry.
const momentJob = defineJob({
  ...ruleMomentJob,
  queue: { retryLimit: 5, retryDelay: 0, expireInSeconds: 3 },
  pollingIntervalSeconds: 0.5,
  async handler(payload, ctx) {
    writeFileSync(path.join(signals, `started-${ctx.retryCount}`), ctx.jobId);
    console.log(`outcome ${await fireRuleMoment(deps, payload)}`);
  },
});
runner = await startJobRunner({ url, logger: deps.logger, jobs: [momentJob], maintenanceIntervalSeconds: 1 });

if (mode === "hang") {
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "TestHang" (on_ boolean)`);
  await db.$executeRawUnsafe(`INSERT INTO "TestHang" VALUES (true)`);
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_hang() RETURNS trigger AS $$ BEGIN IF EXISTS (SELECT 1 FROM "TestHang") THEN PERFORM pg_sleep(120); END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(`CREATE TRIGGER test_hang BEFORE INSERT ON "RuleFiring" FOR EACH ROW EXECUTE FUNCTION test_hang()`);
  const user = await db.user.create({ data: { email: "ana@example.com", name: "Ana", slackTeamId: "T1", slackUserId: "U1" } });
  const team = await db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "C_SUPPORT", members: { create: [{ userId: user.id }] } } });
  const stage = await db.caseStage.findFirstOrThrow({ where: { teamId: null, kind: "open" }, orderBy: { sequence: "asc" } });
  const definition = {
    name: "Due now",
    record: "case",
    enabled: true,
    timeZone: "UTC",
    trigger: { kind: "time", field: "planned-close", offset: { amount: 0, unit: "minutes" } },
    actions: [{ do: "post", to: "team-channel", text: "{{case.ref}} is due" }, { do: "dm", to: "responsible", text: "{{case.ref}} is yours and due" }],
  };
  await db.automationRule.create({ data: { name: definition.name, recordType: "case", triggerKind: "time", definition, enabled: true, version: 1, scheduledVersion: 1 } });
  await db.$transaction(async (tx) => {
    const c = await tx.case.create({ data: { subject: "Due", teamId: team.id, stageId: stage.id, assigneeId: user.id, plannedCloseAt: new Date(Date.now() + 3000) } });
    await recordCreated(tx, deps, "case", c.id, null);
  });
} else {
  await db.$executeRawUnsafe(`DELETE FROM "TestHang"`);
}
console.log("worker ready");
process.on("SIGTERM", async () => {
  await runner?.stop(1000);
  await db.$disconnect();
  await embedded?.close();
  process.exit(0);
});
