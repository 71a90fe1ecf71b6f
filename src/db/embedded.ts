// The embedded PostgreSQL: PGlite served to the ordinary `pg` driver over a private unix socket.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data-dir-lock.js";
import { isPrepared } from "./data-dir-marker.js";
import { readMigrations, type MigrateResult } from "./migrate.js";
import { SessionQueue } from "./session-queue.js";

export interface EmbeddedDatabase {
  /** A `pg` connection string to the private socket. */
  url: string;
  /** Migrations the preparation child applied on this start (first start or upgrade). */
  prepared?: MigrateResult;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory for the data; absent means in memory (tests). */
  dataDir?: string;
  /** A data directory tarball (PGlite dumpDataDir) to start from instead of initdb (tests). */
  template?: Blob;
  sharedBuffers?: string;
  /** Connections the socket accepts at once; PGlite queues their queries. */
  maxConnections?: number;
  /** Told when a new or outdated data directory is being prepared (takes a few seconds). */
  onPrepare?: () => void;
}

export async function openEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const lock = opts.dataDir ? (mkdirSync(opts.dataDir, { recursive: true }), lockDataDir(opts.dataDir)) : undefined;
  try {
    let prepared: MigrateResult | undefined;
    if (opts.dataDir && !isPrepared(opts.dataDir, readMigrations())) {
      opts.onPrepare?.();
      prepared = await prepareInChild(opts.dataDir);
    }
    const db = await PGlite.create({
      ...(opts.dataDir ? { dataDir: path.join(opts.dataDir, "pg") } : {}),
      ...(opts.template ? { loadDataDir: opts.template } : {}),
      postgresqlconf: `shared_buffers=${opts.sharedBuffers ?? "16MB"}`,
    });
    const served = await serveOverSocket(db, opts.maxConnections);
    return {
      url: served.url,
      prepared,
      async close() {
        await served.stop();
        await db.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** Serves a PGlite instance on a unix socket in a fresh private (0700) directory. */
export async function serveOverSocket(db: PGlite, maxConnections = 30): Promise<{ url: string; stop(): Promise<void> }> {
  const socketDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-pg-"));
  const queue = new SessionQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= maxConnections) {
      socket.destroy();
      return;
    }
    // The library's connection handler, with our session-affine queue instead of its own.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as unknown as PGLiteSocketHandlerOptions["queryQueue"], closeOnDetach: true });
    handlers.add(handler);
    socket.once("close", () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path.join(socketDir, ".s.PGSQL.5432"), () => resolve());
  });
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`,
    async stop() {
      await Promise.all([...handlers].map((h) => h.detach(true).catch(() => undefined)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

async function prepareInChild(dataDir: string): Promise<MigrateResult> {
  const here = fileURLToPath(import.meta.url);
  const isSource = here.endsWith(".ts");
  const entry = path.join(path.dirname(here), isSource ? "prepare-data-dir.ts" : "prepare-data-dir.js");
  const args = isSource ? ["--import", "tsx", entry, dataDir] : [entry, dataDir];
  let output = "";
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (code !== 0) throw new Error(`Preparing the embedded database in ${dataDir} failed (exit code ${code}); see the messages above.`);
  return JSON.parse(output.trim().split("\n").pop() ?? "{}") as MigrateResult;
}
