// Raw RFC 5322 bytes → InboundEmail: mailparser's simpleParser, capped, never throwing on broken MIME.
import { createHash } from "node:crypto";
import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type ParsedMail } from "mailparser";
import { convert } from "html-to-text";
import { cleanMessageId, normalizeAddress, syntheticMessageId, threadIds } from "../domain/mail-rules.js";
import type { InboundAddress, InboundAttachment, InboundEmail } from "./inbound-email.js";

export interface ParseLimits {
  /** One attachment larger than this is dropped (named in droppedAttachments). */
  maxAttachmentBytes: number;
  /** Attachments are kept in order until their sum would pass this. */
  maxTotalAttachmentBytes: number;
  /** Plain text longer than this is cut, with a note at the end. */
  maxTextChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxAttachmentBytes: 10 * 1024 * 1024,
  maxTotalAttachmentBytes: 25 * 1024 * 1024,
  maxTextChars: 200_000,
};

/** HTML beyond this is not turned into text (html-to-text's time grows with the input; the text is capped anyway). */
const MAX_HTML_TO_CONVERT = 1_000_000;
/** A calendar or delivery-status part is small; anything bigger is not what we look for. */
const MAX_SIDE_PART_CHARS = 256 * 1024;

export async function parseEmail(raw: Buffer, limits: Partial<ParseLimits> = {}): Promise<InboundEmail> {
  const caps = { ...DEFAULT_PARSE_LIMITS, ...limits };
  try {
    const parsed = await simpleParser(raw, {
      skipHtmlToText: true, // converted here, with an input cap
      skipTextToHtml: true,
      keepCidLinks: true, // no data: URIs copied into the HTML
      keepDeliveryStatus: true, // as an attachment part, so it is not mixed into the text
    });
    return fromParsed(parsed, raw, caps);
  } catch (error) {
    // Still a message (a record or a logged rejection), read by hand; the reason travels with it to the ingest log.
    return { ...parseByHand(raw, caps), parseProblem: (error instanceof Error ? error.message : String(error)).slice(0, 200) };
  }
}

function fromParsed(parsed: ParsedMail, raw: Buffer, caps: ParseLimits): InboundEmail {
  const headers = headerMap(parsed.headerLines.map(({ line }) => line));
  const from = addresses(parsed.from, headers.get("from"))[0] ?? { address: "" };
  const replyTo = addresses(parsed.replyTo, headers.get("reply-to"))[0];
  const parts = splitAttachments(parsed.attachments, caps);
  const inReplyTo = cleanMessageId(parsed.inReplyTo) ?? undefined;
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined;
  const contentType = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || undefined;
  let text = bodyText(parsed);
  // A multipart without a usable boundary yields no part at all: keep the raw body rather than lose what was written.
  if (text.trim() === "" && contentType?.startsWith("multipart/") && parsed.attachments.length === 0) text = rawParts(raw).body;
  return {
    messageId: cleanMessageId(parsed.messageId) ?? digestId(raw),
    from,
    ...(replyTo ? { replyTo } : {}),
    to: addresses(parsed.to, headers.get("to")),
    cc: addresses(parsed.cc, headers.get("cc")),
    subject: subjectOf(parsed.subject, headers),
    text: capText(text, caps.maxTextChars),
    ...(inReplyTo ? { inReplyTo } : {}),
    references: threadIds(parsed.references, inReplyTo),
    headers,
    ...(contentType ? { contentType } : {}),
    attachments: parts.kept,
    droppedAttachments: parts.dropped,
    ...(parts.calendar !== undefined ? { calendar: parts.calendar } : {}),
    ...(parts.deliveryStatus !== undefined ? { deliveryStatus: parts.deliveryStatus } : {}),
    size: raw.length,
    ...(date ? { date } : {}),
  };
}

function digestId(raw: Buffer): string {
  return syntheticMessageId(createHash("sha256").update(raw).digest("hex"));
}

/**
 * Every address of the header(s), groups flattened, lower-cased; an entry without a usable address is skipped.
 * A name mailparser could not decode (raw 8-bit bytes) is read again from the raw header as Latin-1.
 */
function addresses(field: AddressObject | AddressObject[] | undefined, rawValue: string | undefined): InboundAddress[] {
  const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return flat(objects.flatMap((o) => o.value)).flatMap((a) => {
    const address = normalizeAddress(a.address);
    if (!address) return [];
    let name = withoutNul(a.name ?? "").trim();
    if (name?.includes("\uFFFD") && rawValue) {
      name = addressList(latin1Fallback(rawValue, rawValue)).find((r) => r.address === address)?.name ?? name;
    }
    return [name ? { address, name } : { address }];
  });
}

/**
 * Lower-cased names → unfolded raw values; the first occurrence wins (the topmost, added by the nearest server).
 * Taken from the raw lines, not mailparser's structured Map, so Content-Type or Auto-Submitted stay plain strings.
 */
function headerMap(lines: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!name || map.has(name)) continue;
    map.set(name, withoutNul(line.slice(colon + 1).replace(/\r?\n[ \t]*/g, " ")).trim());
  }
  return map;
}

/** mailparser's decoded Subject; raw 8-bit bytes it could not decode as UTF-8 are read as Latin-1 instead. */
function subjectOf(decoded: string | undefined, headers: Map<string, string>): string {
  const subject = withoutNul(decoded ?? headers.get("subject") ?? "");
  return subject.includes("\uFFFD") && headers.has("subject") ? latin1Fallback(headers.get("subject")!, subject) : subject;
}

function latin1Fallback(rawValue: string, decoded: string): string {
  // headerLines are binary strings (one char per byte): valid UTF-8 stays, otherwise each byte is Latin-1.
  const bytes = Buffer.from(rawValue, "latin1");
  const utf8 = bytes.toString("utf8");
  if (/=\?[^?]+\?[bq]\?/i.test(rawValue)) return decoded;
  return utf8.includes("\uFFFD") ? bytes.toString("latin1") : utf8;
}

function bodyText(parsed: ParsedMail): string {
  if (parsed.text && parsed.text.trim() !== "") return parsed.text;
  if (typeof parsed.html === "string" && parsed.html !== "") return htmlToText(parsed.html);
  return parsed.text ?? "";
}

function htmlToText(html: string): string {
  try {
    return convert(html.slice(0, MAX_HTML_TO_CONVERT), {
      wordwrap: false,
      selectors: [{ selector: "img", format: "skip" }],
    });
  } catch {
    return html.slice(0, MAX_HTML_TO_CONVERT).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  }
}

/** NUL removed (PostgreSQL text cannot hold it), then capped with a note. */
function capText(raw: string, max: number): string {
  const text = withoutNul(raw);
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n\n[… cut: the message's text was ${text.length.toLocaleString("en")} characters; the first ${max.toLocaleString("en")} are kept]`;
}

interface SplitParts {
  kept: InboundAttachment[];
  dropped: string[];
  calendar?: string;
  deliveryStatus?: string;
}

/**
 * Calendar and delivery-status parts become strings; the rest are kept in order while each fits maxAttachmentBytes
 * and all fit maxTotalAttachmentBytes. winmail.dat (TNEF) is kept as it came: we do not decode TNEF.
 */
function splitAttachments(parts: Attachment[], caps: ParseLimits): SplitParts {
  const out: SplitParts = { kept: [], dropped: [] };
  let total = 0;
  parts.forEach((part, index) => {
    const type = (part.contentType ?? "application/octet-stream").toLowerCase();
    const content: Buffer = Buffer.isBuffer(part.content) ? part.content : Buffer.alloc(0);
    if (type === "message/delivery-status" && out.deliveryStatus === undefined) {
      out.deliveryStatus = content.toString("utf8").replace(/\r\n/g, "\n").slice(0, MAX_SIDE_PART_CHARS);
      return;
    }
    if (type === "text/calendar" && out.calendar === undefined) {
      out.calendar = content.toString("utf8").slice(0, MAX_SIDE_PART_CHARS);
      if (!part.filename) return; // an inline iTIP part, not a file the sender attached
    }
    const fileName = part.filename?.trim() || `attachment-${index + 1}`;
    if (content.length > caps.maxAttachmentBytes || total + content.length > caps.maxTotalAttachmentBytes) {
      out.dropped.push(fileName);
      return;
    }
    total += content.length;
    out.kept.push({ fileName, contentType: type, size: content.length, content });
  });
  return out;
}

/** When even simpleParser fails: headers read by hand from the raw head, the body as text; no attachments. */
export function parseByHand(raw: Buffer, limits: Partial<ParseLimits> = {}): InboundEmail {
  const caps = { ...DEFAULT_PARSE_LIMITS, ...limits };
  const { head, body: text } = rawParts(raw);
  const headers = headerMap(head.split(/\r?\n(?![ \t])/));
  const inReplyTo = cleanMessageId(headers.get("in-reply-to")) ?? undefined;
  const contentType = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || undefined;
  const replyTo = firstAddress(headers.get("reply-to"));
  return {
    messageId: cleanMessageId(headers.get("message-id")) ?? digestId(raw),
    from: firstAddress(headers.get("from")) ?? { address: "" },
    ...(replyTo ? { replyTo } : {}),
    to: addressList(headers.get("to")),
    cc: addressList(headers.get("cc")),
    subject: headers.get("subject") ?? "",
    text: capText(text, caps.maxTextChars),
    ...(inReplyTo ? { inReplyTo } : {}),
    references: threadIds(headers.get("references"), inReplyTo),
    headers,
    ...(contentType ? { contentType } : {}),
    attachments: [],
    droppedAttachments: [],
    size: raw.length,
  };
}

function withoutNul(s: string): string {
  return s.includes("\0") ? s.replace(/\0/g, "") : s;
}

/** The raw head (Latin-1, one char per byte) and body (UTF-8 when valid, else Latin-1), split at the first blank line. */
function rawParts(raw: Buffer): { head: string; body: string } {
  const crlf = raw.indexOf("\r\n\r\n");
  const lf = raw.indexOf("\n\n");
  const [headEnd, bodyStart] =
    crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, crlf + 4] : lf >= 0 ? [lf, lf + 2] : [raw.length, raw.length];
  const body = raw.subarray(bodyStart);
  const utf8 = body.toString("utf8");
  return { head: raw.subarray(0, headEnd).toString("latin1"), body: utf8.includes("\uFFFD") ? body.toString("latin1") : utf8 };
}

function addressList(value: string | undefined): InboundAddress[] {
  return (value ?? "").split(",").flatMap((item) => {
    const plain = item.trim().replace(/^[^<>"@,]*:\s*/, "").replace(/;\s*$/, ""); // "Group: a@x, b@y;"
    const angle = /^(.*)<([^<>]+)>\s*$/.exec(plain);
    const address = normalizeAddress(angle ? angle[2] : plain);
    if (!address) return [];
    const name = angle?.[1]?.trim().replace(/^"|"$/g, "");
    return [name ? { address, name } : { address }];
  });
}

function firstAddress(value: string | undefined): InboundAddress | undefined {
  return addressList(value)[0];
}
