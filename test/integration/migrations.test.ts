import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, MigrationError, readMigrations } from "../../src/db/migrate.js";
import { catalog } from "../support/catalog.js";
import { createEmptyDatabase, type TestDatabase } from "../support/test-database.js";

const prismaDiff = path.resolve("../shared/tools/prisma-diff");

describe("the boot migrator", () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createEmptyDatabase();
  });
  afterAll(async () => fresh?.close());

  it("applies every migration to an empty database once, and nothing on a second run", async () => {
    const all = readMigrations();
    const first = await migrate(fresh.url);
    expect(first.applied).toEqual(all.map((m) => m.name));
    const second = await migrate(fresh.url);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
  });

  it("records migrations as Prisma Migrate does: same columns, sha256 checksum of the file, one step", async () => {
    const client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    try {
      const columns = await client.query(
        `SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      expect(columns.rows.map((c) => `${c.column_name} ${c.data_type}${c.character_maximum_length ? `(${c.character_maximum_length})` : ""} ${c.is_nullable}`)).toEqual([
        "id character varying(36) NO",
        "checksum character varying(64) NO",
        "finished_at timestamp with time zone YES",
        "migration_name character varying(255) NO",
        "logs text YES",
        "rolled_back_at timestamp with time zone YES",
        "started_at timestamp with time zone NO",
        "applied_steps_count integer NO",
      ]);
      const rows = await client.query(`SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
      for (const m of readMigrations()) {
        const row = rows.rows.find((r) => r.migration_name === m.name);
        expect(row).toMatchObject({ checksum: m.checksum, applied_steps_count: 1 });
        expect(row.finished_at).toBeInstanceOf(Date);
        const file = readFileSync(path.join("prisma/migrations", m.name, "migration.sql"));
        const { createHash } = await import("node:crypto");
        expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      }
    } finally {
      await client.end();
    }
  });

  it("refuses a database that has migrations this version does not know", async () => {
    const client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '29990101000000_from_the_future', now(), 1)`,
    );
    await client.end();
    await expect(migrate(fresh.url)).rejects.toThrowError(MigrationError);
    await expect(migrate(fresh.url)).rejects.toThrowError(/29990101000000_from_the_future/);
  });

  it("rolls back a failing migration completely and says which one failed", async () => {
    const db = await createEmptyDatabase();
    try {
      const migrations = [
        { name: "20260101000000_ok", sql: `CREATE TABLE "Good" (id int);`, checksum: "a" },
        { name: "20260102000000_broken", sql: `CREATE TABLE "Half" (id int); SELECT * FROM "NoSuchTable";`, checksum: "b" },
      ];
      await expect(migrate(db.url, { migrations })).rejects.toThrowError(/20260102000000_broken failed and was rolled back/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
      const names = (await client.query(`SELECT migration_name FROM "_prisma_migrations"`)).rows.map((r) => r.migration_name);
      await client.end();
      expect(tables.rows.map((r) => r.table_name)).toEqual(["Good", "_prisma_migrations"]);
      expect(names).toEqual(["20260101000000_ok"]);
    } finally {
      await db.close();
    }
  });
});

describe("the migrations", () => {
  it.skipIf(!existsSync(prismaDiff))(
    "produce exactly the schema that schema.prisma describes (tables, columns, types, nullability, defaults, indexes, constraints, enums)",
    async () => {
      const fromMigrations = await createEmptyDatabase();
      const fromSchema = await createEmptyDatabase();
      try {
        await migrate(fromMigrations.url);
        const expectedSql = execFileSync("bash", [prismaDiff, "--empty", "prisma/schema.prisma"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        const client = new pg.Client({ connectionString: fromSchema.url });
        await client.connect();
        await client.query(expectedSql);
        await client.end();
        const [actual, expected] = await Promise.all([catalog(fromMigrations.url), catalog(fromSchema.url)]);
        expect(actual.tables.length).toBeGreaterThan(5);
        const { checks, ...structure } = actual;
        const { checks: noChecks, ...expectedStructure } = expected;
        expect(structure).toEqual(expectedStructure);
        // The range checks Prisma cannot express are the only additions, written by hand in the migration.
        expect(noChecks).toEqual([]);
        expect(checks.map((c) => c.conname)).toEqual(["Lead_priority_range", "Lead_probability_range", "LeadStage_probability_range", "Meeting_ends_after_start", "MeetingAttendee_someone", "MeetingReminder_minutes_range"]);
      } finally {
        await fromMigrations.close();
        await fromSchema.close();
      }
    },
    300_000,
  );
});
