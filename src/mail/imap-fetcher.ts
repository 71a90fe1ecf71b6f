// The IMAP fetcher: ingests every unseen message of one mailbox and flags it \Seen only once its record is committed.
//
// Several replicas may run a fetcher on the same mailbox, and two of them can see the same unseen message: both
// ingest it, and ingestEmail's Message-ID dedupe stores it once (the second gets "duplicate" and flags it too). So
// there is no locking here. The same dedupe covers a crash between the commit and the \Seen flag: the message is
// fetched again on the next start and answered "duplicate".
import { ImapFlow } from "imapflow";
import { normalizeAddress } from "../domain/mail-rules.js";
import { ingestEmail, type IngestOutcome } from "../handlers/mail/ingest-email.js";
import type { Deps } from "../handlers/deps.js";
import type { Logger } from "../log.js";
import type { Envelope } from "./inbound-email.js";

export interface ImapFetcherOptions {
  /** imap://user:pass@host:port/ or imaps://… (TLS); a path names the mailbox when `mailbox` is not given. */
  url: string;
  logger: Logger;
  mailbox?: string;
  /** Poll interval when the server has no IDLE. */
  pollSeconds?: number;
  /** Larger messages are not ingested: flagged \Seen and logged. */
  maxBytes?: number;
  /** Messages fetched per round trip. */
  batchSize?: number;
  /** The ingest step; tests pass a failing one. */
  ingest?: (deps: Deps, raw: Buffer, envelope: Envelope) => Promise<IngestOutcome>;
}

export interface ImapFetcher {
  stop(): Promise<void>;
}

/** Servers drop IDLE sessions silently after a while (RFC 2177 suggests re-issuing within 29 minutes). */
const MAX_IDLE_MS = 5 * 60_000;
const AUTO_IDLE_DELAY_MS = 2000;
const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 60_000;
const START_WAIT_MS = 5000;

export async function startImapFetcher(deps: Deps, opts: ImapFetcherOptions): Promise<ImapFetcher> {
  const url = new URL(opts.url);
  if (url.protocol !== "imap:" && url.protocol !== "imaps:") throw new Error(`IMAP_URL must start with imap:// or imaps:// (got ${url.protocol})`);
  const mailbox = opts.mailbox ?? (decodeURIComponent(url.pathname.replace(/^\/+/, "")) || "INBOX");
  const pollMs = (opts.pollSeconds ?? 60) * 1000;
  const maxBytes = opts.maxBytes ?? 25 * 1024 * 1024;
  const batchSize = opts.batchSize ?? 50;
  const ingest = opts.ingest ?? ingestEmail;
  const logger = opts.logger.child({ component: "imap-fetcher", mailbox });

  let stopped = false;
  let client: ImapFlow | undefined;
  let reconnectDelay = RECONNECT_MIN_MS;
  let retryDelay = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let passWanted = false;

  /** One pass at a time: a request during a pass runs one more pass after it. */
  function requestPass(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      passWanted = true;
      return running;
    }
    running = (async () => {
      do {
        passWanted = false;
        const current = client;
        if (!current?.usable) break;
        await runPass(current).catch((error: unknown) => logger.warn({ err: errorText(error) }, "IMAP pass interrupted; it runs again after reconnecting"));
      } while (passWanted && !stopped);
    })().finally(() => (running = undefined));
    return running;
  }

  async function runPass(imap: ImapFlow): Promise<void> {
    const lock = await imap.getMailboxLock(mailbox);
    const counts: Record<string, number> = {};
    let failed = 0;
    try {
      const found = await imap.search({ seen: false }, { uid: true });
      const uids = (found || []).sort((a, b) => a - b); // oldest first
      for (let i = 0; i < uids.length && !stopped; i += batchSize) {
        const batch = uids.slice(i, i + batchSize);
        const sizes = new Map((await imap.fetchAll(batch, { uid: true, size: true }, { uid: true })).map((m) => [m.uid, m.size ?? 0]));
        for (const uid of batch) {
          if (stopped) break;
          const outcome = await processMessage(imap, uid, sizes.get(uid));
          if (outcome === "failed") failed += 1;
          else counts[outcome] = (counts[outcome] ?? 0) + 1;
        }
      }
    } finally {
      lock.release();
    }
    if (failed > 0 || Object.keys(counts).length > 0) logger.info({ outcomes: counts, failed }, "IMAP pass done");
    scheduleRetry(failed > 0);
  }

  /** Ingests one message and flags it \Seen after the commit; "failed" leaves it unseen for the next pass. */
  async function processMessage(imap: ImapFlow, uid: number, size: number | undefined): Promise<string> {
    if (size === undefined) return "gone"; // expunged since the search
    if (size > maxBytes) {
      await imap.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      logger.warn({ uid, size, maxBytes }, "IMAP message over the size limit: flagged \\Seen, not ingested");
      return "too-large";
    }
    const message = await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!message || !message.source) return "gone";
    let outcome: IngestOutcome;
    try {
      outcome = await ingest(deps, message.source, { recipients: recipientsOf(message.source), via: "imap" });
    } catch (error) {
      logger.warn({ uid, err: errorText(error) }, "IMAP message not ingested: left unseen, retried on the next pass");
      return "failed";
    }
    await imap.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
    logger.debug({ uid, outcome: outcome.kind }, "IMAP message ingested");
    return outcome.kind;
  }

  /** After a failure, another pass with a growing delay (IDLE would not announce the old message again). */
  function scheduleRetry(hadFailures: boolean): void {
    clearTimeout(retryTimer);
    if (!hadFailures) {
      retryDelay = RECONNECT_MIN_MS;
      return;
    }
    if (stopped) return;
    retryTimer = setTimeout(() => void requestPass(), retryDelay);
    retryDelay = Math.min(retryDelay * 2, RECONNECT_MAX_MS);
  }

  async function connect(): Promise<void> {
    const imap = new ImapFlow({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === "imaps:" ? 993 : 143),
      secure: url.protocol === "imaps:",
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      logger: imapLogger(logger),
      maxIdleTime: MAX_IDLE_MS,
      // imapflow enters IDLE only after this much silence (15 s by default), and new mail is announced only in IDLE;
      // a pass's commands follow each other within an ingest's time, well under it.
      autoIdleDelay: AUTO_IDLE_DELAY_MS,
    });
    client = imap;
    imap.on("error", (error: Error) => logger.warn({ err: errorText(error) }, "IMAP connection error"));
    imap.on("close", () => {
      if (client === imap) onDisconnected();
    });
    imap.on("exists", () => void requestPass());
    try {
      await imap.connect();
      await imap.mailboxOpen(mailbox);
    } catch (error) {
      logger.warn({ err: errorText(error), retryInMs: reconnectDelay }, "IMAP connection failed");
      imap.close();
      onDisconnected();
      return;
    }
    if (stopped) return void (await imap.logout().catch(() => imap.close()));
    reconnectDelay = RECONNECT_MIN_MS;
    const hasIdle = imap.capabilities.has("IDLE");
    logger.info({ idle: hasIdle, pollSeconds: hasIdle ? undefined : pollMs / 1000 }, "IMAP mailbox open");
    clearInterval(pollTimer);
    if (!hasIdle) pollTimer = setInterval(() => void requestPass(), pollMs);
    void requestPass();
  }

  function onDisconnected(): void {
    clearInterval(pollTimer);
    if (stopped || reconnectTimer) return;
    client = undefined;
    const delay = reconnectDelay;
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
  }

  // Start-up waits for the first connection only briefly: an unreachable server (imapflow's connection timeout is
  // 90 s) must not hold the whole app; the fetcher keeps connecting in the background.
  let startWait: NodeJS.Timeout | undefined;
  await Promise.race([connect(), new Promise<void>((resolve) => (startWait = setTimeout(resolve, START_WAIT_MS)))]);
  clearTimeout(startWait);

  return {
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      clearTimeout(retryTimer);
      clearInterval(pollTimer);
      await running; // the pass ends after its current message
      const imap = client;
      client = undefined;
      if (imap?.usable) await imap.logout().catch(() => imap.close());
      else imap?.close();
      logger.info("IMAP fetcher stopped");
    },
  };
}

const RECIPIENT_HEADERS = new Set(["to", "cc", "delivered-to", "x-original-to"]);

/** The To, Cc, Delivered-To and X-Original-To addresses of a raw message's header, lower-cased, each once. */
export function recipientsOf(raw: Buffer): string[] {
  const text = raw.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const header = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const found = new Set<string>();
  for (const line of header.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || !RECIPIENT_HEADERS.has(line.slice(0, colon).trim().toLowerCase())) continue;
    for (const candidate of line.slice(colon + 1).match(/[^\s<>(),;:"']+@[^\s<>(),;:"']+/g) ?? []) {
      const address = normalizeAddress(candidate);
      if (address) found.add(address);
    }
  }
  return [...found];
}

/** imapflow's own log lines, kept out of info (they name the server's greeting and every command). */
function imapLogger(logger: Logger) {
  const child = logger.child({ component: "imapflow" });
  return {
    debug: (o: object) => child.trace(o),
    info: (o: object) => child.debug(o),
    warn: (o: object) => child.debug(o),
    error: (o: object) => child.warn(o),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
