// The inbound SMTP listener (smtp-server): an MTA relays customer mail to us; we answer 250 only once it is committed.
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { Deps } from "../handlers/deps.js";
import { ingestEmail, isKnownRecipient, type IngestOutcome } from "../handlers/mail/ingest-email.js";
import type { Logger } from "../log.js";
import type { Envelope } from "./inbound-email.js";

export interface SmtpListenerOptions {
  port: number;
  host: string;
  /** Largest message accepted, in bytes: advertised with SIZE, enforced at the end of DATA (552). */
  maxBytes: number;
  logger: Logger;
  /** Simultaneous SMTP connections; more are refused with 421 and the MTA retries. */
  maxClients?: number;
}

export interface SmtpListener {
  port: number;
  /** Stops accepting connections and waits for ingestions in flight (they answer their sender first). */
  close(): Promise<void>;
}

/** What the listener asks of the gateway (tests of the SMTP replies pass their own). */
export interface MailIntake {
  isKnownRecipient(address: string): Promise<boolean>;
  ingest(raw: Buffer, envelope: Envelope): Promise<IngestOutcome>;
}

const DEFAULT_MAX_CLIENTS = 50;

/** An SMTP reply: smtp-server sends `responseCode` and the message as the reply line. */
function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export function startSmtpListener(deps: Deps, opts: SmtpListenerOptions): Promise<SmtpListener> {
  return listenForMail(
    { isKnownRecipient: (address) => isKnownRecipient(deps, address), ingest: (raw, envelope) => ingestEmail(deps, raw, envelope) },
    opts,
  );
}

/** The listener around any intake: the SMTP replies (250, 550, 552, 451) are decided here. */
export async function listenForMail(intake: MailIntake, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const log = opts.logger.child({ component: "smtp-listener" });
  const inFlight = new Set<Promise<unknown>>();
  const server = new SMTPServer({
    banner: "Switchboard",
    // An MTA relays to us: no AUTH. No STARTTLS either: no key or certificate is configured (docs/email-gateway.md).
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: opts.maxBytes,
    maxClients: opts.maxClients ?? DEFAULT_MAX_CLIENTS,
    // smtp-server's own log lines carry addresses; ours carry outcomes and sizes only.
    logger: false,
    closeTimeout: 5000,
    onRcptTo(address, _session, callback) {
      intake.isKnownRecipient(address.address.toLowerCase()).then(
        (isKnown) => callback(isKnown ? null : reply(550, "5.1.1 no such mailbox here")),
        (error: unknown) => {
          log.error({ err: error }, "could not check a recipient (answered 451)");
          callback(reply(451, "4.3.0 temporary failure, try again later"));
        },
      );
    },
    onData(stream, session, callback) {
      const done = receive(stream, session, opts.maxBytes, intake, log).then(
        () => callback(),
        (error: Error) => callback(error),
      );
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    },
  });
  server.on("error", (error) => log.error({ err: error }, "SMTP listener error"));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info({ port, host: opts.host, maxBytes: opts.maxBytes }, "SMTP listener started");
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.allSettled([...inFlight]);
        await closed;
      })()),
  };
}

/** One DATA: the bytes up to the limit, then the ingest; resolves to accept (250), rejects with the SMTP reply. */
async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, maxBytes: number, intake: MailIntake, log: Logger): Promise<void> {
  const raw = await collect(stream, maxBytes);
  if (stream.sizeExceeded || raw === undefined) {
    log.info({ size: stream.byteLength, maxBytes }, "email refused: over the size limit (552)");
    throw reply(552, "5.3.4 message exceeds fixed maximum message size");
  }
  const mailFrom = session.envelope.mailFrom;
  const envelope: Envelope = {
    recipients: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    mailFrom: mailFrom ? mailFrom.address : "",
    via: "smtp",
  };
  let outcome: IngestOutcome;
  try {
    outcome = await intake.ingest(raw, envelope);
  } catch (error) {
    // Not committed: a temporary failure makes the sending MTA keep the message and retry (mail is never lost).
    log.error({ err: error, size: raw.length }, "email not stored (answered 451; the sender retries)");
    throw reply(451, "4.3.0 temporary failure, try again later");
  }
  log.info({ outcome: outcome.kind, size: raw.length, ...outcomeFields(outcome) }, "email received by SMTP");
  if (outcome.kind === "unknown-recipient") throw reply(550, "5.1.1 no such mailbox here");
}

/** The message as one Buffer; undefined once it passes maxBytes (the rest is read and dropped, never held). */
async function collect(stream: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
    else chunks.length = 0;
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks, size);
}

/** Identifiers worth a log line at info: never addresses or bodies. */
function outcomeFields(outcome: IngestOutcome): Record<string, string> {
  switch (outcome.kind) {
    case "created":
    case "threaded":
      return { recordType: outcome.recordType, reference: outcome.reference };
    case "rejected":
    case "ignored":
      return { reason: outcome.reason };
    default:
      return {};
  }
}
