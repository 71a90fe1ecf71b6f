import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/jobs/outbox-delivery.js";
import { enqueueEmail, MAX_SUBJECT_LENGTH, type OutgoingEmail } from "../../src/mail/outgoing.js";
import { createEmailTransport } from "../../src/mail/transport.js";
import { startSmtpSink, type SmtpSink } from "../fakes/smtp-sink.js";
import { handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { silentLogger } from "../support/test-config.js";

let h: HandlerHarness;
let sink: SmtpSink;
let dataDir: string;
const from = "Switchboard <crm@example.com>";

beforeAll(async () => {
  h = await handlerHarness();
  sink = await startSmtpSink();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-mail-"));
});
afterAll(async () => {
  await sink?.close();
  await h?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "METHOD:REQUEST", "BEGIN:VEVENT", "UID:mtg-1@switchboard", "DTSTAMP:20261124T090000Z", "DTSTART:20261124T100000Z", "DTEND:20261124T110000Z", "SUMMARY:Kick-off", "END:VEVENT", "END:VCALENDAR"].join("\r\n");

async function send(email: OutgoingEmail): Promise<string> {
  await h.db.$transaction((tx) => enqueueEmail(tx, email));
  const row = await h.db.outbox.findFirstOrThrow({ where: { channel: "email", target: email.to.trim() }, orderBy: { createdAt: "desc" } });
  return row.id;
}

const smtp = () => ({ email: createEmailTransport({ smtpUrl: sink.url, from, dataDir, logger: silentLogger }) });
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** The decoded body of the MIME part whose headers match. */
function part(raw: string, headerPattern: RegExp): { headers: string; body: string } {
  const sections = raw.split(/\r\n--[^\r\n]+\r\n/);
  const section = sections.find((s) => headerPattern.test(s.split("\r\n\r\n")[0]!));
  if (!section) throw new Error(`no part matching ${headerPattern}`);
  const [headers, ...rest] = section.split("\r\n\r\n");
  const encoded = rest.join("\r\n\r\n").split(/\r\n--/)[0]!;
  const body = /Content-Transfer-Encoding: base64/i.test(headers!)
    ? Buffer.from(encoded.replace(/\s+/g, ""), "base64").toString("utf8")
    : /quoted-printable/i.test(headers!)
      ? encoded.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : encoded;
  return { headers: headers!, body };
}

describe("outgoing email over SMTP", () => {
  it("sends the outbox row once, with From, To, Subject, the text, a text/calendar; method=REQUEST part and invite.ics", async () => {
    const to = unique("ada");
    const id = await send({ to, subject: "Invitation: Kick-off", text: "You are invited to Kick-off.", ics: { method: "REQUEST", content: ics } });
    const before = sink.messages.length;
    expect(await deliverDue(h.deps, smtp())).toBeGreaterThanOrEqual(1);
    expect(await deliverDue(h.deps, smtp())).toBe(0);
    const mine = sink.messages.slice(before).filter((m) => m.to.includes(to));
    expect(mine).toHaveLength(1);
    const raw = mine[0]!.raw;
    expect(raw).toMatch(/^From: Switchboard <crm@example\.com>\r$/m);
    expect(raw).toMatch(new RegExp(`^To: ${to.replace(/\./g, "\\.")}\\r$`, "m"));
    expect(raw).toMatch(/^Subject: Invitation: Kick-off\r$/m);
    expect(part(raw, /Content-Type: text\/plain/).body).toContain("You are invited to Kick-off.");
    const calendar = part(raw, /Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(calendar.body).toContain("UID:mtg-1@switchboard");
    const attachment = part(raw, /filename=invite\.ics/);
    expect(attachment.headers).toMatch(/Content-Type: application\/ics/);
    expect(attachment.headers).toMatch(/Content-Disposition: attachment/);
    expect(attachment.body).toContain("SUMMARY:Kick-off");
    const row = await h.db.outbox.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("sent");
    expect(row.messageRef).toMatch(/^<.+>$/);
  });

  it("sends a CANCEL with method=CANCEL and a plain email without any calendar part", async () => {
    const cancelTo = unique("cancel");
    const plainTo = unique("plain");
    await send({ to: cancelTo, subject: "Cancelled: Kick-off", text: "Kick-off is cancelled.", ics: { method: "cancel", content: ics.replace("METHOD:REQUEST", "METHOD:CANCEL") } });
    await send({ to: plainTo, subject: "Reminder", text: "Kick-off starts in 15 minutes." });
    const before = sink.messages.length;
    await deliverDue(h.deps, smtp());
    const got = sink.messages.slice(before);
    const cancel = got.find((m) => m.to.includes(cancelTo))!.raw;
    expect(cancel).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=CANCEL/i);
    const plain = got.find((m) => m.to.includes(plainTo))!.raw;
    expect(plain).not.toMatch(/text\/calendar|invite\.ics/);
    expect(plain).toContain("Kick-off starts in 15 minutes.");
  });

  it("dead-letters at once on a permanent (5xx) refusal and retries after a temporary (4xx) one", async () => {
    const gone = unique("gone");
    const goneId = await send({ to: gone, subject: "Hi", text: "Hello" });
    sink.refuseNext(550, "no such user");
    await deliverDue(h.deps, smtp());
    const dead = await h.db.outbox.findUniqueOrThrow({ where: { id: goneId } });
    expect(dead.state).toBe("dead");
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toMatch(/550/);

    const busy = unique("busy");
    const busyId = await send({ to: busy, subject: "Hi", text: "Hello" });
    sink.refuseNext(451, "greylisted");
    await deliverDue(h.deps, smtp());
    const later = await h.db.outbox.findUniqueOrThrow({ where: { id: busyId } });
    expect(later.state).toBe("pending");
    expect(later.attempts).toBe(1);
    expect(later.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(sink.messages.some((m) => m.to.includes(busy))).toBe(false);
  });

  it("retries when the SMTP server cannot be reached", async () => {
    const to = unique("offline");
    const id = await send({ to, subject: "Hi", text: "Hello" });
    const offline = { email: createEmailTransport({ smtpUrl: "smtp://127.0.0.1:1", from, dataDir, logger: silentLogger }) };
    await deliverDue(h.deps, offline);
    const row = await h.db.outbox.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("pending");
    expect(row.lastError).toMatch(/^SMTP:/);
  });

  it("dead-letters a malformed address instead of sending it, and keeps a header injection out of the headers", async () => {
    const badId = await send({ to: "not an address\r\nBcc: evil@example.com", subject: "Hi", text: "Hello" });
    const to = unique("inject");
    await send({ to, subject: "Hello\r\nBcc: evil@example.com", text: "Body" });
    const before = sink.messages.length;
    await deliverDue(h.deps, smtp());
    const bad = await h.db.outbox.findUniqueOrThrow({ where: { id: badId } });
    expect(bad.state).toBe("dead");
    expect(bad.lastError).toMatch(/not a valid email address/);
    const got = sink.messages.slice(before);
    expect(got.flatMap((m) => m.to)).not.toContain("evil@example.com");
    const raw = got.find((m) => m.to.includes(to))!.raw;
    expect(raw).not.toMatch(/^Bcc:/m);
    expect(raw).toMatch(/^Subject: Hello Bcc: evil@example\.com\r$/m);
  });

  it("cuts a huge subject and body, and stores the same dedupe key once", async () => {
    const to = unique("huge");
    await send({ to, subject: "S".repeat(5000), text: "x".repeat(300_000), dedupeKey: `huge:${to}` });
    await h.db.$transaction((tx) => enqueueEmail(tx, { to, subject: "again", text: "again", dedupeKey: `huge:${to}` }));
    const rows = await h.db.outbox.findMany({ where: { target: to } });
    expect(rows).toHaveLength(1);
    const payload = rows[0]!.payload as { subject: string; text: string };
    expect(payload.subject).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(payload.text.length).toBeLessThan(101_000);
    expect(payload.text).toMatch(/too long\]$/);
    await deliverDue(h.deps, smtp());
    expect(sink.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  });
});

describe("outgoing email without SMTP_URL", () => {
  it("writes an RFC 5322 .eml file to DATA_DIR/outbox/<date>-<id>.eml with the calendar part", async () => {
    const to = unique("file");
    const id = await send({ to, subject: "Invitation: Kick-off", text: "You are invited.", ics: { method: "REQUEST", content: ics } });
    const files = { email: createEmailTransport({ from, dataDir, logger: silentLogger }) };
    await deliverDue(h.deps, files);
    const row = await h.db.outbox.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe("sent");
    const date = new Date().toISOString().slice(0, 10);
    const file = path.join(dataDir, "outbox", `${date}-${id}.eml`);
    expect(existsSync(file)).toBe(true);
    const raw = await readFile(file, "utf8");
    expect(raw).toMatch(/^Subject: Invitation: Kick-off\r$/m);
    expect(raw).toMatch(new RegExp(`^To: ${to.replace(/\./g, "\\.")}\\r$`, "m"));
    expect(raw).toMatch(/^Message-ID: <.+>\r$/m);
    expect(part(raw, /method=REQUEST/i).body).toContain("UID:mtg-1@switchboard");
    expect(part(raw, /filename=invite\.ics/).body).toContain("BEGIN:VCALENDAR");
    // Every file of this test lives under the temporary DATA_DIR, none in the repository.
    expect((await readdir(path.join(dataDir, "outbox"))).every((f) => f.endsWith(".eml"))).toBe(true);
  });
});
