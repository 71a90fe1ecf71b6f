// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { loadConfig, loadDotEnv } from "../config.js";
import { createLogger } from "../log.js";
import { openDatabase } from "./database.js";

loadDotEnv();
const config = loadConfig();
const logger = createLogger(config.log);
const db = await openDatabase(config, logger);
logger.info({ applied: db.migrations.applied.length, alreadyApplied: db.migrations.alreadyApplied }, `migrations up to date on ${db.description}`);
await db.close();
