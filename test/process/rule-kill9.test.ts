// kill -9 of the worker at the moment a time rule fires: the firing's transaction is lost whole, the job runs again
// after its expiry, and the rule acts once (one firing, one channel post, one DM).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killHard, runScript } from "../support/run-script.js";
import { waitFor } from "../support/wait-for.js";
import { tempDir as tempDirFor, workerDatabase } from "../support/worker-database.js";

const WORKER = "test/support/scripts/rule-moment-worker.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tempDir = (prefix: string) => tempDirFor(cleanups, prefix);

describe("a time rule's worker killed with -9 while the rule fires", () => {
  it("fires once after the restart: one firing, one channel post, one DM", async () => {
    const target = await workerDatabase(cleanups, "switchboard-rule-kill9-");
    const signals = tempDir("switchboard-rule-signals-");
    const first = runScript(WORKER, [target.target, signals, "hang"]);
    cleanups.push(() => void first.process.kill("SIGKILL"));
    await waitFor(() => existsSync(path.join(signals, "started-0")), 40_000);
    await new Promise((r) => setTimeout(r, 1000)); // inside the firing's transaction, asleep in the insert's trigger
    await killHard(first);
    expect(first.output()).not.toMatch(/outcome/);

    const second = runScript(WORKER, [target.target, signals, "finish"]);
    cleanups.push(() => void second.process.kill("SIGKILL"));
    await second.waitForOutput("outcome fired", 40_000);
    await new Promise((r) => setTimeout(r, 2500)); // a duplicate run would land now
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output().match(/outcome fired/g)).toHaveLength(1);

    const [counts] = await target.query<{ firings: number; posts: number; dms: number }>(
      `SELECT (SELECT count(*)::int FROM "RuleFiring") AS firings,
              (SELECT count(*)::int FROM "Outbox" WHERE target = 'C_SUPPORT' AND "dedupeKey" LIKE 'rule:%') AS posts,
              (SELECT count(*)::int FROM "Outbox" WHERE target = 'U1' AND "dedupeKey" LIKE 'rule:%') AS dms`,
    );
    expect(counts).toEqual({ firings: 1, posts: 1, dms: 1 });
  }, 120_000);
});
