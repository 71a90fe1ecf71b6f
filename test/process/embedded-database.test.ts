import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { readMigrations } from "../../src/db/migrate.js";
import { runScript } from "../support/run-script.js";
import { silentLogger, testConfig } from "../support/test-config.js";

describe("the embedded database in DATA_DIR", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-data-"));
  const config = testConfig({ DATA_DIR: dataDir, DATABASE_URL: "" });
  let running: Switchboard | undefined;
  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is created and migrated on first start", async () => {
    running = await startSwitchboard(config, silentLogger);
    expect(running.database.kind).toBe("embedded");
    expect(running.database.migrations.applied).toEqual(readMigrations().map((m) => m.name));
    await running.db.team.create({ data: { name: "Support", kind: "support", emailAlias: "support@example.com" } });
    await running.stop();
    running = undefined;
  }, 60_000);

  it("keeps the data across a restart, and no migration runs twice", async () => {
    running = await startSwitchboard(config, silentLogger);
    expect(running.database.migrations).toEqual({ applied: [], alreadyApplied: readMigrations().length });
    expect(await running.db.team.findUnique({ where: { name: "Support" } })).toMatchObject({ emailAlias: "support@example.com" });
    const rows = await running.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "_prisma_migrations"`;
    expect(rows[0]!.n).toBe(readMigrations().length);
  }, 60_000);

  it("refuses a second process on the same DATA_DIR with a clear message, and leaves the first one working", async () => {
    const second = runScript("src/main.ts", [], { DATA_DIR: dataDir, PORT: "0", DATABASE_URL: "", LOG_FORMAT: "json" });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data directory .* is in use by another Switchboard process \(pid \d+\)/);
    expect(await running!.db.team.count()).toBe(1);
    const ready = await fetch(`${running!.http.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 60_000);
});
