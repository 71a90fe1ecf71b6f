// The outbox's email transport: SMTP through nodemailer when SMTP_URL is set, else an .eml file under DATA_DIR/outbox.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { z } from "zod";
import { DeliveryError, type OutgoingMessage, type Transport } from "../jobs/transport.js";
import type { Logger } from "../log.js";

export interface EmailTransportOptions {
  /** smtp://user:pass@host:587 or smtps://…; none: write .eml files instead. */
  smtpUrl?: string;
  /** The From header, e.g. "Switchboard <crm@example.com>". */
  from: string;
  /** .eml files go to <dataDir>/outbox. */
  dataDir: string;
  logger: Logger;
}

// The stored payload (src/mail/outgoing.ts), checked again here: rows outlive code versions.
const payloadSchema = z.object({
  subject: z.string(),
  text: z.string(),
  ics: z.object({ method: z.string().regex(/^[A-Z-]+$/), content: z.string().min(1) }).optional(),
  headers: z
    .object({
      from: z.string().max(300).optional(),
      replyTo: z.string().max(300).optional(),
      cc: z.array(z.string().max(300)).max(50).optional(),
      messageId: z.string().max(500).optional(),
      inReplyTo: z.string().max(500).optional(),
      references: z.array(z.string().max(500)).max(50).optional(),
      autoSubmitted: z.enum(["auto-replied", "auto-generated"]).optional(),
    })
    .optional(),
});
const address = z.string().email();

export function createEmailTransport(opts: EmailTransportOptions): Transport {
  const log = opts.logger.child({ component: "email" });
  // nodemailer is loaded on the first email, not at start (it costs about 90 ms of start-up on these machines).
  let transports: Promise<{ smtp?: Transporter; files: Transporter }> | undefined;
  const load = () =>
    (transports ??= import("nodemailer").then(({ default: nodemailer }) => ({
      // No pool: one connection per message keeps a failed one from poisoning the next, and volume is small.
      smtp: opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl, { disableFileAccess: true, disableUrlAccess: true }) : undefined,
      files: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "\r\n" }),
    })));
  return {
    async deliver(message: OutgoingMessage) {
      const mail = toMail(message, opts.from);
      const { smtp, files } = await load();
      if (smtp) {
        try {
          const info = await smtp.sendMail(mail);
          return { messageRef: info.messageId };
        } catch (error) {
          throw smtpDeliveryError(error);
        }
      }
      const info = await files.sendMail(mail);
      const file = path.join(opts.dataDir, "outbox", `${new Date().toISOString().slice(0, 10)}-${message.id}.eml`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, info.message as Buffer);
      // The path only: bodies and addresses stay out of info logs.
      log.info({ outboxId: message.id, file }, "email written to a file (SMTP_URL is not set)");
      return { messageRef: info.messageId };
    },
  };
}

/** The nodemailer message of an outbox row; a payload or address no retry can fix is a permanent failure. */
export function toMail(message: OutgoingMessage, from: string): Mail.Options {
  const payload = payloadSchema.safeParse(message.view);
  if (!payload.success) throw new DeliveryError("the stored email is malformed (subject and text are required)", { isPermanent: true });
  if (!address.safeParse(message.target).success) throw new DeliveryError(`"${message.target.slice(0, 80)}" is not a valid email address`, { isPermanent: true });
  const { subject, text, ics, headers: h = {} } = payload.data;
  const angle = (id: string) => `<${id.replace(/^<|>$/g, "")}>`;
  return {
    from: h.from ?? from,
    to: message.target,
    ...(h.replyTo ? { replyTo: h.replyTo } : {}),
    ...(h.cc?.length ? { cc: h.cc } : {}),
    ...(h.messageId ? { messageId: angle(h.messageId) } : {}),
    ...(h.inReplyTo ? { inReplyTo: angle(h.inReplyTo) } : {}),
    ...(h.references?.length ? { references: h.references.map(angle) } : {}),
    ...(h.autoSubmitted ? { headers: { "Auto-Submitted": h.autoSubmitted } } : {}),
    subject,
    text,
    // nodemailer sends it twice: a text/calendar; method=… alternative (Outlook and Gmail show Accept/Decline from
    // it) and an application/ics attachment named invite.ics for clients that only offer attachments.
    ...(ics ? { icalEvent: { method: ics.method, filename: "invite.ics", content: ics.content } } : {}),
  };
}

/**
 * SMTP replies: 5xx is permanent (unknown mailbox, rejected message), dead-lettered at once;
 * 4xx (mailbox busy, greylisting) and connection failures are retried with the outbox's backoff.
 */
export function smtpDeliveryError(error: unknown): DeliveryError {
  const e = error as { message?: string; responseCode?: number; code?: string };
  const reply = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const text = `SMTP: ${e.message ?? String(error)}`.slice(0, 500);
  return new DeliveryError(text, { isPermanent: reply !== undefined && reply >= 500 && reply < 600 });
}
