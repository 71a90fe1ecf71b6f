// The embedded PostgreSQL: PGlite served to the ordinary `pg` driver over a private unix socket.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock.js";

export interface EmbeddedDatabase {
  /** A `pg` connection string to the private socket. */
  url: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory for the data; absent means in memory (tests). */
  dataDir?: string;
  /** A data directory tarball (PGlite dumpDataDir) to start from instead of initdb. */
  template?: Blob;
  sharedBuffers?: string;
  /** Connections the socket accepts at once; PGlite queues their queries. */
  maxConnections?: number;
}

export async function openEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const lock = opts.dataDir ? prepareDataDir(opts.dataDir) : undefined;
  try {
    const pgdata = opts.dataDir ? path.join(opts.dataDir, "pg") : undefined;
    if (pgdata && !existsSync(path.join(pgdata, "PG_VERSION"))) await initInChild(pgdata);
    const db = await PGlite.create({
      ...(pgdata ? { dataDir: pgdata } : {}),
      ...(opts.template ? { loadDataDir: opts.template } : {}),
      postgresqlconf: `shared_buffers=${opts.sharedBuffers ?? "16MB"}`,
    });
    const socketDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-pg-")); // mode 0700: private
    const server = new PGLiteSocketServer({ db, path: path.join(socketDir, ".s.PGSQL.5432"), maxConnections: opts.maxConnections ?? 30 });
    await server.start();
    return {
      url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`,
      async close() {
        await server.stop();
        await db.close();
        rmSync(socketDir, { recursive: true, force: true });
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function prepareDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  return lockDataDir(dataDir);
}

async function initInChild(pgdata: string): Promise<void> {
  const tmp = `${pgdata}.init-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const here = fileURLToPath(import.meta.url);
  const isSource = here.endsWith(".ts");
  const entry = path.join(path.dirname(here), isSource ? "init-data-dir.ts" : "init-data-dir.js");
  const args = isSource ? ["--import", "tsx", entry, tmp] : [entry, tmp];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`Initialising the embedded database in ${pgdata} failed (exit code ${code})`);
  // Renamed only when complete, so a crash during initdb never leaves a half-made data directory.
  renameSync(tmp, pgdata);
}
