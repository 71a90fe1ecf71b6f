// The inbound mail gateway: the SMTP listener (SMTP_LISTEN_PORT) and the IMAP fetcher (IMAP_URL), started and stopped together.
import type { Config } from "../config.js";
import type { Deps } from "../handlers/deps.js";
import type { Logger } from "../log.js";
import type { MailGateway } from "./gateway-config.js";

export type { MailGateway };

export async function startMailGateway(deps: Deps, mail: Config["mail"], logger: Logger): Promise<MailGateway> {
  const stops: (() => Promise<void>)[] = [];
  const report: string[] = [];
  let smtpPort: number | undefined;
  try {
    if (mail.smtpListenPort) {
      const { startSmtpListener } = await import("./smtp-listener.js");
      const listener = await startSmtpListener(deps, { port: mail.smtpListenPort, host: mail.smtpListenHost, maxBytes: mail.maxBytes, logger });
      stops.push(() => listener.close());
      smtpPort = listener.port;
      report.push(
        `Inbound mail: SMTP listener on ${mail.smtpListenHost}:${listener.port} for team aliases, messages up to ${megabytes(mail.maxBytes)} MB; no TLS and no AUTH — relay to it from your MTA (docs/email-gateway.md).`,
      );
    }
    if (mail.imapUrl) {
      const { startImapFetcher } = await import("./imap-fetcher.js");
      const fetcher = await startImapFetcher(deps, { url: mail.imapUrl, logger, mailbox: mail.imapMailbox, pollSeconds: mail.imapPollSeconds, maxBytes: mail.maxBytes });
      stops.push(() => fetcher.stop());
      const url = new URL(mail.imapUrl);
      const mailbox = mail.imapMailbox ?? (decodeURIComponent(url.pathname.replace(/^\/+/, "")) || "INBOX");
      report.push(`Inbound mail: IMAP mailbox ${mailbox} on ${url.host} (IDLE, or a poll every ${mail.imapPollSeconds} s without it).`);
    }
  } catch (error) {
    await Promise.allSettled(stops.map((stop) => stop()));
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    report,
    smtpPort,
    stop: () =>
      (stopping ??= (async () => {
        for (const result of await Promise.allSettled(stops.map((stop) => stop()))) {
          if (result.status === "rejected") logger.error({ err: result.reason }, "mail gateway: a part did not stop cleanly");
        }
      })()),
  };
}

function megabytes(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(bytes % 2 ** 20 === 0 ? 0 : 1);
}
