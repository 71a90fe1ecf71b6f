// Importing meetings from an .ics file: from an https link (`/crm meet import <url>`) or a file on a chat message
// ("Import meetings from .ics"). The file's UIDs are kept, so a second import updates instead of duplicating
// (OCA calendar_import_ics keeps only summary, start, end and UID, notes §1.6; we keep rules, exceptions and attendees).
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { importCalendarForm } from "../../bot/views/calendar-feed.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { AttachmentTooLarge } from "../../domain/claims.js";
import { MAX_CALENDAR_BYTES } from "../../domain/icalendar.js";
import type { FileSource, IncomingAttachment } from "../claims/attachments.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { importCalendarText } from "./store-imported-meetings.js";

const FETCH_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

/** What fetching a link needs from the outside world; tests pass their own. */
export interface CalendarFetchIo {
  fetch: typeof fetch;
  /** Every address the host name resolves to. */
  lookup(host: string): Promise<string[]>;
}

const realIo: CalendarFetchIo = {
  fetch: (input, init) => fetch(input, init),
  lookup: async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address),
};

type Downloaded = { ok: true; text: string } | { ok: false; reason: string };

/** `/crm meet import <https URL>`. */
export async function importCalendarFromUrl(deps: Deps, who: Who, args: string, io: CalendarFetchIo = realIo): Promise<Reply> {
  // Chat clients may wrap a pasted link as <url> or <url|label>.
  const text = args.trim().replace(/^<([^|>]+)(?:\|[^>]*)?>$/, "$1");
  if (!text) return privateMessage(notice("Write the link of an .ics file: `/crm meet import https://example.com/calendar.ics`."));
  const downloaded = await downloadCalendar(text, io);
  if (!downloaded.ok) return privateMessage(notice(downloaded.reason));
  return importCalendarText(deps, who, downloaded.text, new URL(text).toString());
}

/** The message shortcut: a confirmation form that carries the message's file references to the submit. */
export function importFormFromMessage(_deps: Deps, _who: Who, message: { files?: string }): Reply {
  if (!message.files) return privateMessage(notice("That message has no file. Post the .ics file (or forward the invitation with it), then use “Import meetings from .ics” on that message."));
  return openForm(importCalendarForm(message.files));
}

/** The confirmation submitted: download the message's .ics files (given by the platform adapter) and import each. */
export async function submitImportForm(deps: Deps, who: Who, context: Record<string, string>, files?: FileSource): Promise<Reply> {
  if (!context.files || !files) return privateMessage(notice("Switchboard could not find the message's files any more. Use “Import meetings from .ics” on the message again."));
  const all = await files(context.files);
  const calendars = all.filter(isCalendarFile);
  if (!calendars.length) {
    const names = all.map((f) => f.name).slice(0, 5).join(", ");
    return privateMessage(notice(`That message has no .ics file${names ? ` (it has: ${names})` : ""}. Post an .ics file and try again.`));
  }
  const replies: Reply[] = [];
  for (const file of calendars.slice(0, 5)) {
    const read = await readFile(deps, file);
    replies.push(read.ok ? await importCalendarText(deps, who, read.text, "file") : privateMessage(notice(read.reason)));
  }
  return replies.length === 1 ? replies[0]! : privateMessage(joinNotices(replies));
}

function isCalendarFile(f: IncomingAttachment): boolean {
  return /\.ics$/i.test(f.name) || /^text\/calendar\b/i.test(f.contentType);
}

async function readFile(deps: Deps, file: IncomingAttachment): Promise<Downloaded> {
  if (file.skipReason) return { ok: false, reason: `${file.name} could not be read: ${file.skipReason}.` };
  if (file.size > MAX_CALENDAR_BYTES) return { ok: false, reason: tooLarge(file.name) };
  try {
    const bytes = await file.fetch();
    if (bytes.length > MAX_CALENDAR_BYTES) return { ok: false, reason: tooLarge(file.name) };
    return { ok: true, text: decode(bytes) };
  } catch (error) {
    if (error instanceof AttachmentTooLarge) return { ok: false, reason: tooLarge(file.name) };
    deps.logger.warn({ err: error, file: file.name }, "could not download an .ics file to import");
    return { ok: false, reason: `${file.name} could not be downloaded. Try again, or post the file again.` };
  }
}

const tooLarge = (name: string) => `${name} is larger than 1 MB, the most Switchboard imports at once. Export a shorter period and try again.`;

/**
 * Downloads an .ics link: https only, public addresses only (no requests into our own network), at most
 * 3 redirects (each checked the same way), 10 s in all, and at most 1 MB read.
 */
export async function downloadCalendar(link: string, io: CalendarFetchIo = realIo): Promise<Downloaded> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { ok: false, reason: "That is not a link. Write the full https:// address of the .ics file." };
  }
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const refusal = await refuseTarget(url, io);
      if (refusal) return { ok: false, reason: refusal };
      const res = await io.fetch(url, { redirect: "manual", signal, headers: { accept: "text/calendar, */*;q=0.5" } });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      if (!res.ok || !res.body) return { ok: false, reason: `The calendar server answered ${res.status}: Switchboard could not download the file.` };
      const type = res.headers.get("content-type") ?? "";
      if (!/^text\/calendar\b/i.test(type) && !/\.ics$/i.test(url.pathname)) {
        await res.body.cancel();
        return { ok: false, reason: "That link is not an .ics calendar file (the server did not say text/calendar and the address does not end in .ics)." };
      }
      if (Number(res.headers.get("content-length")) > MAX_CALENDAR_BYTES) {
        await res.body.cancel();
        return { ok: false, reason: tooLarge("That file") };
      }
      const bytes = await readCapped(res.body);
      return bytes ? { ok: true, text: decode(bytes) } : { ok: false, reason: tooLarge("That file") };
    }
    return { ok: false, reason: "That link redirects too many times." };
  } catch (error) {
    if ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError") return { ok: false, reason: "The calendar server did not answer within 10 seconds." };
    return { ok: false, reason: "Switchboard could not reach that calendar server." };
  }
}

async function refuseTarget(url: URL, io: CalendarFetchIo): Promise<string | undefined> {
  if (url.protocol !== "https:") return "Only https:// links can be imported: an http:// link could be changed on its way.";
  if (url.username || url.password) return "Links with a user name or password cannot be imported.";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await io.lookup(host);
  } catch {
    return `Switchboard could not find the server ${host}.`;
  }
  if (!addresses.length || addresses.some(isInternalAddress)) return "That link points into a private network; Switchboard imports only from public servers.";
  return undefined;
}

const internal = new BlockList();
for (const [net, bits] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 3]] as const) internal.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) internal.addSubnet(net, bits, "ipv6");

function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, "ipv4");
  return internal.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The body, or undefined as soon as it passes the cap (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    // Leaving the loop cancels the stream: the rest is never downloaded.
    if (total > MAX_CALENDAR_BYTES) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function decode(bytes: Buffer): string {
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}

function joinNotices(replies: Reply[]) {
  const lines = replies.map((r) => (r.kind === "message" ? r.view.text : "")).filter(Boolean);
  return notice(lines.join("\n"));
}
