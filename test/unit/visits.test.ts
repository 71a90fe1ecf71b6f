import { describe, expect, it } from "vitest";
import { policy, type Actor } from "../../src/domain/policy.js";
import { firstVisitStart, frequencyRRule, seriesStartFor, titleProblem, visitOrganizer, visitTitle } from "../../src/domain/visits.js";

const anActor = (over: Partial<Actor> = {}): Actor => ({ id: "a", role: "agent", teamIds: [], managedTeamIds: [], ...over });
const now = new Date("2026-03-01T12:00:00Z");

describe("visit titles", () => {
  it("puts the partner's name where {{partner}} is", () => {
    expect(visitTitle("Monthly visit {{partner}}", "Acme")).toBe("Monthly visit Acme");
  });
  it("appends the name when the title has no placeholder", () => {
    expect(visitTitle("Quarterly check", "Acme")).toBe("Quarterly check — Acme");
  });
  it("refuses an unknown placeholder and accepts {{partner}}", () => {
    expect(titleProblem("Visit {{customer}}")).toMatch(/Unknown placeholder \{\{customer\}\}/);
    expect(titleProblem("Visit {{partner}}")).toBeUndefined();
  });
});

describe("how often → RRULE", () => {
  const tuesday = new Date("2026-03-10T09:00:00Z"); // 2nd Tuesday of March, 10:00 in Berlin
  it("monthly keeps the weekday of the month of the first visit", () => {
    expect(frequencyRRule({ kind: "monthly" }, tuesday, "Europe/Berlin")).toEqual({ ok: true, value: "FREQ=MONTHLY;BYDAY=2TU" });
  });
  it("monthly from a 5th weekday uses the last one", () => {
    expect(frequencyRRule({ kind: "monthly" }, new Date("2026-03-31T09:00:00Z"), "Europe/Berlin")).toEqual({ ok: true, value: "FREQ=MONTHLY;BYDAY=-1TU" });
  });
  it("every N weeks, within 1 to 52", () => {
    expect(frequencyRRule({ kind: "weeks", every: 3 }, tuesday, "UTC")).toEqual({ ok: true, value: "FREQ=WEEKLY;INTERVAL=3" });
    expect(frequencyRRule({ kind: "weeks", every: 1 }, tuesday, "UTC")).toEqual({ ok: true, value: "FREQ=WEEKLY" });
    expect(frequencyRRule({ kind: "weeks", every: 0 }, tuesday, "UTC").ok).toBe(false);
    expect(frequencyRRule({ kind: "weeks", every: 53 }, tuesday, "UTC").ok).toBe(false);
  });
  it("a raw RRULE is checked by the recurrence module", () => {
    expect(frequencyRRule({ kind: "rrule", text: "rrule:freq=monthly;byday=2tu" }, tuesday, "Europe/Berlin")).toEqual({ ok: true, value: "FREQ=MONTHLY;BYDAY=2TU" });
    expect(frequencyRRule({ kind: "rrule", text: "FREQ=HOURLY" }, tuesday, "UTC")).toMatchObject({ ok: false });
    expect(frequencyRRule({ kind: "rrule", text: "not a rule" }, tuesday, "UTC")).toMatchObject({ ok: false });
  });
  it("a raw RRULE must include the first visit", () => {
    expect(frequencyRRule({ kind: "rrule", text: "FREQ=MONTHLY;BYDAY=1MO" }, tuesday, "Europe/Berlin")).toMatchObject({ ok: false, reason: expect.stringMatching(/first visit/) });
  });
});

describe("first visit in the person's time zone", () => {
  it("reads a local time in the zone, across DST", () => {
    expect(firstVisitStart("2026-04-14 10:00", "Europe/Berlin", now)).toEqual({ ok: true, value: new Date("2026-04-14T08:00:00Z") });
    expect(firstVisitStart("2026-03-10 10:00", "Europe/Berlin", now)).toEqual({ ok: true, value: new Date("2026-03-10T09:00:00Z") });
    expect(firstVisitStart("2026-03-10 10:00", "America/New_York", now)).toEqual({ ok: true, value: new Date("2026-03-10T14:00:00Z") });
  });
  it("refuses a past or unreadable time", () => {
    expect(firstVisitStart("2026-02-01 10:00", "UTC", now)).toMatchObject({ ok: false, reason: expect.stringMatching(/future/) });
    expect(firstVisitStart("next tuesday", "UTC", now)).toMatchObject({ ok: false });
  });
});

describe("where a partner's series starts", () => {
  const plan = { rrule: "FREQ=MONTHLY;BYDAY=2TU", firstStartAt: new Date("2026-01-13T09:00:00Z"), durationMinutes: 60, timeZone: "Europe/Berlin" };
  it("at the plan's first visit while it is ahead", () => {
    expect(seriesStartFor(plan, new Date("2026-01-01T00:00:00Z"))?.startAt).toEqual(plan.firstStartAt);
  });
  it("at the plan's next visit for a partner joining later, wall-clock time kept across DST", () => {
    const s = seriesStartFor(plan, now)!;
    expect(s.startAt).toEqual(new Date("2026-03-10T09:00:00Z"));
    expect(s.endAt).toEqual(new Date("2026-03-10T10:00:00Z"));
    expect(seriesStartFor(plan, new Date("2026-03-20T00:00:00Z"))!.startAt).toEqual(new Date("2026-04-14T08:00:00Z"));
  });
  it("with COUNT reduced by the visits already past, and none once the plan has ended", () => {
    const counted = { ...plan, rrule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=3" };
    expect(seriesStartFor(counted, now)!.rrule).toBe("FREQ=MONTHLY;BYDAY=2TU;COUNT=1");
    expect(seriesStartFor(counted, new Date("2026-04-01T00:00:00Z"))).toBeNull();
  });
});

describe("who organizes a partner's visits", () => {
  it("the active salesperson, else the plan's creator", () => {
    expect(visitOrganizer({ salespersonId: "s" }, new Set(["s"]), "c")).toEqual({ organizerId: "s", isFallback: false });
    expect(visitOrganizer({ salespersonId: null }, new Set(["s"]), "c")).toEqual({ organizerId: "c", isFallback: true });
    expect(visitOrganizer({ salespersonId: "s" }, new Set(), "c")).toEqual({ organizerId: "c", isFallback: true });
  });
});

describe("visit policy", () => {
  it("plans are managed by managers and admins only", () => {
    expect(policy.manageVisitPlans(anActor({ role: "manager" })).ok).toBe(true);
    expect(policy.manageVisitPlans(anActor({ role: "admin" })).ok).toBe(true);
    expect(policy.manageVisitPlans(anActor())).toMatchObject({ ok: false, reason: expect.stringMatching(/managers and admins/) });
  });
  it("a left partner's series is cancelled by its organizer, the plan's creator or an admin", () => {
    const series = { organizerId: "o", planCreatorId: "c" };
    expect(policy.cancelVisitSeries(anActor({ id: "o" }), series).ok).toBe(true);
    expect(policy.cancelVisitSeries(anActor({ id: "c" }), series).ok).toBe(true);
    expect(policy.cancelVisitSeries(anActor({ id: "x", role: "admin" }), series).ok).toBe(true);
    expect(policy.cancelVisitSeries(anActor({ id: "x", role: "manager" }), series).ok).toBe(false);
  });
});
