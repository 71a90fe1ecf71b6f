import { describe, expect, it } from "vitest";
import { parseQuickLead } from "../../src/domain/lead-quick-form.js";

describe("the lead quick form", () => {
  it("reads contact, company and email before the colon, the title and tags after it", () => {
    expect(parseQuickLead("Jane Roe, Globex, jane@globex.com: wants 40 seats #saas")).toEqual({
      ok: true,
      value: { title: "wants 40 seats", contactName: "Jane Roe", companyName: "Globex", email: "jane@globex.com", tags: ["saas"], expectedRevenue: undefined, priority: undefined },
    });
  });

  it("takes email and phone in any order after the name, and only the name", () => {
    const parsed = parseQuickLead("Jane Roe, +34 600-12 34 56, jane@globex.com: renewal");
    expect(parsed).toMatchObject({ ok: true, value: { contactName: "Jane Roe", phone: "+34 600-12 34 56", email: "jane@globex.com", title: "renewal" } });
    expect(parsed.ok && parsed.value.companyName).toBeUndefined();
  });

  it("reads $40k, $1.5m and $12,500 as expected revenue and !high / !veryhigh as priority", () => {
    expect(parseQuickLead("Globex: 40 seats $40k !high")).toMatchObject({ ok: true, value: { title: "40 seats", expectedRevenue: 40_000, priority: 2 } });
    expect(parseQuickLead("Globex: expansion $12,500 !veryhigh #a #b #A")).toMatchObject({ ok: true, value: { title: "expansion", expectedRevenue: 12_500, priority: 3, tags: ["a", "b"] } });
    expect(parseQuickLead("big one $1.5m")).toMatchObject({ ok: true, value: { title: "big one", expectedRevenue: 1_500_000 } });
  });

  it("without a colon the whole text is the title, and a link or a time is not a colon", () => {
    expect(parseQuickLead("Visitor asked about pricing at 10:30 on https://example.com/pricing")).toMatchObject({
      ok: true,
      value: { title: "Visitor asked about pricing at 10:30 on https://example.com/pricing" },
    });
    const parsed = parseQuickLead("someone at the booth wants a demo #expo");
    expect(parsed).toMatchObject({ ok: true, value: { title: "someone at the booth wants a demo", tags: ["expo"] } });
    expect(parsed.ok && parsed.value.contactName).toBeUndefined();
  });

  it("refuses an empty title, a bad email, a third name and a second priority with a sentence to act on", () => {
    expect(parseQuickLead("Jane Roe, Globex:   #saas")).toEqual({ ok: false, reason: expect.stringContaining("Say what the lead is about after the colon") });
    expect(parseQuickLead("")).toMatchObject({ ok: false });
    expect(parseQuickLead("Jane Roe, Globex, jane@: wants seats")).toEqual({ ok: false, reason: "That email address is not valid: jane@" });
    expect(parseQuickLead("Jane, Globex, Paris: seats")).toEqual({ ok: false, reason: expect.stringContaining("“Paris” is none of those") });
    expect(parseQuickLead("Globex: seats !high !low")).toMatchObject({ ok: false, reason: expect.stringContaining("at most one priority") });
    expect(parseQuickLead("Globex: seats !urgent")).toEqual({ ok: false, reason: "Unknown priority “!urgent”: use !low, !medium, !high or !veryhigh." });
    expect(parseQuickLead("Globex: seats $40k $50k")).toMatchObject({ ok: false, reason: expect.stringContaining("at most one expected revenue") });
    expect(parseQuickLead(": seats")).toMatchObject({ ok: false, reason: expect.stringContaining("contact is missing") });
  });

  it("refuses a huge title and a huge amount instead of cutting them", () => {
    expect(parseQuickLead(`Globex: ${"x".repeat(301)}`)).toMatchObject({ ok: false, reason: expect.stringContaining("longer than 300 characters") });
    expect(parseQuickLead("Globex: seats $9999999999999")).toEqual({ ok: false, reason: "That expected revenue is too large." });
  });
});
