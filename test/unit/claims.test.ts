import { describe, expect, it } from "vitest";
import { checkSourceDocument, claimReference, findCategory, MAX_ATTACHMENT_BYTES, nextState, parseClaimReference, parseQuickClaim, planAttachments } from "../../src/domain/claims.js";

describe("claim references", () => {
  it("formats CLM-0042 and reads it back in any case, with or without zeros", () => {
    expect(claimReference(42)).toBe("CLM-0042");
    expect(claimReference(12345)).toBe("CLM-12345");
    expect(parseClaimReference("CLM-0042")).toBe(42);
    expect(parseClaimReference("clm-12")).toBe(12);
    expect(parseClaimReference("CLM12")).toBe(12);
  });

  it("does not read other text as a reference", () => {
    expect(parseClaimReference("42")).toBeUndefined();
    expect(parseClaimReference("CASE-42")).toBeUndefined();
    expect(parseClaimReference("Acme: broken")).toBeUndefined();
  });
});

describe("the quick claim form", () => {
  it("reads partner, subject, #category and !priority", () => {
    expect(parseQuickClaim("Acme: 3 units arrived broken #shipment !high")).toEqual({
      ok: true,
      value: { kind: "customer", partnerName: "Acme", subject: "3 units arrived broken", categoryName: "shipment", priority: "high", sourceDocument: undefined },
    });
  });

  it("makes a supplier claim when the first word is supplier, and reads a hyphenated category as words", () => {
    const parsed = parseQuickClaim("supplier Globex: wrong parts #supplier-return");
    expect(parsed).toMatchObject({ ok: true, value: { kind: "supplier", partnerName: "Globex", subject: "wrong parts", categoryName: "supplier return" } });
  });

  it("reads a source document after ref:", () => {
    const parsed = parseQuickClaim("Acme: invoice charged twice ref:INV-2026-0042 #invoice");
    expect(parsed).toMatchObject({ ok: true, value: { subject: "invoice charged twice", sourceDocument: "INV-2026-0042", categoryName: "invoice" } });
    expect(parseQuickClaim("Acme: late ref:SO123")).toMatchObject({ ok: true, value: { sourceDocument: "SO123", subject: "late" } });
  });

  it("keeps a # inside a word and markers in the middle of the text", () => {
    expect(parseQuickClaim("Acme: part C#7 !urgent broke on arrival")).toMatchObject({ ok: true, value: { subject: "part C#7 broke on arrival", priority: "urgent" } });
  });

  it("explains what is wrong with unreadable input", () => {
    expect(parseQuickClaim("Acme broken units")).toMatchObject({ ok: false, reason: expect.stringMatching(/partner, a colon/) });
    expect(parseQuickClaim(": broken")).toMatchObject({ ok: false, reason: expect.stringMatching(/partner is missing/) });
    expect(parseQuickClaim("supplier : broken")).toMatchObject({ ok: false, reason: expect.stringMatching(/partner is missing/) });
    expect(parseQuickClaim("Acme: #shipment")).toMatchObject({ ok: false, reason: expect.stringMatching(/what went wrong/) });
    expect(parseQuickClaim("Acme: broken !asap")).toEqual({ ok: false, reason: "“!asap” is not a priority: use !low, !medium, !high or !urgent." });
    expect(parseQuickClaim("Acme: broken #a #b")).toEqual({ ok: false, reason: "Give one #category only." });
    expect(parseQuickClaim("Acme: broken ref:<bad>")).toMatchObject({ ok: false, reason: expect.stringMatching(/source document/) });
    expect(parseQuickClaim("Acme: broken ref:")).toMatchObject({ ok: false, reason: expect.stringMatching(/source document/) });
  });
});

describe("categories and source documents", () => {
  const categories = [{ name: "Invoice" }, { name: "Customer return" }, { name: "Supplier return" }];
  it("matches a category ignoring case, with hyphens for spaces", () => {
    expect(findCategory(categories, "customer-return")?.name).toBe("Customer return");
    expect(findCategory(categories, "INVOICE")?.name).toBe("Invoice");
    expect(findCategory(categories, "return")).toBeUndefined();
  });
  it("accepts document numbers and refuses other text", () => {
    expect(checkSourceDocument(" PO/2026/17 ")).toEqual({ ok: true, value: "PO/2026/17" });
    expect(checkSourceDocument("two words").ok).toBe(false);
  });
});

describe("claim states", () => {
  it("goes new → in progress → settled or rejected, and reopens to in progress", () => {
    expect(nextState("new", { kind: "start" })).toEqual({ ok: true, value: "in_progress" });
    expect(nextState("in_progress", { kind: "close", outcome: "settled", resolution: "Replaced" })).toEqual({ ok: true, value: "settled" });
    expect(nextState("new", { kind: "close", outcome: "rejected", resolution: "Not our fault" })).toEqual({ ok: true, value: "rejected" });
    expect(nextState("settled", { kind: "reopen" })).toEqual({ ok: true, value: "in_progress" });
  });
  it("needs a resolution to close, and refuses moves that make no sense", () => {
    expect(nextState("in_progress", { kind: "close", outcome: "settled", resolution: "  " })).toMatchObject({ ok: false, reason: expect.stringMatching(/needs a resolution/) });
    expect(nextState("settled", { kind: "close", outcome: "rejected", resolution: "x" })).toMatchObject({ ok: false, reason: "The claim is already settled." });
    expect(nextState("in_progress", { kind: "start" })).toMatchObject({ ok: false });
    expect(nextState("new", { kind: "reopen" })).toEqual({ ok: false, reason: "The claim is still open." });
  });
});

describe("attachment limits", () => {
  it("keeps files under 10 MB each and 25 MB per claim, with a note for each one skipped", () => {
    const mb = 1024 * 1024;
    const plan = planAttachments([
      { name: "a.jpg", size: 9 * mb },
      { name: "huge.mov", size: MAX_ATTACHMENT_BYTES + 1 },
      { name: "b.jpg", size: 9 * mb },
      { name: "c.jpg", size: 9 * mb },
      { name: "d.txt", size: 100 },
    ]);
    expect(plan.keep.map((f) => f.name)).toEqual(["a.jpg", "b.jpg", "d.txt"]);
    expect(plan.skipped).toEqual(["huge.mov was not kept: it is 10 MB, over the 10 MB limit per file.", "c.jpg was not kept: the claim's files would pass 25 MB."]);
  });
});

describe("files of the message a claim is opened from", () => {
  it("Slack: carries only the files' ids through the form", async () => {
    const { fileRefsOf } = await import("../../src/bot/slack/files.js");
    expect(fileRefsOf({ message: { files: [{ id: "F1ABC" }, { id: "F2DEF" }] } })).toBe("F1ABC,F2DEF");
    expect(fileRefsOf({ message: { text: "no files" } })).toBeUndefined();
    expect(fileRefsOf({ message: { files: [{ id: "not-an-id" }] } })).toBeUndefined();
  });

  it("Teams: keeps images and personal-chat files, notes SharePoint files, ignores cards, and fits the context budget", async () => {
    const { teamsFileRefs } = await import("../../src/bot/teams/files.js");
    const refs = JSON.parse(
      teamsFileRefs([
        { contentType: "image/png", contentUrl: "https://smba.trafficmanager.net/emea/v3/attachments/a1/views/original", name: "photo.png" },
        { contentType: "application/vnd.microsoft.teams.file.download.info", name: "note.pdf", content: { downloadUrl: "https://x.sharepoint.com/download?t=1" } },
        { contentType: "reference", contentUrl: "https://x.sharepoint.com/sites/a/b.xlsx", name: "b.xlsx" },
        { contentType: "application/vnd.microsoft.card.adaptive", content: {} },
      ])!,
    );
    expect(refs).toEqual([
      { n: "photo.png", t: "image/png", u: "https://smba.trafficmanager.net/emea/v3/attachments/a1/views/original", b: 1 },
      { n: "note.pdf", t: "application/octet-stream", u: "https://x.sharepoint.com/download?t=1" },
      { n: "b.xlsx", t: "application/octet-stream", x: "it is a SharePoint file (Switchboard has no Graph permission)" },
    ]);
    const many = Array.from({ length: 8 }, (_, i) => ({ contentType: "image/png", contentUrl: `https://smba.trafficmanager.net/${"x".repeat(300)}/${i}`, name: `p${i}.png` }));
    const carried = teamsFileRefs(many)!;
    expect(carried.length).toBeLessThanOrEqual(2000);
    expect(JSON.parse(carried).filter((f: { x?: string }) => f.x).length).toBeGreaterThan(0);
    expect(teamsFileRefs([])).toBeUndefined();
  });
});
