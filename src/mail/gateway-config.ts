// What the app needs to know of the mail gateway without loading it (smtp-server, mailparser and imapflow load lazily).
import type { Config } from "../config.js";

export interface MailGateway {
  /** Stops taking mail; ingestions in flight finish (and answer their sender) first. */
  stop(): Promise<void>;
  /** Lines for the start-up report. */
  report: string[];
  /** The SMTP listener's port, when it runs. */
  smtpPort?: number;
}

/** Whether anything inbound is configured (the gateway then runs, and acknowledgements need the email transport). */
export function isMailGatewayConfigured(mail: Config["mail"]): boolean {
  return Boolean(mail.smtpListenPort || mail.imapUrl);
}
