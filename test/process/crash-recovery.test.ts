import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { killHard, runScript } from "../support/run-script.js";
import { slowMigrations } from "../support/scripts/slow-migrations.js";
import { createEmptyDatabase, createTestDatabase, isPostgres, type TestDatabase } from "../support/test-database.js";
import { waitFor } from "../support/wait-for.js";
import { tempDir as tempDirFor } from "../support/worker-database.js";

const SLOW_MIGRATE = "test/support/scripts/slow-migrate.ts";
const CRASH_WORKER = "test/support/scripts/crash-worker.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tempDir = (prefix: string) => tempDirFor(cleanups, prefix);

/** Where the crashing child works: a PostgreSQL database, or an embedded data directory (PGlite runs). */
async function crashTarget(kind: "empty" | "migrated"): Promise<{ mode: "url" | "dir"; target: string; query<T>(sql: string): Promise<T[]> }> {
  if (isPostgres) {
    const db: TestDatabase = kind === "empty" ? await createEmptyDatabase() : await createTestDatabase();
    cleanups.push(() => db.close());
    return { mode: "url", target: db.url, query: (sql) => queryUrl(db.url, sql) };
  }
  const dir = tempDir("switchboard-crash-");
  return {
    mode: "dir",
    target: dir,
    async query<T>(sql: string): Promise<T[]> {
      // Raw PGlite: openEmbedded would (rightly) refuse the test's own migrations.
      const db = await PGlite.create({ dataDir: path.join(dir, "pg") });
      try {
        return (await db.query<T>(sql)).rows;
      } finally {
        await db.close();
      }
    },
  };
}

async function queryUrl<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe("kill -9", () => {
  it("in the middle of a migration leaves no half-applied migration, and the next start applies it", async () => {
    const target = await crashTarget("empty");
    const first = runScript(SLOW_MIGRATE, [target.mode, target.target]);
    await first.waitForOutput("migrating", 20_000);
    await new Promise((r) => setTimeout(r, 1500)); // inside the slow migration's pg_sleep
    await killHard(first);

    const migrated = async () =>
      target.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" ORDER BY 1`).then((rows) => rows.map((r) => r.migration_name));
    const hasSecond = async () =>
      (await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Second'`))[0]!.n === 1;
    expect(await migrated()).toEqual(["20260101000000_first"]);
    expect(await hasSecond()).toBe(false);

    const second = runScript(SLOW_MIGRATE, [target.mode, target.target]);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain(`"applied":["20260102000000_slow"]`);
    expect(await migrated()).toEqual(slowMigrations.map((m) => m.name));
    expect(await target.query(`SELECT id FROM "Second" ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
  }, 90_000);

  it("in the middle of a job: the job runs again after its expiry, and completes once", async () => {
    const target = await crashTarget("migrated");
    const signals = tempDir("switchboard-signals-");
    const first = runScript(CRASH_WORKER, [target.target, signals, "hang", "send"]);
    cleanups.push(() => void first.process.kill("SIGKILL"));
    await waitFor(() => existsSync(path.join(signals, "started-0")), 40_000);
    await killHard(first);

    const second = runScript(CRASH_WORKER, [target.target, signals, "finish"]);
    cleanups.push(() => void second.process.kill("SIGKILL"));
    await waitFor(() => existsSync(path.join(signals, "done")), 40_000);
    const jobId = readFileSync(path.join(signals, "started-0"), "utf8");
    expect(readFileSync(path.join(signals, "started-1"), "utf8")).toBe(jobId);
    expect(readFileSync(path.join(signals, "done"), "utf8")).toBe("1");
    await new Promise((r) => setTimeout(r, 2000));
    expect(readdirSync(signals).sort()).toEqual(["done", "started-0", "started-1"]);
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);
});

describe.skipIf(!isPostgres)("two processes migrating the same PostgreSQL at once", () => {
  it("apply each migration exactly once between them", async () => {
    const db = await createEmptyDatabase();
    cleanups.push(() => db.close());
    const a = runScript(SLOW_MIGRATE, ["url", db.url]);
    const b = runScript(SLOW_MIGRATE, ["url", db.url]);
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    const results = [a, b].map((c) => JSON.parse(c.output().trim().split("\n").pop()!) as { applied: string[] });
    const applied = results.flatMap((r) => r.applied).sort();
    expect(applied).toEqual(slowMigrations.map((m) => m.name));
    expect(await queryUrl(db.url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`)).toEqual([{ n: 2 }]);
    expect(await queryUrl(db.url, `SELECT count(*)::int AS n FROM "Second"`)).toEqual([{ n: 2 }]);
  }, 60_000);
});
