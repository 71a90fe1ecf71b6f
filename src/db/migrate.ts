// The boot migrator: applies prisma/migrations in order, once, recorded exactly as Prisma does.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Logger } from "../log.js";

/** Prisma Migrate's own advisory lock key, so `prisma migrate deploy` and we exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

/** The table Prisma Migrate keeps, column for column. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const defaultMigrationsDir = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql`, in name order. */
export function readMigrations(dir = resolveMigrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function resolveMigrationsDir(): string {
  // Compiled code lives in dist/src/db; the migrations stay in prisma/ at the project root.
  if (existsSync(defaultMigrationsDir)) return defaultMigrationsDir;
  return fileURLToPath(new URL("../../../prisma/migrations/", import.meta.url));
}

/**
 * Applies pending migrations under Prisma's advisory lock, each in its own transaction
 * together with its `_prisma_migrations` row, so a crash leaves no half-applied migration.
 */
export async function migrate(url: string, opts: { logger?: Logger; migrations?: Migration[] } = {}): Promise<MigrateResult> {
  const migrations = opts.migrations ?? readMigrations();
  const client = new pg.Client({ connectionString: url, application_name: "switchboard-migrate" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      return await applyPending(client, migrations, opts.logger);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, migrations: Migration[], logger?: Logger): Promise<MigrateResult> {
  const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
  const failed = rows.filter((r) => !r.finished_at).map((r) => r.migration_name);
  if (failed.length > 0) {
    throw new MigrationError(`Migration ${failed.join(", ")} started but never finished (applied by another tool?). Resolve it with "prisma migrate resolve" before starting.`);
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...done.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(`The database has migrations this version does not know: ${unknown.join(", ")}. Is an older Switchboard running against a newer database?`);
  }
  const applied: string[] = [];
  for (const m of migrations) {
    const checksum = done.get(m.name);
    if (checksum !== undefined) {
      if (checksum !== m.checksum) logger?.warn({ migration: m.name }, "migration file changed after it was applied");
      continue;
    }
    await applyOne(client, m);
    logger?.info({ migration: m.name }, "migration applied");
    applied.push(m.name);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}

async function applyOne(client: pg.Client, m: Migration): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
      [id, m.checksum, m.name],
    );
    await client.query(m.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}
