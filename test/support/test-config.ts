// Builds a Config the way the app does (from an environment), for tests.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger, type Logger } from "../../src/log.js";

/** One temporary DATA_DIR per test process: files the app writes (outgoing .eml email) never land in the repository. */
let tempDataDir: string | undefined;
const testDataDir = () => (tempDataDir ??= mkdtempSync(path.join(os.tmpdir(), "switchboard-test-")));

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", DATA_DIR: testDataDir(), ...env });
}

export const silentLogger: Logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent", format: "json" });
