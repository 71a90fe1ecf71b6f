// The SMTP replies of the inbound listener over a real SMTP conversation (nodemailer), around an intake the test controls.
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IngestOutcome } from "../../src/handlers/mail/ingest-email.js";
import type { Envelope } from "../../src/mail/inbound-email.js";
import { listenForMail, type SmtpListener } from "../../src/mail/smtp-listener.js";
import { silentLogger } from "../support/test-config.js";

const MAX_BYTES = 64 * 1024;

interface Call {
  raw: Buffer;
  envelope: Envelope;
}

let listener: SmtpListener;
let calls: Call[];
let recipientCheck: (address: string) => Promise<boolean>;
let ingest: (raw: Buffer, envelope: Envelope) => Promise<IngestOutcome>;

beforeAll(async () => {
  listener = await listenForMail(
    {
      isKnownRecipient: (address) => recipientCheck(address),
      ingest: (raw, envelope) => {
        calls.push({ raw, envelope });
        return ingest(raw, envelope);
      },
    },
    { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES, logger: silentLogger },
  );
});
afterAll(async () => {
  await listener?.close();
});
beforeEach(() => {
  calls = [];
  recipientCheck = async (address) => address.startsWith("support");
  ingest = async () => ({ kind: "created", recordType: "case", recordId: "c1", reference: "CASE-0001" });
});

const transport = () => nodemailer.createTransport({ host: "127.0.0.1", port: listener.port, secure: false, ignoreTLS: true });

function rawMessage(body = "The printer jams again.", messageId = `<${Math.random().toString(36).slice(2)}@customer.test>`): string {
  return [`From: Carla <carla@customer.test>`, `To: support@acme.test`, `Subject: Printer`, `Message-ID: ${messageId}`, "", body, ""].join("\r\n");
}

async function send(to: string[], raw: string, from = "carla@customer.test") {
  return transport().sendMail({ envelope: { from, to }, raw });
}

/** The SMTP reply code a failed send carries. */
async function refusal(promise: Promise<unknown>): Promise<{ code?: number; response?: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { responseCode?: number; response?: string };
    return { code: e.responseCode, response: e.response };
  }
  throw new Error("the send was accepted");
}

describe("SMTP listener", () => {
  it("answers 250 after the ingest, with the exact bytes, lower-cased RCPT TO addresses and MAIL FROM", async () => {
    const raw = rawMessage();
    const info = await send(["Support@ACME.test", "support+c1-abc@acme.test"], raw);
    expect(info.response).toMatch(/^250/);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.raw.toString("utf8").replace(/\r\n$/, "")).toBe(raw.replace(/\r\n$/, ""));
    expect(calls[0]!.envelope).toEqual({ recipients: ["support@acme.test", "support+c1-abc@acme.test"], mailFrom: "carla@customer.test", via: "smtp" });
  });

  it("refuses an unknown recipient at RCPT TO with 550 5.1.1 and never reads the message", async () => {
    const failed = await refusal(send(["nobody@acme.test"], rawMessage()));
    expect(failed.code).toBe(550);
    expect(failed.response).toMatch(/5\.1\.1 no such mailbox here/);
    expect(calls).toHaveLength(0);
  });

  it("keeps the known recipients of a message that also names an unknown one", async () => {
    const info = await send(["support@acme.test", "nobody@acme.test"], rawMessage());
    expect(info.accepted).toEqual(["support@acme.test"]);
    expect(info.rejected).toEqual(["nobody@acme.test"]);
    expect(calls[0]!.envelope.recipients).toEqual(["support@acme.test"]);
  });

  it("answers 451 when the recipient cannot be checked (database down), so the MTA retries", async () => {
    recipientCheck = async () => {
      throw new Error("connection refused");
    };
    const failed = await refusal(send(["support@acme.test"], rawMessage()));
    expect(failed.code).toBe(451);
    expect(calls).toHaveLength(0);
  });

  it("answers 451 4.3.0 when the ingest cannot commit, and 250 when the retry can", async () => {
    ingest = async () => {
      throw new Error("the database is down");
    };
    const raw = rawMessage();
    const failed = await refusal(send(["support@acme.test"], raw));
    expect(failed.code).toBe(451);
    expect(failed.response).toMatch(/4\.3\.0/);
    ingest = async () => ({ kind: "created", recordType: "case", recordId: "c1", reference: "CASE-0001" });
    expect((await send(["support@acme.test"], raw)).response).toMatch(/^250/);
    expect(calls).toHaveLength(2);
  });

  it("refuses a message over the size limit with 552 5.3.4 without ingesting it", async () => {
    const failed = await refusal(send(["support@acme.test"], rawMessage(`${"y".repeat(76)}\r\n`.repeat(Math.ceil(MAX_BYTES / 78) + 10))));
    expect(failed.code).toBe(552);
    expect(failed.response).toMatch(/5\.3\.4/);
    expect(calls).toHaveLength(0);
    // The session is still usable for the next message.
    expect((await send(["support@acme.test"], rawMessage())).response).toMatch(/^250/);
  });

  it("accepts a message just under the limit, whole", async () => {
    const head = rawMessage("");
    const target = MAX_BYTES - 100;
    const lines = `${"z".repeat(76)}\r\n`.repeat(Math.floor((target - Buffer.byteLength(head)) / 78));
    const raw = head + lines + "z".repeat(target - Buffer.byteLength(head) - lines.length);
    expect((await send(["support@acme.test"], raw)).response).toMatch(/^250/);
    expect(calls[0]!.raw.length).toBeGreaterThan(MAX_BYTES - 110);
    expect(calls[0]!.raw.toString("utf8")).toContain(raw.slice(-200));
  });

  it("answers 550 when the ingest finds no recipient of ours, and 250 for every other outcome", async () => {
    ingest = async () => ({ kind: "unknown-recipient" });
    expect((await refusal(send(["support@acme.test"], rawMessage()))).code).toBe(550);
    const others: IngestOutcome[] = [
      { kind: "threaded", recordType: "case", recordId: "c1", reference: "CASE-0001" },
      { kind: "duplicate", messageId: "m@x" },
      { kind: "rejected", reason: "contact policy" },
      { kind: "ignored", reason: "auto-submitted" },
      { kind: "bounce", address: null },
    ];
    for (const outcome of others) {
      ingest = async () => outcome;
      expect((await send(["support@acme.test"], rawMessage())).response, outcome.kind).toMatch(/^250/);
    }
  });

  it("greets as Switchboard and offers SIZE but neither AUTH nor STARTTLS", async () => {
    const { Socket } = await import("node:net");
    const socket = new Socket();
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("utf8")));
    await new Promise<void>((resolve) => socket.connect(listener.port, "127.0.0.1", resolve));
    const waitText = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(text); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitText(/^220 /m);
    socket.write("EHLO test\r\n");
    await waitText(/^250 /m);
    socket.end("QUIT\r\n");
    expect(text).toMatch(/^220 .*Switchboard/m);
    expect(text).toMatch(new RegExp(`^250[- ]SIZE ${MAX_BYTES}\\r$`, "m"));
    expect(text).not.toMatch(/STARTTLS|AUTH/);
  });
});

describe("SMTP listener shutdown", () => {
  it("lets an ingestion in flight finish and answer 250 before close resolves", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let committed = false;
    const own = await listenForMail(
      {
        isKnownRecipient: async () => true,
        ingest: async () => {
          await gate;
          committed = true;
          return { kind: "created", recordType: "case", recordId: "c9", reference: "CASE-0009" };
        },
      },
      { port: 0, host: "127.0.0.1", maxBytes: MAX_BYTES, logger: silentLogger },
    );
    const sending = nodemailer.createTransport({ host: "127.0.0.1", port: own.port, ignoreTLS: true }).sendMail({ envelope: { from: "a@b.test", to: ["s@acme.test"] }, raw: rawMessage() });
    await new Promise((r) => setTimeout(r, 200));
    const closing = own.close();
    setTimeout(release, 100);
    await closing;
    expect(committed).toBe(true);
    expect((await sending).response).toMatch(/^250/);
  });
});
