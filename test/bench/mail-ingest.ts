// Inbound mail on embedded PGlite: messages per second from SMTP receipt (nodemailer → our listener) to a committed
// case, 50 KB bodies, 4 SMTP connections at once — side by side with bare mailparser on the same raw messages.
// No target (issue 7 asks for the figures and the ratio); it passes when every message is stored exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { createPrismaClient } from "../../src/db/client.js";
import { openEmbedded } from "../../src/db/embedded.js";
import type { Deps } from "../../src/handlers/deps.js";
import { createLogger } from "../../src/log.js";
import { startSmtpListener } from "../../src/mail/smtp-listener.js";
import type { Benchmark } from "./run.js";

const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 300);
const CONCURRENCY = 4;
const BODY_BYTES = 50 * 1024;
const WARMUP = 10;
const ALIAS = "support@bench.test";

export const benchmark: Benchmark = {
  name: "mail-ingest",
  async run() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "sb-bench-mail-"));
    const embedded = await openEmbedded({ dataDir });
    const db = createPrismaClient(embedded.url);
    const logger = createLogger({ level: "silent", format: "json" });
    // No job runner: the outbox rows (cards, acknowledgements) are committed with the case and wait; delivery is not measured.
    const deps: Deps = {
      db,
      now: () => new Date(),
      logger,
      settings: { allowedEmailDomains: [], publicUrl: "http://localhost" },
      jobs: { send: () => Promise.reject(new Error("no job runner in this benchmark")) },
    };
    const listener = await startSmtpListener(deps, { port: 0, host: "127.0.0.1", maxBytes: 26_214_400, logger });
    try {
      await db.team.create({ data: { name: "Support", kind: "support", emailAlias: ALIAS, slackChannelId: "CBENCH" } });
      const warmup = await composeAll("warm", WARMUP);
      const messages = await composeAll("m", MESSAGES);
      console.log(`  ${MESSAGES} messages of ${Math.round(messages[0]!.raw.length / 1024)} KB, ${CONCURRENCY} SMTP connections`);

      await sendAll(listener.port, warmup);
      const smtpStart = performance.now();
      const smtpLatencies = await sendAll(listener.port, messages);
      const smtpMs = performance.now() - smtpStart;

      const parseLatencies: number[] = [];
      const parseStart = performance.now();
      for (const m of messages) {
        const t = performance.now();
        await simpleParser(m.raw);
        parseLatencies.push(performance.now() - t);
      }
      const parseMs = performance.now() - parseStart;

      const ids = messages.map((m) => m.messageId);
      const stored = await db.emailMessage.findMany({ where: { messageId: { in: ids } }, select: { messageId: true, status: true, recordId: true } });
      const cases = await db.case.count({ where: { id: { in: stored.flatMap((s) => (s.recordId ? [s.recordId] : [])) } } });
      const storedOnce = new Set(stored.filter((s) => s.status === "created").map((s) => s.messageId)).size;
      const isExactlyOnce = stored.length === MESSAGES && storedOnce === MESSAGES && cases === MESSAGES;

      const smtp = { perSecond: round((MESSAGES / smtpMs) * 1000), ...percentiles(smtpLatencies) };
      const parse = { perSecond: round((MESSAGES / parseMs) * 1000), ...percentiles(parseLatencies) };
      const ratio = round(parse.perSecond / smtp.perSecond);
      console.log(`  SMTP → committed case: ${smtp.perSecond} msg/s (p50 ${smtp.p50} ms, p99 ${smtp.p99} ms per message, ${CONCURRENCY} at once)`);
      console.log(`  bare mailparser:       ${parse.perSecond} msg/s (p50 ${parse.p50} ms, p99 ${parse.p99} ms per message, one at a time)`);
      console.log(`  mailparser is ${ratio}x the gateway's rate; stored ${stored.length} rows, ${storedOnce} created, ${cases} cases for ${MESSAGES} messages`);
      return {
        metrics: [
          { name: "SMTP → committed case", value: `${smtp.perSecond} msg/s (p50 ${smtp.p50} ms, p99 ${smtp.p99} ms)` },
          { name: "bare mailparser", value: `${parse.perSecond} msg/s (p50 ${parse.p50} ms, p99 ${parse.p99} ms)` },
          { name: "mailparser / gateway", value: `${ratio}x` },
          { name: "stored exactly once", value: `${storedOnce}/${MESSAGES} (${cases} cases)`, target: `${MESSAGES}/${MESSAGES}`, met: isExactlyOnce },
        ],
        details: { messages: MESSAGES, concurrency: CONCURRENCY, rawBytes: messages[0]!.raw.length, smtp, parse, ratio, stored: stored.length, storedOnce, cases },
      };
    } finally {
      await listener.close();
      await db.$disconnect();
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

interface RawMessage {
  messageId: string;
  from: string;
  raw: Buffer;
}

/** Distinct senders: one sender writing 300 new threads would be throttled as a loop (20 per 2 hours). */
async function composeAll(prefix: string, n: number): Promise<RawMessage[]> {
  const paragraph = "The label printer in the warehouse stops after every third label and shows error 42. ";
  const text = (i: number) => `Message ${i}.\n${`${paragraph}\n`.repeat(Math.ceil(BODY_BYTES / (paragraph.length + 1)))}`.slice(0, BODY_BYTES);
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const messageId = `${prefix}-${i}-${Math.random().toString(36).slice(2, 10)}@customer.test`;
      const from = `customer${i}@${prefix}.customer.test`;
      const raw = await new MailComposer({ from: `Customer ${i} <${from}>`, to: ALIAS, subject: `Printer problem ${prefix} ${i}`, text: text(i), messageId: `<${messageId}>` })
        .compile()
        .build();
      return { messageId, from, raw };
    }),
  );
}

/** Sends every message over CONCURRENCY pooled connections; returns each message's time to the 250 reply. */
async function sendAll(port: number, messages: RawMessage[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      try {
        while (next < messages.length) {
          const m = messages[next++]!;
          const t = performance.now();
          const info = await transport.sendMail({ envelope: { from: m.from, to: [ALIAS] }, raw: m.raw });
          latencies.push(performance.now() - t);
          if (!/^250/.test(info.response)) throw new Error(`unexpected reply ${info.response}`);
        }
      } finally {
        transport.close();
      }
    }),
  );
  return latencies;
}

function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { p50: at(0.5), p99: at(0.99) };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
