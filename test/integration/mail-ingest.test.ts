// The mail gateway's routing on a real database: new records, replies, loops, bounces, contact policies (issue 7).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEmail, isKnownRecipient, type IngestOutcome } from "../../src/handlers/mail/ingest-email.js";
import type { EmailPayload } from "../../src/mail/outgoing.js";
import type { MessageView } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

let h: HandlerHarness;
let seq = 0;
const SUPPORT = "support@acme.test";

interface Mail {
  from: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  id?: string | null;
  inReplyTo?: string;
  references?: string;
  replyTo?: string;
  headers?: Record<string, string>;
}

/** A raw RFC 822 message with CRLF line ends. */
function raw(m: Mail): { bytes: Buffer; id: string } {
  seq += 1;
  const id = m.id === undefined ? `m${seq}.${Math.random().toString(36).slice(2, 10)}@customer.test` : (m.id ?? "");
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to ?? SUPPORT}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    ...(m.replyTo ? [`Reply-To: ${m.replyTo}`] : []),
    `Subject: ${m.subject ?? `Question ${seq}`}`,
    ...(id ? [`Message-ID: <${id}>`] : []),
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references ? [`References: ${m.references}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "Date: Mon, 23 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    m.body ?? `Hello, this is message ${seq}.`,
    "",
  ];
  return { bytes: Buffer.from(lines.join("\r\n")), id };
}

function recipientOf(m: Mail): string {
  const to = m.to ?? SUPPORT;
  return (/<([^>]+)>/.exec(to)?.[1] ?? to).toLowerCase();
}

async function ingest(m: Mail, via: "smtp" | "imap" = "smtp"): Promise<IngestOutcome & { messageId: string }> {
  const { bytes, id } = raw(m);
  const outcome = await ingestEmail(h.deps, bytes, { recipients: [recipientOf(m)], mailFrom: m.from, via });
  return { ...outcome, messageId: id };
}

function recordId(o: IngestOutcome): string {
  if (o.kind !== "created" && o.kind !== "threaded") throw new Error(`expected a record, got ${JSON.stringify(o)}`);
  return o.recordId;
}

const emailsTo = (address: string) => h.db.outbox.findMany({ where: { channel: "email", target: address }, orderBy: { seq: "asc" } });
const payloadOf = (row: { payload: unknown }) => row.payload as unknown as EmailPayload;

let support: { id: string };

beforeAll(async () => {
  h = await handlerHarness();
  support = await h.db.team.create({ data: { name: "Support", kind: "support", emailAlias: "Support@Acme.test", slackChannelId: "CSUPPORT" } });
});
afterAll(async () => h?.close());

describe("a new email to a team alias", () => {
  it("opens a case for a new sender (a person partner is created), posts the card and queues a threaded acknowledgement", async () => {
    const o = await ingest({ from: "Jane Roe <Jane.Roe@Customer.test>", subject: "Re: Printer broken", body: "The printer on floor 2 jams." });
    expect(o).toMatchObject({ kind: "created", recordType: "case" });
    const c = await h.db.case.findUniqueOrThrow({ where: { id: recordId(o) }, include: { partner: true, channel: true } });
    expect(c).toMatchObject({ subject: "Printer broken", description: "The printer on floor 2 jams.", channel: { code: "email" }, createdById: null, teamId: support.id, priority: "medium", assigneeId: null });
    expect(c.partner).toMatchObject({ kind: "person", name: "Jane Roe", email: "jane.roe@customer.test" });
    const stored = await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: o.messageId } });
    expect(stored).toMatchObject({ direction: "inbound", status: "created", recordType: "case", recordId: c.id, teamId: support.id, fromAddress: "jane.roe@customer.test" });
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "case", recordId: c.id }, orderBy: { createdAt: "asc" } });
    expect(timeline.map((t) => t.kind)).toEqual(["created", "email-in"]);
    expect(timeline[0]!.actorId).toBeNull();
    expect(timeline[0]!.summary).toContain("Email from jane.roe@customer.test");
    expect(timeline[1]!.data).toEqual({ emailId: stored.id });
    expect(await h.db.outbox.count({ where: { channel: "slack", target: "CSUPPORT", subjectKey: `case:${c.id}` } })).toBe(1);

    const [ack, ...more] = await emailsTo("jane.roe@customer.test");
    expect(more).toHaveLength(0);
    expect(ack!.dedupeKey).toBe(`email-ack:${o.messageId}`);
    const p = payloadOf(ack!);
    expect(p.subject).toBe(`[${o.kind === "created" ? o.reference : ""}] Printer broken`);
    expect(p.text).toContain(`opened ${(o as { reference: string }).reference}`);
    expect(p.headers).toMatchObject({ from: `Support <support@acme.test>`, inReplyTo: o.messageId, autoSubmitted: "auto-replied" });
    expect(p.headers!.replyTo).toMatch(new RegExp(`^support\\+c${c.number}-[0-9a-f]{8}@acme\\.test$`));
    expect(p.headers!.references).toContain(o.messageId);
    // Its copy is stored, so an answer to it finds the case.
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: p.headers!.messageId! } })).toMatchObject({ direction: "outbound", status: "sent", recordId: c.id });
  });

  it("stores the same Message-ID once: a redelivery, and two deliveries at the same time", async () => {
    const m = raw({ from: "dup@customer.test", subject: "Twice" });
    const envelope = { recipients: [SUPPORT], via: "smtp" as const };
    const first = await ingestEmail(h.deps, m.bytes, envelope);
    expect(first.kind).toBe("created");
    expect(await ingestEmail(h.deps, m.bytes, envelope)).toEqual({ kind: "duplicate", messageId: m.id });
    const racing = raw({ from: "dup@customer.test", subject: "At once" });
    const both = await Promise.all([ingestEmail(h.deps, racing.bytes, envelope), ingestEmail(h.deps, racing.bytes, envelope)]);
    expect(both.map((o) => o.kind).sort()).toEqual(["created", "duplicate"]);
    expect(await h.db.case.count({ where: { subject: { in: ["Twice", "At once"] } } })).toBe(2);
    expect(await h.db.emailMessage.count({ where: { messageId: { in: [m.id, racing.id] } } })).toBe(2);
    expect(await h.db.outbox.count({ where: { dedupeKey: { in: [`email-ack:${m.id}`, `email-ack:${racing.id}`] } } })).toBe(2);
  });

  it("a mail without Message-ID gets a stable synthetic one: the same bytes twice are one case", async () => {
    const m = raw({ from: "noid@customer.test", subject: "No id here", id: null });
    const envelope = { recipients: [SUPPORT], via: "smtp" as const };
    expect((await ingestEmail(h.deps, m.bytes, envelope)).kind).toBe("created");
    expect((await ingestEmail(h.deps, m.bytes, envelope)).kind).toBe("duplicate");
    expect(await h.db.case.count({ where: { subject: "No id here" } })).toBe(1);
  });

  it("rejects nothing and stores nothing for an unknown recipient; isKnownRecipient knows aliases with or without +tags", async () => {
    const before = await h.db.emailMessage.count();
    const o = await ingest({ from: "x@customer.test", to: "nobody@acme.test" });
    expect(o.kind).toBe("unknown-recipient");
    expect(await h.db.emailMessage.count()).toBe(before);
    expect(await isKnownRecipient(h.deps, "SUPPORT@acme.test")).toBe(true);
    expect(await isKnownRecipient(h.deps, "support+c1-0000ffff@acme.test")).toBe(true);
    expect(await isKnownRecipient(h.deps, "nobody@acme.test")).toBe(false);
    expect(await isKnownRecipient(h.deps, "not an address")).toBe(false);
  });

  it("a contact of a company: the case's customer is the company, its contact the person; CC addresses become watchers", async () => {
    const company = await h.db.partner.create({ data: { kind: "company", name: "Globex" } });
    const contact = await h.db.partner.create({ data: { kind: "person", name: "Hank", email: "Hank@Globex.test", parentId: company.id } });
    const o = await ingest({ from: "hank@globex.test", cc: "Boss <boss@globex.test>, support@acme.test, hank@globex.test, BOSS@globex.test", subject: "Invoices" });
    const c = await h.db.case.findUniqueOrThrow({ where: { id: recordId(o) }, include: { watchers: true } });
    expect(c).toMatchObject({ partnerId: company.id, contactId: contact.id });
    expect(c.watchers.map((w) => w.email)).toEqual(["boss@globex.test"]);
    expect(await h.db.partner.count({ where: { email: { equals: "hank@globex.test", mode: "insensitive" } } })).toBe(1);
  });
});

describe("replies", () => {
  async function newCase(from: string, subject: string) {
    const o = await ingest({ from, subject });
    const id = recordId(o);
    const ack = (await emailsTo(from)).find((r) => r.dedupeKey === `email-ack:${o.messageId}`)!;
    return { o, id, c: await h.db.case.findUniqueOrThrow({ where: { id } }), ack: payloadOf(ack) };
  }

  const threadPosts = (caseId: string) => h.db.outbox.findMany({ where: { channel: "slack", target: "CSUPPORT", subjectKey: null }, orderBy: { seq: "asc" } }).then((rows) => rows.filter((r) => (r.payload as unknown as MessageView).threadOf === `case:${caseId}`));

  it("an answer to our acknowledgement (In-Reply-To) threads onto the case and is posted under its card; no new ack", async () => {
    const { id, ack } = await newCase("ruth@customer.test", "Login fails");
    const reply = await ingest({ from: "Ruth <ruth@customer.test>", subject: "Re: [CASE] Login fails", inReplyTo: ack.headers!.messageId!, body: "Still failing.\nSecond line." });
    expect(reply).toMatchObject({ kind: "threaded", recordType: "case", recordId: id });
    expect(await h.db.case.count({ where: { subject: "Login fails" } })).toBe(1);
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: reply.messageId } })).toMatchObject({ status: "threaded", recordId: id });
    const entries = await h.db.timelineEntry.findMany({ where: { recordType: "case", recordId: id, kind: "email-in" }, orderBy: { createdAt: "asc" } });
    expect(entries).toHaveLength(2);
    expect(entries[1]!.summary).toBe("Email from Ruth <ruth@customer.test>: Re: [CASE] Login fails");
    const posts = await threadPosts(id);
    expect(posts).toHaveLength(1);
    const view = posts[0]!.payload as unknown as MessageView;
    expect(JSON.stringify(view.blocks)).toContain("Still failing.");
    expect(JSON.stringify(view.blocks)).not.toContain("closed");
    expect((await emailsTo("ruth@customer.test")).filter((r) => r.dedupeKey?.startsWith("email-ack:"))).toHaveLength(1);
  });

  it("a reply by the reply token alone (no threading headers) threads; a forged token does not", async () => {
    const { id, ack } = await newCase("sam@customer.test", "Token case");
    const byToken = await ingest({ from: "sam@customer.test", to: ack.headers!.replyTo!, subject: "more info" });
    expect(byToken).toMatchObject({ kind: "threaded", recordId: id });
    const forged = await ingest({ from: "sam@customer.test", to: ack.headers!.replyTo!.replace(/-[0-9a-f]{8}@/, "-00000000@"), subject: "forged tag" });
    expect(forged.kind).toBe("created");
    expect(recordId(forged)).not.toBe(id);
  });

  it("a reference in the subject threads only for the record's customer or watcher, not for a stranger", async () => {
    const { id, c } = await newCase("owner@customer.test", "Subject ref");
    const ref = `CASE-${String(c.number).padStart(4, "0")}`;
    const stranger = await ingest({ from: "stranger@evil.test", subject: `Re: [${ref}] let me in` });
    expect(stranger.kind).toBe("created");
    expect(recordId(stranger)).not.toBe(id);
    const owner = await ingest({ from: "owner@customer.test", subject: `About ${ref}` });
    expect(owner).toMatchObject({ kind: "threaded", recordId: id });
  });

  it("CC on a reply adds watchers; a later email is copied to the email watchers not already in To/Cc", async () => {
    const { id, ack } = await newCase("lea@customer.test", "Watchers");
    await ingest({ from: "lea@customer.test", inReplyTo: ack.headers!.messageId!, cc: "mgr@customer.test, support@acme.test" });
    expect((await h.db.caseWatcher.findMany({ where: { caseId: id } })).map((w) => w.email)).toEqual(["mgr@customer.test"]);
    const plain = await ingest({ from: "lea@customer.test", inReplyTo: ack.headers!.messageId!, body: "for the manager too" });
    const copies = (await emailsTo("mgr@customer.test")).filter((r) => r.dedupeKey === `email-copy:${plain.messageId}:mgr@customer.test`);
    expect(copies).toHaveLength(1);
    const p = payloadOf(copies[0]!);
    expect(p.text).toContain("for the manager too");
    expect(p.headers!.inReplyTo).toBe(plain.messageId);
    expect(p.headers!.autoSubmitted).toBeUndefined();
    // Already in Cc: no copy; and the sender never gets their own mail back.
    const withCc = await ingest({ from: "lea@customer.test", inReplyTo: ack.headers!.messageId!, cc: "mgr@customer.test" });
    expect((await emailsTo("mgr@customer.test")).filter((r) => r.dedupeKey?.includes(withCc.messageId))).toHaveLength(0);
    expect((await emailsTo("lea@customer.test")).filter((r) => r.dedupeKey?.startsWith("email-copy:"))).toHaveLength(0);
  });

  it("a reply to a closed case still threads, and the post says the case is closed", async () => {
    const { id, ack } = await newCase("closed@customer.test", "Old problem");
    await h.db.case.update({ where: { id }, data: { isOpen: false, closedAt: new Date() } });
    const o = await ingest({ from: "closed@customer.test", inReplyTo: ack.headers!.messageId! });
    expect(o).toMatchObject({ kind: "threaded", recordId: id });
    expect(JSON.stringify((await threadPosts(id))[0]!.payload)).toContain("is closed — reopen it if needed");
  });

  it("a reply to a deleted case opens a new one", async () => {
    const { id, ack } = await newCase("gone@customer.test", "Deleted soon");
    await h.db.case.delete({ where: { id } });
    const o = await ingest({ from: "gone@customer.test", subject: "Re: Deleted soon", inReplyTo: ack.headers!.messageId! });
    expect(o.kind).toBe("created");
    expect(recordId(o)).not.toBe(id);
  });
});

describe("loops: automatic mail, bounces, throttling", () => {
  it.each([
    ["Auto-Submitted", "auto-replied"],
    ["Precedence", "bulk"],
    ["Precedence", "list"],
    ["X-Autoreply", "yes"],
    ["X-Auto-Response-Suppress", "All"],
  ])("%s: %s is stored as ignored: no record, no answer, no chat post", async (name, value) => {
    const outboxBefore = await h.db.outbox.count();
    const casesBefore = await h.db.case.count();
    const o = await ingest({ from: "robot@customer.test", subject: "Out of office", headers: { [name]: value } });
    expect(o.kind).toBe("ignored");
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: o.messageId } })).toMatchObject({ status: "ignored", recordId: null });
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    expect(await h.db.case.count()).toBe(casesBefore);
  });

  it("mail from one of our own aliases is ignored (two aliases never answer each other)", async () => {
    const outboxBefore = await h.db.outbox.count();
    const o = await ingest({ from: "Support <SUPPORT@acme.test>", to: SUPPORT, subject: "Looping?" });
    expect(o).toMatchObject({ kind: "ignored", reason: "sent from one of our own addresses" });
    expect(await h.db.outbox.count()).toBe(outboxBefore);
  });

  it("a postmaster's mail is ignored; an automatic answer on a known thread is stored with its case but not posted", async () => {
    expect((await ingest({ from: "postmaster@customer.test" })).kind).toBe("ignored");
    const first = await ingest({ from: "ooo@customer.test", subject: "Need help" });
    const ack = payloadOf((await emailsTo("ooo@customer.test"))[0]!);
    const outboxBefore = await h.db.outbox.count();
    const auto = await ingest({ from: "ooo@customer.test", inReplyTo: ack.headers!.messageId!, subject: "Automatic reply: Need help", headers: { "Auto-Submitted": "auto-replied" } });
    expect(auto.kind).toBe("ignored");
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: auto.messageId } })).toMatchObject({ status: "ignored", recordId: recordId(first) });
    expect(await h.db.outbox.count()).toBe(outboxBefore);
  });

  it("a delivery report marks the address as bouncing and is never answered; no ack goes to it; a person's mail from it clears it", async () => {
    const report = [
      "From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>",
      `To: ${SUPPORT}`,
      "Subject: Undelivered Mail Returned to Sender",
      "Message-ID: <bounce-1@mx.customer.test>",
      "Auto-Submitted: auto-replied",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      "",
      "--B",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--B",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.customer.test",
      "",
      "Final-Recipient: rfc822; Lost@Customer.test",
      "Action: failed",
      "Status: 5.1.1",
      "Diagnostic-Code: smtp; 550 5.1.1 user unknown",
      "--B--",
      "",
    ].join("\r\n");
    const outboxBefore = await h.db.outbox.count();
    const o = await ingestEmail(h.deps, Buffer.from(report), { recipients: [SUPPORT], mailFrom: "", via: "smtp" });
    expect(o).toEqual({ kind: "bounce", address: "lost@customer.test" });
    expect(await h.db.emailAddressStatus.findUniqueOrThrow({ where: { address: "lost@customer.test" } })).toMatchObject({ bounceCount: 1, lastReason: "smtp; 550 5.1.1 user unknown" });
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: "bounce-1@mx.customer.test" } })).toMatchObject({ status: "bounce" });
    expect(await h.db.outbox.count()).toBe(outboxBefore);

    // A new case whose Reply-To is the bouncing address: created, but not acknowledged there.
    const viaReplyTo = await ingest({ from: "other@customer.test", replyTo: "lost@customer.test", subject: "Via reply-to" });
    expect(viaReplyTo.kind).toBe("created");
    expect(await emailsTo("lost@customer.test")).toHaveLength(0);
    // The address writes normally again: the count is cleared and it is acknowledged.
    const back = await ingest({ from: "lost@customer.test", subject: "I am back" });
    expect(back.kind).toBe("created");
    expect((await h.db.emailAddressStatus.findUniqueOrThrow({ where: { address: "lost@customer.test" } })).bounceCount).toBe(0);
    expect(await emailsTo("lost@customer.test")).toHaveLength(1);
  });

  it("the 21st new record from one sender within 2 hours is refused with one polite answer; replies still thread", async () => {
    await h.db.team.create({ data: { name: "Loop", kind: "support", emailAlias: "loop@acme.test", emailAck: false } });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const o = await ingest({ from: "robot@loop.test", to: "loop@acme.test", subject: `Alert ${i}` });
      expect(o.kind).toBe("created");
      ids.push(o.messageId);
    }
    const refused = await ingest({ from: "robot@loop.test", to: "loop@acme.test", subject: "Alert 21" });
    expect(refused).toEqual({ kind: "rejected", reason: "more than 20 records in 2 hours", messageId: refused.messageId });
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: refused.messageId } })).toMatchObject({ status: "rejected", reason: "more than 20 records in 2 hours" });
    expect((await ingest({ from: "robot@loop.test", to: "loop@acme.test", subject: "Alert 22" })).kind).toBe("rejected");
    const answers = await emailsTo("robot@loop.test");
    expect(answers).toHaveLength(1);
    expect(payloadOf(answers[0]!)).toMatchObject({ subject: "Re: Alert 21", headers: { from: "Loop <loop@acme.test>", autoSubmitted: "auto-replied", inReplyTo: refused.messageId } });
    expect(await h.db.case.count({ where: { subject: { startsWith: "Alert " } } })).toBe(20);
    const reply = await ingest({ from: "robot@loop.test", to: "loop@acme.test", inReplyTo: ids[0]!, subject: "Re: Alert 0" });
    expect(reply.kind).toBe("threaded");
  });
});

describe("contact policies and record kinds", () => {
  it("partners: a stranger is refused once, politely; a known partner (any case) and a watcher may write", async () => {
    await h.db.team.create({ data: { name: "VIP Desk", kind: "support", emailAlias: "vip@acme.test", emailContact: "partners" } });
    await h.db.partner.create({ data: { kind: "company", name: "Known Co", email: "Known@Customer.test" } });
    const outboxBefore = await h.db.outbox.count();
    const refused = await ingest({ from: "nobody@random.test", to: "vip@acme.test", subject: "Hi" });
    expect(refused.kind).toBe("rejected");
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: refused.messageId } })).toMatchObject({ status: "rejected" });
    const answers = await emailsTo("nobody@random.test");
    expect(answers).toHaveLength(1);
    expect(answers[0]!.dedupeKey).toBe(`email-refused:${refused.messageId}`);
    const p = payloadOf(answers[0]!);
    expect(p).toMatchObject({ subject: "Re: Hi", headers: { from: "VIP Desk <vip@acme.test>", autoSubmitted: "auto-replied", inReplyTo: refused.messageId } });
    expect(p.text).toContain("only accepts mail from known customers and followers");
    expect(await h.db.outbox.count()).toBe(outboxBefore + 1);
    const known = await ingest({ from: "known@customer.test", to: "vip@acme.test", subject: "Order", cc: "colleague@random.test" });
    expect(known.kind).toBe("created");
    const ack = payloadOf((await emailsTo("known@customer.test"))[0]!);
    // The CC'd colleague became a watcher: their reply is accepted.
    const colleague = await ingest({ from: "colleague@random.test", to: "vip@acme.test", inReplyTo: ack.headers!.messageId! });
    expect(colleague).toMatchObject({ kind: "threaded", recordId: recordId(known) });
  });

  it("watchers: a new thread is refused even from a partner; the record's customer may reply, a stranger may not", async () => {
    const team = await h.db.team.create({ data: { name: "Followers", kind: "support", emailAlias: "followers@acme.test" } });
    const created = await ingest({ from: "cust@customer.test", to: "followers@acme.test", subject: "Before the change" });
    const ack = payloadOf((await emailsTo("cust@customer.test"))[0]!);
    await h.db.team.update({ where: { id: team.id }, data: { emailContact: "watchers" } });
    expect((await ingest({ from: "cust@customer.test", to: "followers@acme.test", subject: "New thread" })).kind).toBe("rejected");
    const reply = await ingest({ from: "cust@customer.test", to: ack.headers!.replyTo!, subject: "Re: Before the change" });
    expect(reply).toMatchObject({ kind: "threaded", recordId: recordId(created) });
    const stranger = await ingest({ from: "intruder@evil.test", to: "followers@acme.test", inReplyTo: ack.headers!.messageId! });
    expect(stranger.kind).toBe("rejected");
    expect(await h.db.timelineEntry.count({ where: { recordId: recordId(created), kind: "email-in" } })).toBe(2);
  });

  it("a sales alias captures a lead (channel email, no salesperson); a purchasing alias opens a customer claim", async () => {
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", emailAlias: "sales@acme.test", slackChannelId: "CSALES" } });
    const lead = await ingest({ from: "Pat Buyer <pat@prospect.test>", to: "sales@acme.test", subject: "Fwd: 40 seats?", body: "We need 40 seats." });
    expect(lead).toMatchObject({ kind: "created", recordType: "lead" });
    const l = await h.db.lead.findUniqueOrThrow({ where: { id: recordId(lead) }, include: { channel: true } });
    expect(l).toMatchObject({ title: "40 seats?", contactName: "Pat Buyer", email: "pat@prospect.test", channel: { code: "email" }, salespersonId: null, createdById: null, teamId: sales.id, notes: "We need 40 seats." });
    expect(await h.db.outbox.count({ where: { target: "CSALES", subjectKey: `lead:${l.id}` } })).toBe(1);
    expect(payloadOf((await emailsTo("pat@prospect.test"))[0]!).subject).toMatch(/^\[LEAD-\d+\] 40 seats\?$/);

    const purchasing = await h.db.team.create({ data: { name: "Purchasing", kind: "purchasing", emailAlias: "claims@acme.test" } });
    const claim = await ingest({ from: "angry@customer.test", to: "claims@acme.test", subject: "Broken delivery", cc: "witness@customer.test" });
    expect(claim).toMatchObject({ kind: "created", recordType: "claim" });
    const cl = await h.db.claim.findUniqueOrThrow({ where: { id: recordId(claim) }, include: { partner: true, watchers: true } });
    expect(cl).toMatchObject({ kind: "customer", teamId: purchasing.id, responsibleId: null, createdById: null, subject: "Broken delivery" });
    expect(cl.partner?.email).toBe("angry@customer.test");
    expect(cl.watchers.map((w) => w.email)).toEqual(["witness@customer.test"]);

    const override = await h.db.team.create({ data: { name: "Helpdesk claims", kind: "support", emailAlias: "returns@acme.test", emailCreates: "claim" } });
    const byOverride = await ingest({ from: "ret@customer.test", to: "returns@acme.test" });
    expect(byOverride).toMatchObject({ kind: "created", recordType: "claim" });
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: recordId(byOverride) } })).teamId).toBe(override.id);
  });

  it("a team without acknowledgements creates silently; attachments are kept on the stored email", async () => {
    await h.db.team.create({ data: { name: "Quiet", kind: "support", emailAlias: "quiet@acme.test", emailAck: false } });
    const body = [
      "--X",
      "Content-Type: text/plain",
      "",
      "See the photo.",
      "--X",
      'Content-Type: image/png; name="photo.png"',
      'Content-Disposition: attachment; filename="photo.png"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("not really a png").toString("base64"),
      "--X--",
    ].join("\r\n");
    const bytes = Buffer.from(
      ["From: shy@customer.test", "To: quiet@acme.test", "Subject: With a file", "Message-ID: <att-1@customer.test>", "MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="X"', "", body, ""].join("\r\n"),
    );
    const o = await ingestEmail(h.deps, bytes, { recipients: ["quiet@acme.test"], via: "smtp" });
    expect(o.kind).toBe("created");
    const stored = await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: "att-1@customer.test" }, include: { attachments: true } });
    expect(stored.attachments.map((a) => [a.fileName, a.contentType, a.size, Buffer.from(a.content).toString()])).toEqual([["photo.png", "image/png", 16, "not really a png"]]);
    expect(await emailsTo("shy@customer.test")).toHaveLength(0);
  });

  it("over IMAP, the To/Cc headers count as recipients", async () => {
    const { bytes } = raw({ from: "imap@customer.test", to: "Support <support@acme.test>", subject: "From the mailbox" });
    const o = await ingestEmail(h.deps, bytes, { recipients: [], via: "imap" });
    expect(o).toMatchObject({ kind: "created", recordType: "case" });
  });
});

describe("calendar answers", () => {
  it("an iTIP REPLY updates the attendee's answer on the meeting and refreshes the organizer's card", async () => {
    const ana = await aPerson(h.db, { teamIds: [support.id] });
    const meeting = await h.db.meeting.create({
      data: { uid: "mtg-reply-1@switchboard", title: "Demo", startAt: new Date("2026-12-03T10:00:00Z"), endAt: new Date("2026-12-03T11:00:00Z"), timeZone: "UTC", organizerId: ana.user.id },
    });
    const attendee = await h.db.meetingAttendee.create({ data: { meetingId: meeting.id, email: "guest@customer.test", name: "Guest" } });
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//test//EN",
      "METHOD:REPLY",
      "BEGIN:VEVENT",
      "UID:mtg-reply-1@switchboard",
      "DTSTAMP:20261124T090000Z",
      "DTSTART:20261203T100000Z",
      "SEQUENCE:0",
      "ATTENDEE;PARTSTAT=ACCEPTED;CN=Guest:mailto:Guest@customer.test",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const bytes = Buffer.from(
      [
        "From: Guest <guest@customer.test>",
        `To: ${SUPPORT}`,
        "Subject: Accepted: Demo",
        "Message-ID: <itip-1@customer.test>",
        "MIME-Version: 1.0",
        'Content-Type: text/calendar; method=REPLY; charset=utf-8',
        "",
        ics,
        "",
      ].join("\r\n"),
    );
    const o = await ingestEmail(h.deps, bytes, { recipients: [SUPPORT], via: "smtp" });
    expect(o).toMatchObject({ kind: "threaded", recordType: "meeting", recordId: meeting.id, reference: expect.stringMatching(/^MTG-\d{4,}$/) });
    expect((await h.db.meetingAttendee.findUniqueOrThrow({ where: { id: attendee.id } })).response).toBe("accepted");
    expect(await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: "itip-1@customer.test" } })).toMatchObject({ status: "threaded", recordType: "meeting", recordId: meeting.id });
    expect(await h.db.timelineEntry.count({ where: { recordType: "meeting", recordId: meeting.id, kind: "answer" } })).toBe(1);
    expect(await h.db.outbox.count({ where: { subjectKey: `meeting:${meeting.id}:organizer` } })).toBeGreaterThanOrEqual(1);
    expect(await h.db.case.count({ where: { subject: "Accepted: Demo" } })).toBe(0);
  });
});
