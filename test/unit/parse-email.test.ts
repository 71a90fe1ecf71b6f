import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { automaticMailReason, isDeliveryReport, MAX_REFERENCES } from "../../src/domain/mail-rules.js";
import { parseByHand, parseEmail } from "../../src/mail/parse-email.js";
import { loadFixture } from "../fixtures/mail/corpus.js";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"), "utf8");

describe("parseEmail", () => {
  it("reads addresses lower-cased with their names, flattens groups and skips what is not an address", async () => {
    const mail = await parseEmail(
      crlf([
        'From: "Ada Lovelace" <Ada@Example.COM>',
        "Reply-To: Replies <Replies@Example.com>",
        "To: Team: One@Example.com, two@example.com;, undisclosed-recipients:;",
        "Cc: Nobody <nobody@localhost>, Carl <CARL@example.com>",
        "Message-ID: <abc@example.com>",
        "Subject: Hello",
        "",
        "Body",
      ]),
    );
    expect(mail.from).toEqual({ address: "ada@example.com", name: "Ada Lovelace" });
    expect(mail.replyTo).toEqual({ address: "replies@example.com", name: "Replies" });
    expect(mail.to.map((a) => a.address)).toEqual(["one@example.com", "two@example.com"]);
    expect(mail.cc).toEqual([{ address: "carl@example.com", name: "Carl" }]);
    expect(mail.messageId).toBe("abc@example.com");
    expect(mail.text.trim()).toBe("Body");
  });

  it("gives a mail without Message-ID the synthetic id of its bytes, the same for the same bytes", async () => {
    const raw = loadFixture("01-no-message-id.eml");
    const digest = createHash("sha256").update(raw).digest("hex");
    expect((await parseEmail(raw)).messageId).toBe(`sha256-${digest}@switchboard.invalid`);
    expect((await parseEmail(Buffer.from(raw))).messageId).toBe(`sha256-${digest}@switchboard.invalid`);
    const other = Buffer.concat([raw, Buffer.from("P.S.\r\n")]);
    expect((await parseEmail(other)).messageId).not.toBe(`sha256-${digest}@switchboard.invalid`);
  });

  it("keeps raw header values as plain strings under lower-cased names, the topmost of repeated ones", async () => {
    const mail = await parseEmail(
      crlf([
        "Received: from top.example",
        "Received: from bottom.example",
        "From: a@example.com",
        "Auto-Submitted: Auto-Replied",
        "Precedence: bulk",
        "X-Auto-Response-Suppress: All",
        'Content-Type: text/plain;\r\n charset="utf-8"',
        "",
        "x",
      ]),
    );
    expect(mail.headers.get("received")).toBe("from top.example");
    expect(mail.headers.get("auto-submitted")).toBe("Auto-Replied");
    expect(mail.headers.get("precedence")).toBe("bulk");
    expect(mail.headers.get("x-auto-response-suppress")).toBe("All");
    expect(mail.headers.get("content-type")).toBe('text/plain; charset="utf-8"');
    expect(mail.contentType).toBe("text/plain");
    expect(automaticMailReason(mail.headers, mail.from.address)).toBe("Auto-Submitted: auto-replied");
  });

  it("cleans In-Reply-To and puts References then In-Reply-To, newest last, capped at 32", async () => {
    const mail = await parseEmail(loadFixture("15-200-references.eml"));
    expect(mail.inReplyTo).toBe("rfc2047@customer.example");
    expect(mail.references).toHaveLength(MAX_REFERENCES);
    expect(mail.references.at(-1)).toBe("rfc2047@customer.example");
    expect(mail.references[0]).toBe("ref-168@elsewhere.example");
    expect(mail.references.every((id) => !id.includes("<") && !id.includes(">"))).toBe(true);
  });

  it("decodes RFC 2047 subjects and names, and reads raw Latin-1 header bytes as Latin-1", async () => {
    const encoded = await parseEmail(loadFixture("06-rfc2047-subject.eml"));
    expect(encoded.subject).toBe("Réservation cassée ✓");
    expect(encoded.from.name).toBe("Zoë Encoded");
    expect(encoded.text.trim()).toBe("Ma réservation est cassée.");
    const eightBit = await parseEmail(loadFixture("05-8bit-raw-headers.eml"));
    expect(eightBit.subject).toBe("Café machine is kaputt à nouveau");
    expect(eightBit.from).toEqual({ address: "jose.mueller@customer.example", name: "José Müller" });
    expect(eightBit.text).toContain("Grüße");
  });

  it("turns an HTML-only body into text without its styles, scripts or images", async () => {
    const mail = await parseEmail(loadFixture("07-html-only.eml"));
    expect(mail.text).toContain("I cannot log in & the reset link is broken.");
    expect(mail.text).toContain("Hannah");
    expect(mail.text).not.toMatch(/<|color: red|alert\(1\)|cid:/);
  });

  it("caps the text at 200,000 characters with a note", async () => {
    const mail = await parseEmail(loadFixture("16-five-mb-body.eml"));
    expect(mail.size).toBeGreaterThan(5 * 1024 * 1024);
    expect(mail.text.length).toBeLessThan(200_200);
    expect(mail.text.slice(0, 200_000)).toMatch(/^row;0000000;/);
    expect(mail.text).toMatch(/\[… cut: the message's text was [\d,]+ characters; the first 200,000 are kept\]$/);
    const small = await parseEmail(loadFixture("01-no-message-id.eml"), { maxTextChars: 10 });
    expect(small.text.startsWith("Hello, the")).toBe(true);
    expect(small.text).toContain("the first 10 are kept");
  });

  it("keeps attachments up to 10 MB each and names the dropped ones", async () => {
    const mail = await parseEmail(loadFixture("04-huge-attachment.eml"));
    expect(mail.droppedAttachments).toEqual(["dump.bin"]);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ fileName: "note.txt", contentType: "text/plain", size: 10 });
    expect(mail.attachments[0]!.content.toString()).toBe("small note");
    expect(mail.text).toBe("Logs attached (one big dump, one small note).");
  });

  it("keeps attachments in order until all together would pass the total cap", async () => {
    const part = (name: string, bytes: number) => [
      "--b",
      `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.alloc(bytes, 1).toString("base64"),
    ];
    const raw = crlf([
      "From: a@example.com",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "see files",
      ...part("a.bin", 400),
      ...part("b.bin", 400),
      ...part("c.bin", 100),
      ...part("d.bin", 50),
      "--b--",
      "",
    ]);
    const mail = await parseEmail(raw, { maxAttachmentBytes: 300, maxTotalAttachmentBytes: 120 });
    expect(mail.attachments.map((a) => a.fileName)).toEqual(["c.bin"]);
    expect(mail.droppedAttachments).toEqual(["a.bin", "b.bin", "d.bin"]);
    const roomy = await parseEmail(raw, { maxAttachmentBytes: 500, maxTotalAttachmentBytes: 900 });
    expect(roomy.attachments.map((a) => [a.fileName, a.size])).toEqual([["a.bin", 400], ["b.bin", 400], ["c.bin", 100]]);
    expect(roomy.droppedAttachments).toEqual(["d.bin"]);
  });

  it("keeps winmail.dat as an attachment, undecoded", async () => {
    const mail = await parseEmail(loadFixture("08-winmail-dat.eml"));
    expect(mail.attachments.map((a) => [a.fileName, a.contentType, a.size])).toEqual([["winmail.dat", "application/ms-tnef", 64]]);
    expect(mail.attachments[0]!.content.subarray(0, 4)).toEqual(Buffer.from([0x78, 0x9f, 0x3e, 0x22]));
    expect(mail.text).toBe("Please see the attached contract.");
  });

  it("gives a text/calendar part as `calendar` (an iTIP REPLY) and not as an attachment", async () => {
    const mail = await parseEmail(loadFixture("09-itip-reply.eml"));
    expect(mail.calendar).toContain("METHOD:REPLY");
    expect(mail.calendar).toContain("UID:mtg-quarterly-review@switchboard");
    expect(mail.calendar).toContain("ATTENDEE;PARTSTAT=ACCEPTED;CN=Anna Attendee:mailto:anna@customer.example");
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toBe("Anna Attendee has accepted this invitation.");
  });

  it("gives a delivery report's top-level type and its message/delivery-status text, not mixed into the text", async () => {
    const mail = await parseEmail(loadFixture("10-bounce-multipart-report.eml"));
    expect(mail.contentType).toBe("multipart/report");
    expect(isDeliveryReport(mail.contentType, mail.from.address)).toBe(true);
    expect(mail.deliveryStatus).toMatch(/^Final-Recipient: rfc822; someone@example\.com$/m);
    expect(mail.deliveryStatus).toMatch(/^Status: 5\.1\.1$/m);
    expect(mail.text).not.toContain("Final-Recipient");
    expect(mail.attachments.map((a) => a.contentType)).toEqual(["text/rfc822-headers"]);
  });

  it("keeps the raw body of a multipart without boundary, and the readable part of a truncated one", async () => {
    const noBoundary = await parseEmail(loadFixture("02-broken-mime-missing-boundary.eml"));
    expect(noBoundary.text).toContain("Where is my invoice for October?");
    const truncated = await parseEmail(loadFixture("03-broken-mime-truncated-part.eml"));
    expect(truncated.text).toBe("The app shows an error, screenshot attached.");
    expect(truncated.attachments.map((a) => a.fileName)).toEqual(["error.png"]);
  });

  it("parses a headers-only message and one with a NUL byte and bare LF line endings", async () => {
    const empty = await parseEmail(loadFixture("17-empty-message.eml"));
    expect(empty).toMatchObject({ messageId: "empty@customer.example", subject: "", text: "", attachments: [] });
    expect(empty.from.address).toBe("emil@customer.example");
    const nul = await parseEmail(loadFixture("18-nul-byte-bare-lf.eml"));
    expect(nul.subject).toBe("Strange characters");
    expect(nul.text).toBe("Before the NULafter the NUL.\nSecond line.\n");
    expect(nul.date).toEqual(new Date("2026-11-23T09:17:00Z"));
  });

  it("never throws: garbage, an empty buffer and a head without body all become an InboundEmail", async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), Buffer.from("Subject: only a head")]) {
      const mail = await parseEmail(raw);
      expect(mail.messageId).toMatch(/^sha256-[0-9a-f]{64}@switchboard\.invalid$/);
      expect(mail.from.address).toBe("");
      expect(mail.size).toBe(raw.length);
    }
  });
});

describe("parseByHand (the fallback when mailparser fails)", () => {
  it("reads headers from the raw head, unfolded, and the body as text", () => {
    const raw = Buffer.from(
      "From: =?x?= \"Pat\" <Pat@Example.com>\nTo: Team: a@example.com, B <b@example.com>;\nSubject: Hi\n there\nMessage-ID: <m1@example.com>\nIn-Reply-To: <p@example.com>\nReferences: <r1@example.com> <r2@example.com>\nContent-Type: multipart/mixed\n\nBody\0 text\n",
      "latin1",
    );
    const mail = parseByHand(raw);
    expect(mail.messageId).toBe("m1@example.com");
    expect(mail.from.address).toBe("pat@example.com");
    expect(mail.to.map((a) => a.address)).toEqual(["a@example.com", "b@example.com"]);
    expect(mail.subject).toBe("Hi there");
    expect(mail.references).toEqual(["r1@example.com", "r2@example.com", "p@example.com"]);
    expect(mail.contentType).toBe("multipart/mixed");
    expect(mail.text).toBe("Body text\n");
    expect(mail.attachments).toEqual([]);
  });

  it("reads an invalid-UTF-8 body as Latin-1 and caps it", () => {
    const raw = Buffer.concat([Buffer.from("From: x@example.com\r\n\r\n"), Buffer.from("Gr\xfc\xdfe ".repeat(10), "latin1")]);
    const mail = parseByHand(raw, { maxTextChars: 12 });
    expect(mail.text.startsWith("Grüße Grüße ")).toBe(true);
    expect(mail.text).toContain("the first 12 are kept");
    expect(mail.messageId).toMatch(/^sha256-/);
  });
});
