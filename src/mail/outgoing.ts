// Outgoing email: an outbox row (channel "email") written in the caller's transaction; src/mail/transport.ts sends it.
import type { Prisma } from "../db/generated/client.js";
import type { Tx } from "../db/outbox.js";

export interface OutgoingEmail {
  /** One address; the row's outbox target. */
  to: string;
  subject: string;
  /** Plain-text body. */
  text: string;
  /** An iCalendar object (RFC 5545), sent as a text/calendar part with this METHOD and as invite.ics. */
  ics?: { method: string; content: string };
  /** Same key twice is stored once. */
  dedupeKey?: string;
  subjectKey?: string;
  /** Threading and identity headers (mail about a record: acknowledgements, replies from chat, bounces). */
  headers?: EmailHeaders;
}

export interface EmailHeaders {
  /** The From, e.g. "Support <support@acme.com>" (a team alias); default MAIL_FROM. */
  from?: string;
  /** Where answers go: the alias's plus-address for the record, so a reply threads back even without In-Reply-To. */
  replyTo?: string;
  cc?: string[];
  /** Our Message-ID (without angle brackets), also stored on the EmailMessage row so replies to it find the record. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** RFC 3834: "auto-replied" on acknowledgements and bounces, so other robots do not answer them. */
  autoSubmitted?: "auto-replied" | "auto-generated";
}

/**
 * The stored payload. It is also a valid (empty) message view — `text` and `blocks` — so the outbox worker and the
 * admin outbox list handle email rows like chat rows; the email transport reads `subject` and `ics` from it.
 */
export interface EmailPayload {
  subject: string;
  text: string;
  blocks: [];
  ics?: { method: string; content: string };
  headers?: EmailHeaders;
}

/** Longest subject kept: headers are folded at 78 characters, and a subject is not a body. */
export const MAX_SUBJECT_LENGTH = 200;
/** Longest body kept; a longer one is cut with a note (an email is a notice, not an archive). */
export const MAX_TEXT_LENGTH = 100_000;

export async function enqueueEmail(tx: Tx, email: OutgoingEmail): Promise<void> {
  const payload = emailPayload(email);
  const data = {
    channel: "email" as const,
    // A bad address is still stored: the transport dead-letters it with a reason an admin can read.
    target: email.to.trim(),
    scope: null,
    payload: payload as unknown as Prisma.InputJsonValue,
    dedupeKey: email.dedupeKey ?? null,
    subjectKey: email.subjectKey ?? null,
  };
  if (email.dedupeKey) {
    await tx.outbox.upsert({ where: { dedupeKey: email.dedupeKey }, create: data, update: {} });
  } else {
    await tx.outbox.create({ data });
  }
}

export function emailPayload(email: Pick<OutgoingEmail, "subject" | "text" | "ics" | "headers">): EmailPayload {
  // A line break in a header would let text become another header; nodemailer encodes, we flatten first anyway.
  const subject = email.subject.replace(/[\r\n]+/g, " ").trim().slice(0, MAX_SUBJECT_LENGTH) || "(no subject)";
  const text = email.text.length > MAX_TEXT_LENGTH ? `${email.text.slice(0, MAX_TEXT_LENGTH)}\n\n[…cut: the message was too long]` : email.text;
  return {
    subject,
    text,
    blocks: [],
    ...(email.ics ? { ics: { method: email.ics.method.toUpperCase(), content: email.ics.content } } : {}),
    ...(email.headers ? { headers: email.headers } : {}),
  };
}
