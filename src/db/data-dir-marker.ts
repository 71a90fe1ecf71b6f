// A hint kept in DATA_DIR: which migrations the embedded database already has, so a start
// with nothing to migrate skips the preparation child. The migrator still checks for real.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Migration } from "./migrate.js";

export const markerFile = (dataDir: string) => path.join(dataDir, "migrations.applied");

export function migrationsMarker(migrations: Migration[]): string {
  const hash = createHash("sha256");
  hash.update(`pg-boss ${createRequire(import.meta.url)("pg-boss/package.json").version}\n`);
  for (const m of migrations) hash.update(`${m.name}:${m.checksum}\n`);
  return `${migrations.length}:${hash.digest("hex")}\n`;
}

export function isPrepared(dataDir: string, migrations: Migration[]): boolean {
  const file = markerFile(dataDir);
  return existsSync(path.join(dataDir, "pg", "PG_VERSION")) && existsSync(file) && readFileSync(file, "utf8") === migrationsMarker(migrations);
}
