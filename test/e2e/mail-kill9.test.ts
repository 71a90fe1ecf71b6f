import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startDovecot } from "../support/dovecot.js";
import { killHard, runScript, type Child } from "../support/run-script.js";
import { waitFor } from "../support/wait-for.js";
import { workerDatabase as workerDatabaseFor } from "../support/worker-database.js";

const WORKER = "test/support/scripts/imap-fetch-worker.ts";
// Enough that the kill lands mid-batch with many left; more only lengthens CI (each ingest commits a case).
const MESSAGES = 100;

const dovecot = await startDovecot();
if ("skip" in dovecot) console.warn(`mail kill -9 test skipped: ${dovecot.skip}`);
const server = "skip" in dovecot ? undefined : dovecot;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const workerDatabase = () => workerDatabaseFor(cleanups, "switchboard-kill9-");

const ingestedCount = (child: Child) => (child.output().match(/^ingested /gm) ?? []).length;

function message(n: number): string {
  return [
    `From: Customer ${n} <customer${n}@customer.test>`,
    "To: Acme Support <support@acme.test>",
    `Subject: Crash test message ${n}`,
    `Message-ID: <kill9-${n}@customer.test>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Message ${n}.`,
    "",
  ].join("\r\n");
}

describe.skipIf(!server)("kill -9 while the IMAP fetcher ingests a batch", () => {
  afterAll(async () => {
    await server?.stop();
  });

  it(`stores every one of ${MESSAGES} messages exactly once after a restart, and flags them all \\Seen`, async () => {
    const s = server!;
    const database = await workerDatabase();
    for (let n = 1; n <= MESSAGES; n += 1) await s.appendRaw(message(n));

    const first = runScript(WORKER, [database.target, s.url]);
    cleanups.push(() => void first.process.kill("SIGKILL"));
    await waitFor(() => ingestedCount(first) >= 20 || first.process.exitCode !== null, 180_000, 5).catch(() => {});
    expect(ingestedCount(first), first.output()).toBeGreaterThanOrEqual(20);
    await killHard(first); // mid-batch: between two ingests, or inside one
    const beforeRestart = ingestedCount(first);
    expect(beforeRestart).toBeLessThan(MESSAGES);
    const seenAtKill = (await s.messages()).filter((m) => m.seen).length;
    expect(seenAtKill).toBeLessThan(MESSAGES);

    const second = runScript(WORKER, [database.target, s.url]);
    cleanups.push(() => void second.process.kill("SIGKILL"));
    await waitFor(async () => (await s.messages()).every((m) => m.seen), 240_000, 250);
    second.process.kill("SIGTERM");
    expect(await second.exited, second.output()).toBe(0);

    const [stored] = await database.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT "messageId")::int AS distinct FROM "EmailMessage" WHERE direction = 'inbound'`,
    );
    expect(stored).toEqual({ n: MESSAGES, distinct: MESSAGES });
    const [cases] = await database.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT subject)::int AS distinct FROM "Case"`);
    expect(cases).toEqual({ n: MESSAGES, distinct: MESSAGES });
    const messages = await s.messages();
    expect(messages).toHaveLength(MESSAGES);
    expect(messages.every((m) => m.seen)).toBe(true);
    // The restarted worker did the rest: at most one message (the one being ingested at the kill) came back as a duplicate.
    const duplicates = (second.output().match(/^ingested duplicate$/gm) ?? []).length;
    expect(duplicates).toBeLessThanOrEqual(1);
  }, 480_000); // a first start prepares the embedded data directory (initdb: slow on a loaded machine)
});
