// Opens the database the configuration names (a server, or the embedded PGlite) and migrates it.
import type { Config } from "../config.js";
import { redactUrl, type Logger } from "../log.js";
import { openEmbedded } from "./embedded.js";
import { migrate, type MigrateResult } from "./migrate.js";

export interface OpenDatabase {
  url: string;
  kind: "embedded" | "server";
  /** Shown to people: never contains a password. */
  description: string;
  migrations: MigrateResult;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir" | "pgliteSharedBuffers">,
  logger: Logger,
): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const url = config.databaseUrl;
    const migrations = await migrate(url, { logger });
    return { url, kind: "server", description: `PostgreSQL at ${redactUrl(url)}`, migrations, close: async () => undefined };
  }
  const embedded = await openEmbedded({
    dataDir: config.dataDir,
    sharedBuffers: config.pgliteSharedBuffers,
    onPrepare: () => logger.info(`Preparing the embedded database in ${config.dataDir} (first start or upgrade: a few seconds)…`),
  });
  try {
    const migrations = mergeResults(embedded.prepared, await migrate(embedded.url, { logger }));
    return { url: embedded.url, kind: "embedded", description: `embedded PostgreSQL (PGlite) in ${config.dataDir}`, migrations, close: embedded.close };
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

function mergeResults(prepared: MigrateResult | undefined, now: MigrateResult): MigrateResult {
  if (!prepared) return now;
  return { applied: [...prepared.applied, ...now.applied], alreadyApplied: now.alreadyApplied - prepared.applied.length };
}
