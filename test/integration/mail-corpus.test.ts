// The awkward-mail corpus through ingestEmail on a real database: each ends as a record, a reply, an ignored or
// refused mail or a marked bounce; nothing crashes, a second delivery is stored once, and no robot is ever answered.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEmail, type IngestOutcome } from "../../src/handlers/mail/ingest-email.js";
import type { EmailPayload } from "../../src/mail/outgoing.js";
import { corpusNames, loadFixture } from "../fixtures/mail/corpus.js";
import { handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const SUPPORT = "support@acme.test";
const PURCHASING = "buy@acme.test";

type Expected =
  | { kind: "created" | "ignored"; from: string }
  | { kind: "threaded"; from: string; sameRecordAs: string }
  | { kind: "bounce"; from: string; address: string | null };

/** What each fixture must end as when sent to the support alias (everyone may write, acknowledgements on). */
const EXPECTED: Record<string, Expected> = {
  "01-no-message-id.eml": { kind: "created", from: "nora@customer.example" },
  "02-broken-mime-missing-boundary.eml": { kind: "created", from: "bob@customer.example" },
  "03-broken-mime-truncated-part.eml": { kind: "created", from: "tina@customer.example" },
  "04-huge-attachment.eml": { kind: "created", from: "hugo@customer.example" },
  "05-8bit-raw-headers.eml": { kind: "created", from: "jose.mueller@customer.example" },
  "06-rfc2047-subject.eml": { kind: "created", from: "zoe@customer.example" },
  "07-html-only.eml": { kind: "created", from: "hannah@customer.example" },
  "08-winmail-dat.eml": { kind: "created", from: "otto@customer.example" },
  // No meeting of ours has this UID: the calendar answer is a person's mail like any other.
  "09-itip-reply.eml": { kind: "created", from: "anna@customer.example" },
  "10-bounce-multipart-report.eml": { kind: "bounce", from: "mailer-daemon@mx.customer.example", address: "someone@example.com" },
  "11-out-of-office.eml": { kind: "ignored", from: "oscar@customer.example" },
  "12-exchange-auto-reply.eml": { kind: "ignored", from: "eve@customer.example" },
  "13-newsletter-bulk.eml": { kind: "ignored", from: "news@lists.vendor.example" },
  "14-mailer-daemon-plain.eml": { kind: "bounce", from: "mailer-daemon@old-mx.customer.example", address: null },
  // In-Reply-To (and the last of its 200 References) is the RFC 2047 message's id.
  "15-200-references.eml": { kind: "threaded", from: "zoe@customer.example", sameRecordAs: "06-rfc2047-subject.eml" },
  "16-five-mb-body.eml": { kind: "created", from: "larry@customer.example" },
  "17-empty-message.eml": { kind: "created", from: "emil@customer.example" },
  "18-nul-byte-bare-lf.eml": { kind: "created", from: "nils@customer.example" },
};

let h: HandlerHarness;
const outcomes = new Map<string, IngestOutcome>();

function messageIdOf(name: string, raw: Buffer): string {
  const header = /^Message-ID:\s*<([^>]+)>/im.exec(raw.subarray(0, 64 * 1024).toString("latin1"));
  return header ? header[1]! : `sha256-${createHash("sha256").update(raw).digest("hex")}@switchboard.invalid`;
}

async function ingestFixture(name: string, recipient = SUPPORT, raw = loadFixture(name)): Promise<IngestOutcome> {
  return ingestEmail(h.deps, raw, { recipients: [recipient], via: "smtp" });
}

async function emailOutbox() {
  return h.db.outbox.findMany({ where: { channel: "email" }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  h = await handlerHarness();
  await h.db.team.create({ data: { name: "Support", kind: "support", emailAlias: SUPPORT } });
  await h.db.team.create({ data: { name: "Purchasing", kind: "purchasing", emailAlias: PURCHASING, emailContact: "partners" } });
  for (const name of corpusNames()) outcomes.set(name, await ingestFixture(name));
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe("the awkward-mail corpus", () => {
  it("has an expected outcome for every fixture", () => {
    expect(corpusNames().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s ends as expected and is stored once with that status", async (name, expected) => {
    const outcome = outcomes.get(name)!;
    expect(outcome.kind).toBe(expected.kind);
    const raw = loadFixture(name);
    const stored = await h.db.emailMessage.findMany({ where: { messageId: messageIdOf(name, raw) } });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ direction: "inbound", status: expected.kind, fromAddress: expected.from, size: raw.length });
    expect(stored[0]!.text).not.toContain("\0");
    expect(stored[0]!.text.length).toBeLessThanOrEqual(200_200);
    if (outcome.kind === "created" || outcome.kind === "threaded") {
      expect(stored[0]).toMatchObject({ recordType: outcome.recordType, recordId: outcome.recordId });
    }
    if (expected.kind === "threaded" && outcome.kind === "threaded") {
      const parent = outcomes.get(expected.sameRecordAs)!;
      expect(parent.kind).toBe("created");
      expect(outcome.recordId).toBe(parent.kind === "created" ? parent.recordId : "");
    }
    if (expected.kind === "bounce" && outcome.kind === "bounce" && expected.address) {
      expect(outcome.address).toBe(expected.address);
    }
  });

  it("makes one case per created message, with the sender and the cleaned subject", async () => {
    const created = [...outcomes.values()].filter((o) => o.kind === "created");
    expect(created).toHaveLength(Object.values(EXPECTED).filter((e) => e.kind === "created").length);
    const cases = await h.db.case.findMany({ select: { id: true, subject: true } });
    expect(cases.map((c) => c.id).sort()).toEqual(created.map((o) => (o.kind === "created" ? o.recordId : "")).sort());
    const subjects = cases.map((c) => c.subject);
    expect(subjects).toContain("Café machine is kaputt à nouveau");
    expect(subjects).toContain("Réservation cassée ✓");
    expect(subjects).toContain("(no subject)");
  });

  it("keeps the small attachment and winmail.dat, never the 30 MB one", async () => {
    const attachments = await h.db.emailAttachment.findMany({ select: { fileName: true, size: true, email: { select: { messageId: true } } } });
    const byMail = attachments.map((a) => [a.email.messageId, a.fileName, a.size]).sort();
    expect(byMail).toEqual(
      [
        ["huge-attachment@customer.example", "note.txt", 10],
        ["truncated-part@customer.example", "error.png", expect.any(Number)],
        ["winmail@customer.example", "winmail.dat", 64],
      ].sort(),
    );
  });

  it("marks the address a delivery report names as bouncing", async () => {
    const status = await h.db.emailAddressStatus.findUnique({ where: { address: "someone@example.com" } });
    expect(status?.bounceCount).toBe(1);
    expect(await h.db.emailAddressStatus.findUnique({ where: { address: "mailer-daemon@mx.customer.example" } })).toBeNull();
  });

  it("answers people only: one Auto-Submitted acknowledgement per new record, nothing to a robot", async () => {
    const rows = await emailOutbox();
    const robots = Object.values(EXPECTED).filter((e) => e.kind === "ignored" || e.kind === "bounce").map((e) => e.from);
    const creators = Object.values(EXPECTED).filter((e) => e.kind === "created").map((e) => e.from);
    expect(rows.filter((r) => robots.includes(r.target))).toEqual([]);
    expect(rows.map((r) => r.target).sort()).toEqual([...creators].sort());
    for (const row of rows) expect((row.payload as unknown as EmailPayload).headers?.autoSubmitted).toBe("auto-replied");
  });

  it("stores every message once when the whole corpus comes again, and queues nothing more", async () => {
    const storedBefore = await h.db.emailMessage.count({ where: { direction: "inbound" } });
    const outboxBefore = await h.db.outbox.count();
    const casesBefore = await h.db.case.count();
    for (const name of corpusNames()) {
      const raw = loadFixture(name);
      expect(await ingestFixture(name, SUPPORT, raw)).toEqual({ kind: "duplicate", messageId: messageIdOf(name, raw) });
    }
    expect(storedBefore).toBe(corpusNames().length);
    expect(await h.db.emailMessage.count({ where: { direction: "inbound" } })).toBe(storedBefore);
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    expect(await h.db.case.count()).toBe(casesBefore);
  }, 120_000);
});

describe("the corpus against an alias that only takes known partners", () => {
  const rewrite = (name: string, from: string, to: string, id: string) =>
    Buffer.from(
      loadFixture(name)
        .toString("latin1")
        .replace(/^From: .*$/m, `From: ${from}`)
        .replace(/^To: .*$/m, `To: ${to}`)
        .replace(/^Message-ID: .*$/m, `Message-ID: <${id}>`),
      "latin1",
    );

  it("refuses a stranger politely, once, with Auto-Submitted", async () => {
    const raw = rewrite("07-html-only.eml", "Stranger <stranger@elsewhere.example>", PURCHASING, "stranger-1@elsewhere.example");
    const outcome = await ingestFixture("07-html-only.eml", PURCHASING, raw);
    expect(outcome.kind).toBe("rejected");
    expect(await h.db.emailMessage.findUnique({ where: { messageId: "stranger-1@elsewhere.example" } })).toMatchObject({ status: "rejected" });
    expect(await h.db.claim.count()).toBe(0);
    const refusals = (await emailOutbox()).filter((r) => r.target === "stranger@elsewhere.example");
    expect(refusals).toHaveLength(1);
    expect((refusals[0]!.payload as unknown as EmailPayload).headers?.autoSubmitted).toBe("auto-replied");
    expect(await ingestFixture("07-html-only.eml", PURCHASING, raw)).toMatchObject({ kind: "duplicate" });
    expect((await emailOutbox()).filter((r) => r.target === "stranger@elsewhere.example")).toHaveLength(1);
  });

  it("ignores a stranger's out-of-office instead of refusing it (no answer to a robot)", async () => {
    const raw = rewrite("11-out-of-office.eml", "Robot <robot@elsewhere.example>", PURCHASING, "robot-1@elsewhere.example");
    expect((await ingestFixture("11-out-of-office.eml", PURCHASING, raw)).kind).toBe("ignored");
    expect((await emailOutbox()).filter((r) => r.target === "robot@elsewhere.example")).toEqual([]);
  });

  it("lets a known partner write: the sender of a corpus mail is one now", async () => {
    const raw = rewrite("01-no-message-id.eml", "Nora Plain <nora@customer.example>", PURCHASING, "nora-2@customer.example");
    const outcome = await ingestFixture("01-no-message-id.eml", PURCHASING, raw);
    expect(outcome).toMatchObject({ kind: "created", recordType: "claim" });
  });
});
