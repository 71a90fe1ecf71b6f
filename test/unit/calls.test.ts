import { describe, expect, it } from "vitest";
import { callChoices, callReference, heldDuration, isDue, mentionsVoicemail, parseCallReference, parseQuickCall } from "../../src/domain/calls.js";

const now = new Date("2026-11-23T09:00:00Z"); // 10:00 in Berlin

describe("the quick call form", () => {
  it("reads partner, subject and duration of a held outbound call at the current time", () => {
    expect(parseQuickCall("Acme Corp: discussed renewal, 20m", now, "Europe/Berlin")).toEqual({
      ok: true,
      value: { partnerName: "Acme Corp", subject: "discussed renewal", durationMinutes: 20, callAt: now, state: "held", direction: "outbound", kind: "call" },
    });
  });

  it("reads hours and minutes, and 'from' as an inbound call", () => {
    const parsed = parseQuickCall("from Globex: asked about pricing, 1h30m", now, "Europe/Berlin");
    expect(parsed).toMatchObject({ ok: true, value: { partnerName: "Globex", durationMinutes: 90, direction: "inbound" } });
  });

  it("plans a call for a time in plain words, in the person's time zone", () => {
    const parsed = parseQuickCall("Acme: send the quote tomorrow 10am", now, "Europe/Berlin");
    expect(parsed).toMatchObject({ ok: true, value: { state: "planned", subject: "send the quote", callAt: new Date("2026-11-24T09:00:00Z") } });
    const inNewYork = parseQuickCall("Acme: send the quote tomorrow 10am", now, "America/New_York");
    expect(inNewYork).toMatchObject({ ok: true, value: { callAt: new Date("2026-11-24T15:00:00Z") } });
  });

  it("reads a time across a daylight-saving change with the offset of that date", () => {
    const march = new Date("2026-03-27T09:00:00Z"); // Berlin switches to CEST on 29 March
    const parsed = parseQuickCall("Acme: check in on 2026-03-30 at 9am", march, "Europe/Berlin");
    expect(parsed).toMatchObject({ ok: true, value: { callAt: new Date("2026-03-30T07:00:00Z"), subject: "check in" } });
  });

  it("explains the format when the colon, partner or subject is missing", () => {
    for (const text of ["Acme discussed renewal", ": discussed renewal", "Acme: 20m"]) {
      const parsed = parseQuickCall(text, now, "UTC");
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(/\/crm call Acme Corp: discussed renewal, 20m/);
    }
  });

  it("refuses calls longer than a day and subjects longer than 500 characters", () => {
    expect(parseQuickCall("Acme: marathon, 30h", now, "UTC")).toMatchObject({ ok: false, reason: expect.stringMatching(/24 hours/) });
    expect(parseQuickCall(`Acme: ${"x".repeat(501)}`, now, "UTC")).toMatchObject({ ok: false, reason: expect.stringMatching(/500 characters/) });
  });
});

describe("planned calls", () => {
  const planned = { state: "planned" as const, callAt: new Date("2026-11-23T08:59:00Z"), dueNotifiedAt: null };
  it("are due at their time, once, and only while planned", () => {
    expect(isDue(planned, now)).toBe(true);
    expect(isDue({ ...planned, callAt: new Date("2026-11-23T09:01:00Z") }, now)).toBe(false);
    expect(isDue({ ...planned, dueNotifiedAt: now }, now)).toBe(false);
    expect(isDue({ ...planned, state: "held" }, now)).toBe(false);
    expect(isDue({ ...planned, state: "cancelled" }, now)).toBe(false);
  });
});

describe("call references", () => {
  it("read and write CALL-0042", () => {
    expect(callReference(42)).toBe("CALL-0042");
    expect(parseCallReference("CALL-0042")).toBe(42);
    expect(parseCallReference("call-42")).toBe(42);
    expect(parseCallReference("Acme: hi")).toBeUndefined();
  });
});

describe("voicemail in the quick form", () => {
  it("reads 'left a voicemail' and its variants as a held voicemail, now", () => {
    for (const text of ["left a voicemail", "Voice mail about the renewal", "no answer, VM left", "left a message for Ada", "voice-mail"]) {
      expect(mentionsVoicemail(text), text).toBe(true);
    }
    for (const text of ["discussed the mailing", "email sent", "voiceover", "left early"]) expect(mentionsVoicemail(text), text).toBe(false);
    const parsed = parseQuickCall("Acme: left a voicemail", now, "Europe/Berlin");
    expect(parsed).toMatchObject({ ok: true, value: { kind: "voicemail", state: "held", callAt: now, subject: "left a voicemail" } });
  });

  it("never plans a voicemail: one with a future time is held now", () => {
    const parsed = parseQuickCall("Acme: left a voicemail tomorrow 10am", now, "Europe/Berlin");
    expect(parsed).toMatchObject({ ok: true, value: { kind: "voicemail", state: "held", callAt: now } });
  });
});

describe("marking a call held", () => {
  const callAt = new Date("2026-11-23T08:00:00Z");
  it("keeps a given duration (capped at a day), else computes now − call time (OCA), none before the call time", () => {
    expect(heldDuration(callAt, now, 25)).toBe(25);
    expect(heldDuration(callAt, now, 0)).toBe(0);
    expect(heldDuration(callAt, now)).toBe(60);
    expect(heldDuration(callAt, new Date("2026-11-30T08:00:00Z"))).toBe(24 * 60);
    expect(heldDuration(new Date("2026-11-24T08:00:00Z"), now)).toBeNull();
  });

  it("offers held and cancel only while planned, and converting only once and never when cancelled", () => {
    expect(callChoices({ state: "planned" })).toEqual({ canHold: true, canCancel: true, canConvert: true });
    expect(callChoices({ state: "held" })).toEqual({ canHold: false, canCancel: false, canConvert: true });
    expect(callChoices({ state: "held", leadId: "l1" })).toEqual({ canHold: false, canCancel: false, canConvert: false });
    expect(callChoices({ state: "cancelled" })).toEqual({ canHold: false, canCancel: false, canConvert: false });
  });
});
