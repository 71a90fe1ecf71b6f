// `/crm cases` for a user with 500 open cases in a database of 200,000 cases, on embedded PGlite: p50/p99 to the rendered answer.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runCommand, type Who } from "../../src/bot/dispatch.js";
import { createPrismaClient } from "../../src/db/client.js";
import { openEmbedded } from "../../src/db/embedded.js";
import type { Deps } from "../../src/handlers/deps.js";
import { createLogger } from "../../src/log.js";
import type { Benchmark } from "./run.js";

const TOTAL_CASES = Number(process.env.BENCH_CASES ?? 200_000);
const MY_OPEN = 500;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const TARGET_P99_MS = 150;
const OTHER_USERS = 200;

export const benchmark: Benchmark = {
  name: "cases-list",
  async run() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "sb-bench-cases-"));
    const embedded = await openEmbedded({ dataDir });
    const db = createPrismaClient(embedded.url);
    try {
      const seedStart = performance.now();
      const me = await seed(db);
      const seedMs = Math.round(performance.now() - seedStart);
      console.log(`  seeded ${TOTAL_CASES} cases (${MY_OPEN} open for the user) in ${seedMs} ms`);
      const deps: Deps = {
        db,
        now: () => new Date(),
        logger: createLogger({ level: "warn", format: "json" }),
        settings: { allowedEmailDomains: ["example.com"], publicUrl: "http://localhost" },
        jobs: { send: () => Promise.reject(new Error("no jobs in this benchmark")) },
      };
      const who: Who = {
        user: { id: me.id, email: me.email, name: me.name, role: me.role, timeZone: me.timeZone, slackTeamId: me.slackTeamId, slackUserId: me.slackUserId, teamsTenantId: null, teamsAadId: null },
        actor: { id: me.id, role: me.role, teamIds: [me.teamId], managedTeamIds: [] },
      };
      const once = async () => {
        const t = performance.now();
        const reply = await runCommand(deps, who, "cases", { commandPrefix: "/crm " });
        const ms = performance.now() - t;
        if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
        return { ms, text: reply.view.text, blocks: reply.view.blocks.length };
      };
      const sample = await once();
      console.log(`  answer: "${sample.text}" (${sample.blocks} blocks)`);
      for (let i = 0; i < WARMUP; i++) await once();
      const latencies: number[] = [];
      for (let i = 0; i < ITERATIONS; i++) latencies.push((await once()).ms);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
      const figures = { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(latencies.at(-1)!), iterations: ITERATIONS };
      console.log(`  /crm cases: p50 ${figures.p50} ms, p90 ${figures.p90} ms, p99 ${figures.p99} ms, max ${figures.max} ms over ${ITERATIONS} runs`);
      const plan = await explain(db, me.id);
      console.log(`  plan:\n${plan.map((l) => `    ${l}`).join("\n")}`);
      return {
        metrics: [
          { name: "/crm cases p50", value: `${figures.p50} ms` },
          { name: "/crm cases p99 (500 open of 200k)", value: `${figures.p99} ms`, target: `< ${TARGET_P99_MS} ms`, met: figures.p99 < TARGET_P99_MS },
        ],
        details: { totalCases: TOTAL_CASES, myOpenCases: MY_OPEN, seedMs, answer: sample.text, ...figures, plan },
      };
    } finally {
      await db.$disconnect();
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

/** One INSERT … SELECT generate_series: the user gets 500 open cases (and 500 closed ones); the rest go to 200 others. */
async function seed(db: ReturnType<typeof createPrismaClient>) {
  const team = await db.team.create({ data: { name: "Support", kind: "support" } });
  const me = await db.user.create({ data: { email: "bench@example.com", name: "Bench User", timeZone: "Europe/Berlin", slackTeamId: "T1", slackUserId: "UBENCH" } });
  await db.teamMember.create({ data: { teamId: team.id, userId: me.id } });
  await db.$executeRawUnsafe(
    `INSERT INTO "User" (id, email, name, "updatedAt") SELECT gen_random_uuid(), 'other' || g || '@example.com', 'Other ' || g, now() FROM generate_series(1, ${OTHER_USERS}) g`,
  );
  const open = await db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "In progress" } });
  const done = await db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "Completed" } });
  await db.$executeRawUnsafe(
    `WITH others AS (SELECT array_agg(id) AS ids FROM "User" WHERE email LIKE 'other%')
     INSERT INTO "Case" (id, subject, "teamId", priority, "stageId", "isOpen", "assigneeId", "createdById", level, "createdAt", "updatedAt")
     SELECT gen_random_uuid(), 'Case number ' || g, $1::uuid,
            (ARRAY['low','medium','high','urgent'])[1 + g % 4]::"CasePriority",
            CASE WHEN g <= ${MY_OPEN} OR g % 3 <> 0 AND g > ${MY_OPEN * 2} THEN $2::uuid ELSE $3::uuid END,
            (g <= ${MY_OPEN} OR g % 3 <> 0 AND g > ${MY_OPEN * 2}),
            CASE WHEN g <= ${MY_OPEN * 2} THEN $4::uuid ELSE others.ids[1 + g % ${OTHER_USERS}] END,
            $4::uuid, (g % 4) * 10, now() - g * interval '1 minute', now()
     FROM generate_series(1, ${TOTAL_CASES}) g, others`,
    team.id,
    open.id,
    done.id,
    me.id,
  );
  await db.$executeRawUnsafe(`ANALYZE "Case"`);
  const myOpen = await db.case.count({ where: { assigneeId: me.id, isOpen: true } });
  if (myOpen !== MY_OPEN) throw new Error(`seeding gave the user ${myOpen} open cases, not ${MY_OPEN}`);
  return { ...me, teamId: team.id };
}

async function explain(db: ReturnType<typeof createPrismaClient>, userId: string): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
    `EXPLAIN ANALYZE SELECT * FROM "Case" WHERE "assigneeId" = $1::uuid AND "isOpen" = true ORDER BY level DESC, priority DESC, "createdAt" ASC LIMIT 20`,
    userId,
  );
  return rows.map((r) => r["QUERY PLAN"]);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
