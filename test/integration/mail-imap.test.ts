import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEmail } from "../../src/handlers/mail/ingest-email.js";
import { recipientsOf, startImapFetcher, type ImapFetcher } from "../../src/mail/imap-fetcher.js";
import { startDovecot, type DovecotServer } from "../support/dovecot.js";
import { handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { createLogger } from "../../src/log.js";
import { silentLogger } from "../support/test-config.js";
import { waitFor } from "../support/wait-for.js";

const dovecot = await startDovecot();
if ("skip" in dovecot) console.warn(`mail-imap tests skipped: ${dovecot.skip}`);
const server = "skip" in dovecot ? undefined : dovecot;

let h: HandlerHarness;
let teamId: string;
let counter = 0;

/** A customer's message to the alias, with a unique Message-ID. */
function customerMail(over: { subject?: string; messageId?: string; to?: string } = {}): string {
  counter += 1;
  const id = over.messageId ?? `imap-${counter}-${Math.random().toString(36).slice(2)}@customer.test`;
  return [
    `From: Customer ${counter} <customer${counter}@customer.test>`,
    `To: Acme Support <${over.to ?? "support@acme.test"}>`,
    `Subject: ${over.subject ?? `Printer ${counter} is on fire`}`,
    `Message-ID: <${id}>`,
    "Date: Mon, 23 Nov 2026 10:00:00 +0000",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Hello, message number ${counter}.`,
    "",
  ].join("\r\n");
}

/** An info-level logger whose JSON lines are kept, to check what the fetcher says (and does not say). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  return { logger: createLogger({ level: "info", format: "json" }, sink), lines };
}

const caseCount = () => h.db.case.count({ where: { teamId } });

beforeAll(async () => {
  h = await handlerHarness(); // the start-up test below needs it even without Dovecot
  teamId = (await h.db.team.create({ data: { name: "Acme Support", kind: "support", emailAlias: "support@acme.test", emailAck: false } })).id;
});
afterAll(async () => {
  await h?.close();
  await server?.stop();
});

describe("recipientsOf", () => {
  it("reads To, Cc, Delivered-To and X-Original-To (folded, named, mixed case), lower-cased, each once", () => {
    const raw = Buffer.from(
      "Delivered-To: Support@Acme.test\r\nX-Original-To: sales@acme.test\r\nFrom: a@b.test\r\nTo: \"Acme, Support\" <support@acme.test>,\r\n\tOther <other@acme.test>\r\nCc: c@d.test\r\nReply-To: r@x.test\r\n\r\nTo: body@x.test\r\n",
    );
    expect(recipientsOf(raw).sort()).toEqual(["c@d.test", "other@acme.test", "sales@acme.test", "support@acme.test"]);
  });
});

describe.skipIf(!server)("IMAP fetcher against Dovecot", () => {
  let fetcher: ImapFetcher | undefined;

  it("ingests every unseen message into a case and flags each \\Seen, then picks up a new one through IDLE", async () => {
    const s = server!;
    for (let i = 0; i < 3; i += 1) await s.appendRaw(customerMail());
    expect((await s.messages()).map((m) => m.seen)).toEqual([false, false, false]);

    const log = capturingLogger();
    fetcher = await startImapFetcher(h.deps, { url: s.url, logger: log.logger, pollSeconds: 3600 });
    await waitFor(async () => (await caseCount()) === 3, 20_000);
    await waitFor(async () => (await s.messages()).every((m) => m.seen), 5000);
    expect(await h.db.emailMessage.count({ where: { direction: "inbound", teamId } })).toBe(3);

    // IDLE, not the poll (an hour): the server announces the new message and a pass runs.
    await s.appendRaw(customerMail({ subject: "Arrived while idling" }));
    await waitFor(async () => (await caseCount()) === 4, 10_000); // the poll would take an hour
    expect(await h.db.case.findFirst({ where: { teamId, subject: { contains: "Arrived while idling" } } })).not.toBeNull();
    await waitFor(async () => (await s.messages()).every((m) => m.seen), 5000);

    await fetcher.stop();
    fetcher = undefined;
    expect(await caseCount()).toBe(4);
    expect(log.lines.find((l) => l.msg === "IMAP mailbox open")).toMatchObject({ idle: true });
    expect(log.lines.filter((l) => l.msg === "IMAP pass done").map((l) => l.outcomes)).toContainEqual({ created: 3 });
    const infoText = JSON.stringify(log.lines.filter((l) => l.component === "imap-fetcher"));
    expect(infoText).not.toMatch(/customer\d*@|acme\.test|Hello, message/); // counts and kinds, never addresses or bodies
  }, 60_000);

  it("leaves a message whose ingest throws unseen, retries it, and flags it only after it is committed", async () => {
    const s = server!;
    let failuresLeft = 2;
    const attempts: string[] = [];
    const flakyIngest: typeof ingestEmail = async (deps, raw, envelope) => {
      attempts.push(envelope.recipients.join(","));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error("database unavailable");
      }
      return ingestEmail(deps, raw, envelope);
    };
    await s.appendRaw(customerMail({ subject: "Flaky database" }));
    const before = await caseCount();
    fetcher = await startImapFetcher(h.deps, { url: s.url, logger: silentLogger, pollSeconds: 3600, ingest: flakyIngest });

    await waitFor(() => attempts.length >= 1, 10_000);
    expect((await s.messages()).at(-1)!.seen).toBe(false); // failed: not flagged
    expect(await caseCount()).toBe(before);

    await waitFor(async () => (await caseCount()) === before + 1, 15_000); // retried with backoff (1 s, 2 s)
    expect(attempts).toEqual(["support@acme.test", "support@acme.test", "support@acme.test"]);
    await waitFor(async () => (await s.messages()).every((m) => m.seen), 5000);

    await fetcher.stop();
    fetcher = undefined;
  }, 60_000);

  it("flags a message over maxBytes \\Seen without ingesting it, and ingests a redelivered Message-ID once", async () => {
    const s = server!;
    const before = await caseCount();
    const big = customerMail({ subject: "Huge" }) + "x".repeat(20_000) + "\r\n";
    const again = customerMail({ subject: "Sent twice", messageId: "twice@customer.test" });
    await s.appendRaw(big);
    await s.appendRaw(again);
    await s.appendRaw(again);
    const outcomes: string[] = [];
    const recording: typeof ingestEmail = async (deps, raw, envelope) => {
      const outcome = await ingestEmail(deps, raw, envelope);
      outcomes.push(outcome.kind);
      return outcome;
    };
    fetcher = await startImapFetcher(h.deps, { url: s.url, logger: silentLogger, pollSeconds: 3600, maxBytes: 10_000, ingest: recording });
    await waitFor(async () => (await s.messages()).every((m) => m.seen), 15_000);
    expect(outcomes).toEqual(["created", "duplicate"]);
    expect(await caseCount()).toBe(before + 1);
    expect(await h.db.case.count({ where: { teamId, subject: { contains: "Huge" } } })).toBe(0);
    expect(await h.db.emailMessage.count({ where: { messageId: "twice@customer.test" } })).toBe(1);
    await fetcher.stop();
    fetcher = undefined;
  }, 60_000);

  it("stops cleanly: the message being ingested finishes and is flagged, the rest wait, nothing is fetched afterwards", async () => {
    const s = server!;
    const before = await caseCount();
    await s.appendRaw(customerMail({ subject: "Slow one" }));
    await s.appendRaw(customerMail({ subject: "Waits for the next start" }));
    let started!: () => void;
    const ingestStarted = new Promise<void>((resolve) => (started = resolve));
    const slowIngest: typeof ingestEmail = async (deps, raw, envelope) => {
      started();
      await new Promise((r) => setTimeout(r, 1000));
      return ingestEmail(deps, raw, envelope);
    };
    fetcher = await startImapFetcher(h.deps, { url: s.url, logger: silentLogger, pollSeconds: 3600, ingest: slowIngest });
    await ingestStarted;
    await fetcher.stop();
    fetcher = undefined;
    expect(await caseCount()).toBe(before + 1);
    expect((await s.messages()).slice(-2).map((m) => m.seen)).toEqual([true, false]);

    await s.appendRaw(customerMail({ subject: "After stop" }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await caseCount()).toBe(before + 1);
    expect((await s.messages()).slice(-3).map((m) => m.seen)).toEqual([true, false, false]);
  }, 30_000);

  it("keeps retrying a server it cannot log in to, and stop() ends the retries", async () => {
    const s = server!;
    const wrong = s.url.replace(`:${s.password}@`, ":wrong@");
    const log = capturingLogger();
    const failures = () => log.lines.filter((l) => l.msg === "IMAP connection failed").length;
    const f = await startImapFetcher(h.deps, { url: wrong, logger: log.logger });
    await waitFor(() => failures() >= 2, 20_000); // at once, then after 1 s (plus the server's delay on a failed login)
    expect(log.lines.filter((l) => l.msg === "IMAP connection failed").map((l) => l.retryInMs).slice(0, 2)).toEqual([1000, 2000]);
    await f.stop();
    const after = failures();
    await new Promise((r) => setTimeout(r, 2500));
    expect(failures()).toBe(after);
    expect(JSON.stringify(log.lines)).not.toContain(s.password);
  }, 30_000);
});

describe.skipIf(!server)("IMAP fetcher against a server without IDLE", () => {
  it("polls every pollSeconds and picks up a new message", async () => {
    const noIdle = await startDovecot({ idle: false });
    if ("skip" in noIdle) throw new Error(noIdle.skip);
    const log = capturingLogger();
    const fetcher = await startImapFetcher(h.deps, { url: noIdle.url, logger: log.logger, pollSeconds: 1 });
    try {
      const before = await caseCount();
      await new Promise((r) => setTimeout(r, 500)); // the first pass has run on the empty mailbox
      await noIdle.appendRaw(customerMail({ subject: "Polled" }));
      await waitFor(async () => (await caseCount()) === before + 1, 5000);
      await waitFor(async () => (await noIdle.messages()).every((m) => m.seen), 5000);
      expect(log.lines.find((l) => l.msg === "IMAP mailbox open")).toMatchObject({ idle: false, pollSeconds: 1 });
    } finally {
      await fetcher.stop();
      await noIdle.stop();
    }
  }, 30_000);
});

describe("IMAP fetcher start-up", () => {
  it("does not hold the app's start for a server that never greets: it returns within seconds and keeps trying", async () => {
    // A TCP server that accepts and stays silent, like a firewall that swallows the connection.
    const { createServer } = await import("node:net");
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    const fetcher = await startImapFetcher(h.deps, { url: `imap://u:p@127.0.0.1:${port}`, logger: silentLogger });
    const waited = Date.now() - started;
    try {
      expect(sockets.size).toBe(1); // it did try
      expect(waited).toBeGreaterThanOrEqual(4900);
      expect(waited).toBeLessThan(15_000); // imapflow alone would wait for its greeting timeout, then 90 s to connect
    } finally {
      await fetcher.stop();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  }, 30_000);
});
