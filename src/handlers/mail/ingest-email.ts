// CONTRACT STUB — replaced by the ingest implementation. The gateway's one entry point: a raw email in, one outcome out.
import type { Envelope } from "../../mail/inbound-email.js";
import type { RecordKind } from "../../domain/mail-rules.js";
import type { Deps } from "../deps.js";

export type IngestOutcome =
  /** A new case, claim or lead (and its acknowledgement, if the alias sends them). */
  | { kind: "created"; recordType: RecordKind; recordId: string; reference: string }
  /** A reply added to its record's timeline and chat thread. */
  | { kind: "threaded"; recordType: RecordKind; recordId: string; reference: string }
  /** This Message-ID was stored before: nothing done (a redelivery, a retried IMAP fetch after a crash). */
  | { kind: "duplicate"; messageId: string }
  /** Refused by the alias's contact policy or the loop throttle: stored, and the sender told politely (never a robot). */
  | { kind: "rejected"; reason: string }
  /** Automatic mail (auto-reply, bulk, daemon): stored, no record, no answer. */
  | { kind: "ignored"; reason: string }
  /** A delivery report: the bounced address is marked. */
  | { kind: "bounce"; address: string | null }
  /** No recipient is a known alias (or a reply token of ours). */
  | { kind: "unknown-recipient" };

/**
 * Parses and routes one message, committing everything it does (the stored email, the record or the reply, the
 * outbox rows) in one transaction. Throws only when that cannot be committed (the database is down, say): the
 * caller must then leave the message where it was (SMTP: 451; IMAP: not flagged), so it is retried, never lost.
 */
export async function ingestEmail(deps: Deps, raw: Buffer, envelope: Envelope): Promise<IngestOutcome> {
  void deps; void raw; void envelope;
  throw new Error("ingestEmail: not implemented yet");
}

/** Whether an SMTP RCPT TO address is ours: a team alias, with or without a +tag. */
export async function isKnownRecipient(deps: Pick<Deps, "db">, address: string): Promise<boolean> {
  void deps; void address;
  throw new Error("isKnownRecipient: not implemented yet");
}
