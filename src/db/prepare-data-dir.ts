// Child-process entry: creates (initdb) and migrates an embedded data directory, then exits.
// initdb and DDL grow PGlite's WebAssembly memory (to ~800 MB for initdb), which a process
// never gives back, so the server does this work in a short-lived child
// (DESIGN.md, "Measured on these machines"). The parent holds the data directory's lock.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { serveOverSocket } from "./embedded.js";
import { readMigrations } from "./migrate.js";
import { prepareSchema } from "./prepare-schema.js";
import { migrationsMarker, markerFile } from "./data-dir-marker.js";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: prepare-data-dir <DATA_DIR>");
  process.exit(2);
}
const pgdata = path.join(dataDir, "pg");
const isNew = !existsSync(path.join(pgdata, "PG_VERSION"));
// A new directory is made beside the real one and renamed only when complete,
// so a crash here never leaves a half-initialised database behind.
const workDir = isNew ? `${pgdata}.new` : pgdata;
if (isNew) rmSync(workDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const migrations = readMigrations();
const db = await PGlite.create({ dataDir: workDir });
const served = await serveOverSocket(db);
let result;
try {
  result = await prepareSchema(served.url, { migrations });
} finally {
  await served.stop();
  await db.close();
}
// Open once more after the DDL so PostgreSQL rebuilds its relation cache file here, not in the server.
const reopened = await PGlite.create({ dataDir: workDir });
await reopened.query("SELECT count(*) FROM pg_class");
await reopened.close();
if (isNew) renameSync(workDir, pgdata);
writeFileSync(markerFile(dataDir), migrationsMarker(migrations));
// The parent reads this last line to report what was applied.
process.stdout.write(`${JSON.stringify(result)}\n`);
