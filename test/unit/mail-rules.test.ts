import { describe, expect, it } from "vitest";
import {
  automaticMailReason,
  cleanMessageId,
  cleanSubject,
  defaultRecordKind,
  isDeliveryReport,
  isThrottled,
  LOOP_THRESHOLD,
  LOOP_WINDOW_MINUTES,
  loopWindowStart,
  MAX_REFERENCES,
  mayWrite,
  normalizeAddress,
  outgoingMessageId,
  plusAddress,
  readReplyToken,
  referenceInSubject,
  replyToken,
  syntheticMessageId,
  threadIds,
  withoutPlusTag,
} from "../../src/domain/mail-rules.js";

const headers = (entries: Record<string, string> = {}) => new Map(Object.entries(entries));
const person = "ada@customer.example";

describe("automaticMailReason", () => {
  it("lets a person's mail through, including one that says Auto-Submitted: no", () => {
    expect(automaticMailReason(headers(), person)).toBeNull();
    expect(automaticMailReason(headers({ "auto-submitted": "no" }), person)).toBeNull();
    expect(automaticMailReason(headers({ "auto-submitted": " No (sent by a person)" }), person)).toBeNull();
    expect(automaticMailReason(headers({ precedence: "first-class" }), person)).toBeNull();
    expect(automaticMailReason(headers({ "x-mailer": "Outlook" }), person)).toBeNull();
  });

  it("flags every Auto-Submitted value other than no (RFC 3834)", () => {
    expect(automaticMailReason(headers({ "auto-submitted": "auto-replied" }), person)).toBe("Auto-Submitted: auto-replied");
    expect(automaticMailReason(headers({ "auto-submitted": "Auto-Generated" }), person)).toBe("Auto-Submitted: auto-generated");
    expect(automaticMailReason(headers({ "auto-submitted": "auto-notified" }), person)).toBe("Auto-Submitted: auto-notified");
    expect(automaticMailReason(headers({ "auto-submitted": "notified-by-robot" }), person)).toBe("Auto-Submitted: notified-by-robot");
    expect(automaticMailReason(headers({ "auto-submitted": "x".repeat(100) }), person)).toBe(`Auto-Submitted: ${"x".repeat(40)}`);
  });

  it.each(["bulk", "list", "junk", "auto_reply", " BULK "])("flags Precedence: %s", (value) => {
    expect(automaticMailReason(headers({ precedence: value }), person)).toBe(`Precedence: ${value.trim().toLowerCase()}`);
  });

  it("flags X-Autoreply, X-Autorespond and Exchange's X-Auto-Response-Suppress", () => {
    expect(automaticMailReason(headers({ "x-autoreply": "yes" }), person)).toBe("X-Autoreply");
    expect(automaticMailReason(headers({ "x-autorespond": "" }), person)).toBe("X-Autoreply");
    expect(automaticMailReason(headers({ "x-auto-response-suppress": "All" }), person)).toBe("X-Auto-Response-Suppress: All");
    expect(automaticMailReason(headers({ "x-auto-response-suppress": "  " }), person)).toBeNull();
  });

  it("flags mailer-daemon and postmaster senders, whatever their case", () => {
    expect(automaticMailReason(headers(), "MAILER-DAEMON@mx.example.com")).toBe("sent by mailer-daemon");
    expect(automaticMailReason(headers(), "postmaster@example.com")).toBe("sent by postmaster");
    expect(automaticMailReason(headers(), "postmaster.jones@example.com")).toBeNull();
    expect(automaticMailReason(headers(), "")).toBeNull();
  });
});

describe("isDeliveryReport", () => {
  it("is a multipart/report or a mailer-daemon message, nothing else", () => {
    expect(isDeliveryReport("multipart/report", person)).toBe(true);
    expect(isDeliveryReport("Multipart/Report; report-type=delivery-status", person)).toBe(true);
    expect(isDeliveryReport("text/plain", "Mailer-Daemon@mx.example.com")).toBe(true);
    expect(isDeliveryReport("text/plain", "postmaster@example.com")).toBe(false);
    expect(isDeliveryReport(undefined, person)).toBe(false);
    expect(isDeliveryReport("multipart/mixed", person)).toBe(false);
  });
});

describe("addresses and plus tags", () => {
  it("normalizes an address or gives empty for what is not one", () => {
    expect(normalizeAddress("  Ada@Example.COM ")).toBe("ada@example.com");
    for (const bad of ["", null, undefined, "ada", "ada@localhost", "a b@example.com", "<ada@example.com>", "@example.com"]) {
      expect(normalizeAddress(bad)).toBe("");
    }
  });

  it("splits off the +tag, and leaves an address without one alone", () => {
    expect(withoutPlusTag("support+c42-1a2b3c4d@acme.com")).toEqual({ base: "support@acme.com", tag: "c42-1a2b3c4d" });
    expect(withoutPlusTag("support@acme.com")).toEqual({ base: "support@acme.com", tag: null });
    expect(withoutPlusTag("support+@acme.com")).toEqual({ base: "support@acme.com", tag: null });
    expect(withoutPlusTag("a+b+c@acme.com")).toEqual({ base: "a@acme.com", tag: "b+c" });
    expect(withoutPlusTag("+tag@acme.com")).toEqual({ base: "@acme.com", tag: "tag" });
    expect(withoutPlusTag("no-at-sign")).toEqual({ base: "no-at-sign", tag: null });
  });

  it("builds the plus-address of an alias, and round-trips it", () => {
    expect(plusAddress("support@acme.com", "c42-1a2b3c4d")).toBe("support+c42-1a2b3c4d@acme.com");
    expect(withoutPlusTag(plusAddress("support@acme.com", "l7-00ff00ff"))).toEqual({ base: "support@acme.com", tag: "l7-00ff00ff" });
    expect(plusAddress("not-an-address", "x")).toBe("not-an-address");
  });
});

describe("reply tokens", () => {
  const secret = "s3cret";

  it("reads back the record of its own token, for each kind", () => {
    for (const [kind, letter] of [["case", "c"], ["claim", "m"], ["lead", "l"]] as const) {
      const token = replyToken(secret, kind, 42);
      expect(token).toMatch(new RegExp(`^${letter}42-[0-9a-f]{8}$`));
      expect(readReplyToken(secret, token)).toEqual({ kind, number: 42 });
    }
  });

  it("accepts the token in upper case (some mail systems upper-case local parts)", () => {
    expect(readReplyToken(secret, replyToken(secret, "claim", 7).toUpperCase())).toEqual({ kind: "claim", number: 7 });
  });

  it("refuses a wrong MAC, another record's MAC, another kind's MAC and another secret's token", () => {
    const token = replyToken(secret, "case", 42);
    const mac = token.split("-")[1]!;
    const flipped = `${mac.slice(0, 7)}${mac[7] === "0" ? "1" : "0"}`;
    expect(readReplyToken(secret, `c42-${flipped}`)).toBeNull();
    expect(readReplyToken(secret, `c43-${mac}`)).toBeNull();
    expect(readReplyToken(secret, `l42-${mac}`)).toBeNull();
    expect(readReplyToken("other", token)).toBeNull();
  });

  it("refuses malformed tags", () => {
    const token = replyToken(secret, "case", 42);
    for (const tag of [null, "", "c42", "x42-1a2b3c4d", "c42-1a2b3c4", "c42-1a2b3c4d5", "c-1a2b3c4d", "c42-zzzzzzzz", ` ${token}`, `${token}x`, "c1234567890-1a2b3c4d"]) {
      expect(readReplyToken(secret, tag)).toBeNull();
    }
  });
});

describe("message ids and references", () => {
  it("cleans a Message-ID, or gives null for nothing usable", () => {
    expect(cleanMessageId("<abc@example.com>")).toBe("abc@example.com");
    expect(cleanMessageId("  <<abc@example.com>> ")).toBe("abc@example.com");
    expect(cleanMessageId("abc@example.com")).toBe("abc@example.com");
    for (const bad of [undefined, null, "", "<>", "< >", "<a b@example.com>", `<${"x".repeat(501)}>`]) expect(cleanMessageId(bad)).toBeNull();
  });

  it("lists References then In-Reply-To, cleaned and without repeats, newest last", () => {
    expect(threadIds("<a@x> <b@x>,<c@x>", "<d@x>")).toEqual(["a@x", "b@x", "c@x", "d@x"]);
    expect(threadIds(["<a@x>", "<b@x>"], "<b@x>")).toEqual(["a@x", "b@x"]);
    expect(threadIds(undefined, "<d@x>")).toEqual(["d@x"]);
    expect(threadIds(undefined, undefined)).toEqual([]);
    expect(threadIds("<a@x><b@x>", undefined)).toEqual(["a@x", "b@x"]);
  });

  it("keeps In-Reply-To last even when References named it first", () => {
    const refs = ["<parent@x>", ...Array.from({ length: 40 }, (_, i) => `<r${i}@x>`)];
    const ids = threadIds(refs, "<parent@x>");
    expect(ids).toHaveLength(MAX_REFERENCES);
    expect(ids.at(-1)).toBe("parent@x");
  });

  it("caps at the last 32 ids", () => {
    const refs = Array.from({ length: 200 }, (_, i) => `<r${i}@x>`).join(" ");
    const ids = threadIds(refs, undefined);
    expect(MAX_REFERENCES).toBe(32);
    expect(ids).toHaveLength(32);
    expect(ids[0]).toBe("r168@x");
    expect(ids.at(-1)).toBe("r199@x");
  });

  it("gives stable synthetic and outgoing ids", () => {
    expect(syntheticMessageId("ab12")).toBe("sha256-ab12@switchboard.invalid");
    expect(outgoingMessageId("r4nd", "case-42", "support@acme.com")).toBe("r4nd.case-42@acme.com");
    expect(outgoingMessageId("r4nd", "case-42", "nodomain")).toBe("r4nd.case-42@switchboard.invalid");
  });
});

describe("subjects", () => {
  it.each([
    ["Re: Fwd: AW: Printer broken", "Printer broken"],
    ["RE: re: RE:Printer broken", "Printer broken"],
    ["Re[2]: Printer broken", "Printer broken"],
    ["Fw: WG: SV: VS: TR: RIF: R: Printer broken", "Printer broken"],
    ["Re : Printer broken", "Printer broken"],
    ["Re: [CASE-0042] Printer broken", "[CASE-0042] Printer broken"],
    ["Reply needed: Printer broken", "Reply needed: Printer broken"],
    ["Trouble: printer", "Trouble: printer"],
    ["Printer\r\n broken\tagain", "Printer broken again"],
    ["", "(no subject)"],
    ["Re: ", "(no subject)"],
  ])("cleans %j to %j", (subject, expected) => {
    expect(cleanSubject(subject)).toBe(expected);
  });

  it("handles no subject and caps a long one at 200 characters", () => {
    expect(cleanSubject(undefined)).toBe("(no subject)");
    expect(cleanSubject(`Re: ${"x".repeat(300)}`)).toBe("x".repeat(200));
  });

  it("finds a record reference in a subject", () => {
    expect(referenceInSubject("Re: [CASE-0042] Printer broken")).toEqual({ kind: "case", number: 42 });
    expect(referenceInSubject("clm-7 refund")).toEqual({ kind: "claim", number: 7 });
    expect(referenceInSubject("About LEAD-12")).toEqual({ kind: "lead", number: 12 });
    expect(referenceInSubject("About OPP-12")).toEqual({ kind: "lead", number: 12 });
    expect(referenceInSubject("SHOWCASE-12 and CASE-")).toBeNull();
    expect(referenceInSubject("CASE-1234567890")).toBeNull();
    expect(referenceInSubject("Printer broken")).toBeNull();
  });
});

describe("routing and throttling", () => {
  it("chooses the record kind by team kind", () => {
    expect(defaultRecordKind("sales")).toBe("lead");
    expect(defaultRecordKind("purchasing")).toBe("claim");
    expect(defaultRecordKind("support")).toBe("case");
    expect(defaultRecordKind("engineering")).toBe("case");
  });

  it("lets senders write by the alias's contact policy", () => {
    const stranger = { isKnownPartner: false, isWatcher: false };
    const partner = { isKnownPartner: true, isWatcher: false };
    const watcher = { isKnownPartner: false, isWatcher: true };
    expect([stranger, partner, watcher].map((s) => mayWrite("everyone", s))).toEqual([true, true, true]);
    expect([stranger, partner, watcher].map((s) => mayWrite("partners", s))).toEqual([false, true, true]);
    expect([stranger, partner, watcher].map((s) => mayWrite("watchers", s))).toEqual([false, false, true]);
  });

  it("throttles a sender at 20 records in 2 hours", () => {
    expect(LOOP_THRESHOLD).toBe(20);
    expect(isThrottled(LOOP_THRESHOLD - 1)).toBe(false);
    expect(isThrottled(LOOP_THRESHOLD)).toBe(true);
    expect(LOOP_WINDOW_MINUTES).toBe(120);
    expect(loopWindowStart(new Date("2026-11-23T12:00:00Z"))).toEqual(new Date("2026-11-23T10:00:00Z"));
  });
});
