// `npm start`: runs Switchboard until Ctrl-C or SIGTERM.
import { startSwitchboard } from "./app.js";
import { ConfigError, loadConfig, loadDotEnv } from "./config.js";
import { DataDirInUseError } from "./db/data-dir-lock.js";
import { MigrationError } from "./db/migrate.js";
import { createLogger } from "./log.js";
import { startupReport } from "./startup-report.js";

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const logger = createLogger(config.log);

let app;
try {
  app = await startSwitchboard(config, logger);
} catch (error) {
  if (error instanceof DataDirInUseError || error instanceof MigrationError) {
    logger.fatal(error.message);
    process.exit(1);
  }
  logger.fatal({ err: error }, "Switchboard could not start");
  process.exit(1);
}
const running = app;
for (const line of startupReport(config, { url: running.http.url, database: running.database.description, migrationsApplied: running.database.migrations.applied.length })) {
  logger.info(line);
}
for (const line of [...Object.values(running.surfaces).flatMap((s) => s.report), ...(running.mail?.report ?? [])]) {
  if (/WARNING|DISABLED/i.test(line)) logger.warn(line);
  else logger.info(line);
}
logger.info("ready");

let signals = 0;
const shutdown = (signal: NodeJS.Signals) => {
  signals += 1;
  if (signals > 1) {
    logger.warn(`${signal} again: exiting now`);
    process.exit(130);
  }
  logger.info(`${signal}: shutting down (running jobs get up to ${config.shutdownTimeoutMs / 1000} s; press Ctrl-C again to force)`);
  running.stop().then(
    () => {
      logger.info("stopped cleanly");
      process.exit(0);
    },
    (error) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    },
  );
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
