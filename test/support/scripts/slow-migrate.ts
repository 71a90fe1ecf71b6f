// Test child: applies two migrations, the second slow, to a URL or an embedded data directory.
// Usage: slow-migrate.ts url <postgres-url> | slow-migrate.ts dir <DATA_DIR>
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { serveOverSocket } from "../../../src/db/embedded.js";
import { migrate } from "../../../src/db/migrate.js";
import { slowMigrations } from "./slow-migrations.js";


const [mode, target] = process.argv.slice(2);
if (!target || (mode !== "url" && mode !== "dir")) throw new Error("usage: slow-migrate.ts url|dir <target>");
let url = target;
let close = async () => {};
if (mode === "dir") {
  mkdirSync(target, { recursive: true });
  const db = await PGlite.create({ dataDir: path.join(target, "pg") });
  const served = await serveOverSocket(db);
  url = served.url;
  close = async () => (await served.stop(), await db.close());
}
console.log("migrating");
const result = await migrate(url, { migrations: slowMigrations });
console.log(JSON.stringify(result));
await close();
