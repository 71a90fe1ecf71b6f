// Child-process entry: runs initdb for a new embedded data directory, then exits.
// initdb peaks near 800 MB resident and a process keeps that memory, so the server
// never does it in-process (DESIGN.md, "Measured on these machines").
import { PGlite } from "@electric-sql/pglite";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: init-data-dir <pgdata directory>");
  process.exit(2);
}
const db = await PGlite.create({ dataDir: dir });
await db.close();
