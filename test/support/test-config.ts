// Builds a Config the way the app does (from an environment), for tests.
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/log.js";

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env });
}

export const silentLogger: Logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent", format: "json" });
