// Builds the migrated template every test database is copied from, once per run.
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrationsMarker } from "../../src/db/data-dir-marker.js";
import { serveOverSocket } from "../../src/db/embedded.js";
import { readMigrations } from "../../src/db/migrate.js";
import { prepareSchema } from "../../src/db/prepare-schema.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a data directory tarball; PostgreSQL: name of a template database. */
    templateRef: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const version = templateVersion();
  const adminUrl = process.env.TEST_DATABASE_URL;
  project.provide("templateRef", adminUrl ? await serverTemplate(adminUrl, version) : await pgliteTemplate(version));
}

function templateVersion(): string {
  return migrationsMarker(readMigrations()).trim().replace(/[^0-9a-f]/g, "").slice(0, 16);
}

async function pgliteTemplate(version: string): Promise<string> {
  const dir = path.join(os.tmpdir(), "switchboard-test-templates");
  const file = path.join(dir, `pglite-${version}.tar`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create();
  const served = await serveOverSocket(db);
  try {
    await prepareSchema(served.url);
  } finally {
    await served.stop();
  }
  const tarball = await db.dumpDataDir("none");
  await db.close();
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
  renameSync(partial, file);
  return file;
}

async function serverTemplate(adminUrl: string, version: string): Promise<string> {
  const name = `switchboard_template_${version}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return name;
    const building = `${name}_building_${process.pid}`;
    await admin.query(`CREATE DATABASE "${building}"`);
    await prepareSchema(withDatabase(adminUrl, building));
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await admin.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
