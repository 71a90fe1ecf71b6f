// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { ConfigError, loadConfig, loadDotEnv } from "../config.js";
import { createLogger } from "../log.js";
import { DataDirInUseError } from "./data-dir-lock.js";
import { openDatabase } from "./database.js";
import { MigrationError } from "./migrate.js";

loadDotEnv();
try {
  const config = loadConfig();
  const logger = createLogger(config.log);
  const db = await openDatabase(config, logger);
  logger.info({ applied: db.migrations.applied.length, alreadyApplied: db.migrations.alreadyApplied }, `migrations up to date on ${db.description}`);
  await db.close();
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
