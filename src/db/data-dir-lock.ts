// One process per embedded data directory: PGlite is single-process, a second writer would corrupt it.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Switchboard process (pid ${pid}). ` +
        `The embedded database serves one process only: stop that process, use another DATA_DIR, ` +
        `or run several replicas on a PostgreSQL server with DATABASE_URL.`,
    );
    this.name = "DataDirInUseError";
  }
}

export interface DataDirLock {
  release(): void;
}

/** Takes the data directory's lock file, or throws DataDirInUseError if a live process holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = path.join(dataDir, "switchboard.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) throw new DataDirInUseError(dataDir, holder);
      rmSync(file, { force: true }); // left by a process that died (kill -9, power loss)
    }
  }
  throw new Error(`Could not lock ${dataDir}: the lock file keeps reappearing`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
