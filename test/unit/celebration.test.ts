import { describe, expect, it } from "vitest";
import { celebrationFor, celebrationWindows, type WinRecords } from "../../src/domain/celebration.js";

const aWin = (over: Partial<WinRecords> = {}): WinRecords => ({
  revenue: 1000,
  hasTeam: true,
  hasSalesperson: true,
  teamMax30: 5000,
  teamMax7: 5000,
  personalMax30: 5000,
  personalMax7: 5000,
  personalWonThisYear: 3,
  ...over,
});

describe("celebrationFor (Odoo's _get_rainbowman_message)", () => {
  it("says nothing when no record is beaten", () => {
    expect(celebrationFor(aWin())).toBeUndefined();
  });

  it("celebrates the salesperson's first deal of the year first, even without revenue", () => {
    expect(celebrationFor(aWin({ personalWonThisYear: 0, teamMax30: 10 }))).toBe("Go, go, go! Congrats for your first deal.");
    expect(celebrationFor(aWin({ personalWonThisYear: 0, revenue: null }))).toBe("Go, go, go! Congrats for your first deal.");
  });

  it("checks team 30 days, team 7 days, personal 30 days, personal 7 days, in that order", () => {
    expect(celebrationFor(aWin({ teamMax30: 999, teamMax7: 999, personalMax30: 999, personalMax7: 999 }))).toBe("Boom! Team record for the past 30 days.");
    expect(celebrationFor(aWin({ teamMax7: 999, personalMax30: 999, personalMax7: 999 }))).toBe("Yeah! Deal of the last 7 days for the team.");
    expect(celebrationFor(aWin({ personalMax30: 999, personalMax7: 999 }))).toBe("You just beat your personal record for the past 30 days.");
    expect(celebrationFor(aWin({ personalMax7: 999 }))).toBe("You just beat your personal record for the past 7 days.");
  });

  it("counts a window with no other deal as beaten, and a tie as not beaten", () => {
    expect(celebrationFor(aWin({ teamMax30: null, teamMax7: null }))).toBe("Boom! Team record for the past 30 days.");
    expect(celebrationFor(aWin({ teamMax30: 1000, teamMax7: 1000, personalMax30: 1000, personalMax7: 1000 }))).toBeUndefined();
  });

  it("has no record for a deal without revenue, nor team records without a team, nor personal ones without a salesperson", () => {
    expect(celebrationFor(aWin({ revenue: 0, teamMax30: null }))).toBeUndefined();
    expect(celebrationFor(aWin({ revenue: null, personalMax7: null }))).toBeUndefined();
    expect(celebrationFor(aWin({ hasTeam: false, teamMax30: null, teamMax7: null }))).toBeUndefined();
    expect(celebrationFor(aWin({ hasSalesperson: false, personalWonThisYear: 0, personalMax30: null }))).toBeUndefined();
  });
});

describe("celebrationWindows", () => {
  it("ends at now: 30 and 7 days back, and 1 January UTC of the year", () => {
    const w = celebrationWindows(new Date("2026-03-10T12:00:00Z"));
    expect(w).toEqual({ since30: new Date("2026-02-08T12:00:00Z"), since7: new Date("2026-03-03T12:00:00Z"), yearStart: new Date("2026-01-01T00:00:00Z") });
  });
});
