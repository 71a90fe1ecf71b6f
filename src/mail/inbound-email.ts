// What the gateway knows of a received email once parsed (src/mail/parse-email.ts), and how it reached us.
import type { HeaderMap } from "../domain/mail-rules.js";

export interface InboundAddress {
  /** Lower-cased; "" when the header held no usable address. */
  address: string;
  name?: string;
}

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  size: number;
  content: Buffer;
}

export interface InboundEmail {
  /** Cleaned Message-ID; a mail without one gets a synthetic id from the digest of its bytes (mail-rules syntheticMessageId). */
  messageId: string;
  from: InboundAddress;
  /** Reply-To's first address, when present (answers go there). */
  replyTo?: InboundAddress;
  to: InboundAddress[];
  cc: InboundAddress[];
  /** As written (not cleaned of "Re:"). */
  subject: string;
  /** Plain text: the text part, or the HTML part turned into text; capped. */
  text: string;
  inReplyTo?: string;
  /** References then In-Reply-To, cleaned, newest last (mail-rules threadIds). */
  references: string[];
  /** Lower-cased header names → raw values (for the automatic-mail and bounce checks). */
  headers: HeaderMap;
  /** The top-level Content-Type, e.g. "multipart/report" for a delivery report. */
  contentType?: string;
  /** Kept attachments (each and all together size-capped); those left out are named in `droppedAttachments`. */
  attachments: InboundAttachment[];
  droppedAttachments: string[];
  /** A text/calendar part's content (an iTIP REPLY, say), if any. */
  calendar?: string;
  /** A message/delivery-status part's text (RFC 3464: Final-Recipient, Action, Status), if any. */
  deliveryStatus?: string;
  /** Size of the raw message in bytes. */
  size: number;
  date?: Date;
  /** Why mailparser could not read it, when the hand-written fallback parsed it instead. */
  parseProblem?: string;
}

/** How the message reached us: the SMTP envelope (listener) or the delivery headers (IMAP). */
export interface Envelope {
  /** RCPT TO addresses (SMTP), or the To/Cc/Delivered-To addresses (IMAP) — lower-cased. */
  recipients: string[];
  /** MAIL FROM (SMTP); "" for a null sender (bounces). */
  mailFrom?: string;
  /** "smtp" or "imap", for logs and the stored record. */
  via: "smtp" | "imap";
}
