// Where a child process under test stores: a fresh migrated PostgreSQL database (PostgreSQL runs), or an embedded
// data directory the child opens and migrates (PGlite runs), read back once the child has let go of it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { createTestDatabase, isPostgres } from "./test-database.js";

export interface WorkerDatabase {
  /** A postgres:// URL or a data directory: what the child takes as its first argument. */
  target: string;
  query<T>(sql: string): Promise<T[]>;
}

/** A fresh temporary directory, removed after the test through `cleanups`. */
export function tempDir(cleanups: (() => Promise<void> | void)[], prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `cleanups` receives what to undo after the test (drop the database, remove the directory). */
export async function workerDatabase(cleanups: (() => Promise<void> | void)[], prefix = "switchboard-worker-"): Promise<WorkerDatabase> {
  if (isPostgres) {
    const db = await createTestDatabase();
    cleanups.push(() => db.close());
    return {
      target: db.url,
      async query<T>(sql: string) {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          return (await client.query(sql)).rows as T[];
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = tempDir(cleanups, prefix);
  return {
    target: dir,
    async query<T>(sql: string) {
      const db = await PGlite.create({ dataDir: path.join(dir, "pg") }); // only once no worker holds the directory
      try {
        return (await db.query<T>(sql)).rows;
      } finally {
        await db.close();
      }
    },
  };
}
