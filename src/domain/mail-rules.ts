// The mail gateway's rules, pure: what is automatic mail, what is a bounce, reply tokens, addresses, subjects, routing.
// References: ../shared/notes/odoo-and-peers.md §1.8 (Odoo's message_process and its loop failures) and RFC 3834.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Odoo's mail.gateway.loop.threshold / .minutes: more records than this from one sender in the window are refused. */
export const LOOP_THRESHOLD = 20;
export const LOOP_WINDOW_MINUTES = 120;
/** Odoo keeps the last 32 msg-ids of References when looking for the thread. */
export const MAX_REFERENCES = 32;

export type RecordKind = "case" | "claim" | "lead";
export type ContactPolicy = "everyone" | "partners" | "watchers";

/** Header names lower-cased, as mailparser gives them; a value is the raw header text. */
export type HeaderMap = ReadonlyMap<string, string>;

/**
 * Why a mail is automatic (never acknowledged, never creates a record), or null for a person's mail.
 * RFC 3834 Auto-Submitted other than "no"; Precedence bulk/list/junk/auto_reply; X-Autoreply / X-Autorespond;
 * X-Auto-Response-Suppress (Exchange sets it on its own automatic mail); mailer-daemon / postmaster senders.
 */
export function automaticMailReason(headers: HeaderMap, fromAddress: string): string | null {
  const autoSubmitted = headers.get("auto-submitted")?.trim().toLowerCase();
  // Only the keyword "no" (maybe with a comment) marks a person's mail; "notified-by-x" is not "no".
  if (autoSubmitted && autoSubmitted.split(/[\s;(]/)[0] !== "no") return `Auto-Submitted: ${autoSubmitted.slice(0, 40)}`;
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  if (precedence && ["bulk", "list", "junk", "auto_reply"].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers.has("x-autoreply") || headers.has("x-autorespond")) return "X-Autoreply";
  const suppress = headers.get("x-auto-response-suppress")?.trim();
  if (suppress) return `X-Auto-Response-Suppress: ${suppress.slice(0, 40)}`;
  const local = fromAddress.split("@")[0]?.toLowerCase() ?? "";
  if (local === "mailer-daemon" || local === "postmaster") return `sent by ${local}`;
  return null;
}

/** A delivery report (RFC 3464 multipart/report) or a mailer-daemon message: a bounce, maybe of our own mail. */
export function isDeliveryReport(contentType: string | undefined, fromAddress: string): boolean {
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("multipart/report")) return true;
  return fromAddress.split("@")[0]?.toLowerCase() === "mailer-daemon";
}

/** Lower-cased and trimmed; "" when it is not an address. */
export function normalizeAddress(address: string | undefined | null): string {
  const a = (address ?? "").trim().toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(a) ? a : "";
}

/** The address without its +tag: "support+c-42-abcd@acme.com" → "support@acme.com". */
export function withoutPlusTag(address: string): { base: string; tag: string | null } {
  const at = address.lastIndexOf("@");
  if (at <= 0) return { base: address, tag: null };
  const local = address.slice(0, at);
  const plus = local.indexOf("+");
  if (plus < 0) return { base: address, tag: null };
  return { base: `${local.slice(0, plus)}${address.slice(at)}`, tag: local.slice(plus + 1) || null };
}

/** A Message-ID without angle brackets and spaces; null when there is nothing usable. */
export function cleanMessageId(raw: string | undefined | null): string | null {
  const id = (raw ?? "").trim().replace(/^<+/, "").replace(/>+$/, "").trim();
  if (id === "" || id.length > 500 || /\s/.test(id)) return null;
  return id;
}

/** The msg-ids of References then In-Reply-To, newest last, at most MAX_REFERENCES, each cleaned. */
export function threadIds(references: string | string[] | undefined, inReplyTo: string | undefined): string[] {
  const list = (Array.isArray(references) ? references : [references ?? ""]).flatMap((r) => r.split(/[\s,]+|(?<=>)(?=<)/));
  const ids = [...list, ...(inReplyTo ? [inReplyTo] : [])].map(cleanMessageId).filter((id): id is string => id !== null);
  // A repeated id keeps its last place: In-Reply-To is the newest even when References also names it earlier.
  const lastPlace = new Map(ids.map((id, i) => [id, i]));
  return ids.filter((id, i) => lastPlace.get(id) === i).slice(-MAX_REFERENCES);
}

/** "Re: Fwd: AW: Printer broken" → "Printer broken"; empty → "(no subject)". */
export function cleanSubject(subject: string | undefined): string {
  // Whitespace runs become one space: a folded header ("\r\n ") would otherwise leave two.
  let s = (subject ?? "").replace(/\s+/g, " ").trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|vs|tr|rif|r)\s*(\[\d+\])?\s*:\s*/i, "").trim();
    if (next === s) break;
    s = next;
  }
  return s.slice(0, 200) || "(no subject)";
}

/** "CASE-0042", "CLM-0042", "LEAD-0042" in a subject, if any (a reply whose headers were stripped still finds its record). */
export function referenceInSubject(subject: string): { kind: RecordKind; number: number } | null {
  const m = /\b(CASE|CLM|LEAD|OPP)-(\d{1,9})\b/i.exec(subject);
  if (!m) return null;
  const prefix = m[1]!.toUpperCase();
  const kind: RecordKind = prefix === "CASE" ? "case" : prefix === "CLM" ? "claim" : "lead";
  return { kind, number: Number(m[2]) };
}

const TOKEN_KINDS: Record<RecordKind, string> = { case: "c", claim: "m", lead: "l" };

/**
 * The plus-address tag that routes a reply to its record even when a client drops In-Reply-To:
 * "<kind letter><number>-<8 hex of an HMAC>" — e.g. "c42-1a2b3c4d". The HMAC stops a stranger guessing tags to post into any record.
 */
export function replyToken(secret: string, kind: RecordKind, number: number): string {
  return `${TOKEN_KINDS[kind]}${number}-${tokenMac(secret, kind, number)}`;
}

export function readReplyToken(secret: string, tag: string | null): { kind: RecordKind; number: number } | null {
  const m = /^([cml])(\d{1,9})-([0-9a-f]{8})$/i.exec(tag ?? "");
  if (!m) return null;
  const kind = (Object.entries(TOKEN_KINDS).find(([, letter]) => letter === m[1]!.toLowerCase())?.[0] ?? "case") as RecordKind;
  const number = Number(m[2]);
  const expected = Buffer.from(tokenMac(secret, kind, number));
  const given = Buffer.from(m[3]!.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given) ? { kind, number } : null;
}

function tokenMac(secret: string, kind: RecordKind, number: number): string {
  return createHmac("sha256", secret).update(`${kind}:${number}`).digest("hex").slice(0, 8);
}

/** The plus-address of an alias for a record: "support@acme.com" + token → "support+c42-1a2b3c4d@acme.com". */
export function plusAddress(alias: string, tag: string): string {
  const at = alias.lastIndexOf("@");
  return at <= 0 ? alias : `${alias.slice(0, at)}+${tag}${alias.slice(at)}`;
}

/** What an alias creates when the team did not say: support and engineering a case, sales a lead, purchasing a claim. */
export function defaultRecordKind(teamKind: string): RecordKind {
  if (teamKind === "sales") return "lead";
  if (teamKind === "purchasing") return "claim";
  return "case";
}

/** Whether the alias's contact policy lets this sender write (Odoo's alias_contact). */
export function mayWrite(policy: ContactPolicy, sender: { isKnownPartner: boolean; isWatcher: boolean }): boolean {
  if (policy === "everyone") return true;
  if (policy === "partners") return sender.isKnownPartner || sender.isWatcher;
  return sender.isWatcher;
}

/** Odoo's _detect_loop_sender: the sender already created LOOP_THRESHOLD records in the window. */
export function isThrottled(recordsCreatedInWindow: number): boolean {
  return recordsCreatedInWindow >= LOOP_THRESHOLD;
}

export function loopWindowStart(now: Date): Date {
  return new Date(now.getTime() - LOOP_WINDOW_MINUTES * 60_000);
}

/** The Message-ID we give a mail that has none: stable for the same bytes, so a redelivery is still stored once. */
export function syntheticMessageId(sha256Hex: string): string {
  return `sha256-${sha256Hex}@switchboard.invalid`;
}

/** A Message-ID for mail we send: "<random>.<record>@<domain of the alias>". */
export function outgoingMessageId(random: string, record: string, fromAddress: string): string {
  const domain = fromAddress.split("@")[1] || "switchboard.invalid";
  return `${random}.${record}@${domain}`;
}
