// Bounces both ways: a delivery report about our mail marks the address; a refused sender gets one polite answer.
import type { Tx } from "../../db/outbox.js";
import { normalizeAddress } from "../../domain/mail-rules.js";
import type { InboundEmail } from "../../mail/inbound-email.js";
import { enqueueEmail } from "../../mail/outgoing.js";

/**
 * The address a delivery report is about: Final-Recipient (else Original-Recipient) of its message/delivery-status
 * part (the parser's `deliveryStatus`, else the raw message: a daemon's plain-text bounce). Null when it names none.
 */
export function bouncedAddress(source: string): string | null {
  const text = source;
  const m = /Final-Recipient:\s*rfc822;\s*<?([^\s<>;]+)>?/i.exec(text) ?? /Original-Recipient:\s*rfc822;\s*<?([^\s<>;]+)>?/i.exec(text);
  return normalizeAddress(m?.[1]) || null;
}

/** Why the report says delivery failed (Diagnostic-Code, else Status), short. */
export function bounceReason(source: string): string {
  const text = source;
  const m = /Diagnostic-Code:\s*([^\r\n]+)/i.exec(text) ?? /^Status:\s*([^\r\n]+)/im.exec(text);
  return (m?.[1] ?? "delivery failed").trim().slice(0, 300);
}

/** Where to look for the report's fields: the delivery-status part, else the first 256 KB of the raw message. */
export function reportText(deliveryStatus: string | undefined, raw: Buffer): string {
  return deliveryStatus && /Final-Recipient|Original-Recipient/i.test(deliveryStatus) ? deliveryStatus : raw.subarray(0, 256 * 1024).toString("latin1");
}

export async function markBounced(tx: Tx, address: string, reason: string, now: Date): Promise<void> {
  await tx.emailAddressStatus.upsert({
    where: { address },
    create: { address, bounceCount: 1, lastBounceAt: now, lastReason: reason },
    update: { bounceCount: { increment: 1 }, lastBounceAt: now, lastReason: reason },
  });
}

/** A person's normal mail from a bouncing address shows it works again. */
export async function clearBounces(tx: Tx, address: string): Promise<void> {
  if (address) await tx.emailAddressStatus.updateMany({ where: { address, bounceCount: { gt: 0 } }, data: { bounceCount: 0 } });
}

export async function isBouncing(tx: Tx, address: string): Promise<boolean> {
  const status = await tx.emailAddressStatus.findUnique({ where: { address }, select: { bounceCount: true } });
  return (status?.bounceCount ?? 0) > 0;
}

export interface Refusal {
  /** The team's alias (our From). */
  alias: string;
  teamName: string;
  /** What the sender is told, one or two sentences. */
  text: string;
  dedupeKey: string;
}

/**
 * One polite answer to a refused sender (RFC 3834 auto-replied, threaded on their message), never to a bouncing
 * address or one of our aliases. Returns whether it was queued.
 */
export async function sendRefusal(tx: Tx, email: InboundEmail, isOurs: (address: string) => boolean, refusal: Refusal): Promise<boolean> {
  const to = normalizeAddress(email.replyTo?.address) || email.from.address;
  if (!to || isOurs(to) || (await isBouncing(tx, to))) return false;
  await enqueueEmail(tx, {
    to,
    subject: `Re: ${email.subject.replace(/[\r\n]+/g, " ").trim() || "(no subject)"}`,
    text: refusal.text,
    dedupeKey: refusal.dedupeKey,
    headers: {
      from: `${quoteName(refusal.teamName)} <${refusal.alias}>`,
      inReplyTo: email.messageId,
      references: [...email.references.filter((r) => r !== email.messageId), email.messageId].slice(-20),
      autoSubmitted: "auto-replied",
    },
  });
  return true;
}

function quoteName(name: string): string {
  const clean = name.replace(/[\r\n"\\]/g, " ").trim().slice(0, 80) || "Switchboard";
  return /^[\p{L}\p{N} ]+$/u.test(clean) ? clean : `"${clean}"`;
}
