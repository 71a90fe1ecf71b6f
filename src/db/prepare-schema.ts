// Everything a database needs before the server uses it: our migrations, then pg-boss's schema.
import PgBoss from "pg-boss";
import type { Logger } from "../log.js";
import { migrate, type MigrateResult, type Migration } from "./migrate.js";

export async function prepareSchema(url: string, opts: { logger?: Logger; migrations?: Migration[] } = {}): Promise<MigrateResult> {
  const result = await migrate(url, opts);
  // pg-boss creates or upgrades its schema on start, under its own advisory lock.
  const boss = new PgBoss({ connectionString: url, max: 1, schedule: false, supervise: false });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  return result;
}
