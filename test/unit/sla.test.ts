import { describe, expect, it } from "vitest";
import { breachDecision, formatDuration, needsWatch, parseDuration, pausedMs, slaDueTimes, type SlaCaseState } from "../../src/domain/sla.js";

const created = new Date("2026-11-23T10:00:00.000Z");

function state(over: Partial<SlaCaseState> = {}): SlaCaseState {
  return {
    isOpen: true,
    stageKind: "open",
    firstResponseAt: null,
    firstResponseDueAt: new Date("2026-11-23T11:00:00.000Z"),
    resolutionDueAt: new Date("2026-11-23T18:00:00.000Z"),
    slaEscalated: [],
    ...over,
  };
}

describe("SLA due times", () => {
  it("adds the targets to createdAt, plus any paused time; a missing target has no due time", () => {
    expect(slaDueTimes(created, { firstResponseMinutes: 60, resolutionMinutes: 480 })).toEqual({
      firstResponseDueAt: new Date("2026-11-23T11:00:00.000Z"),
      resolutionDueAt: new Date("2026-11-23T18:00:00.000Z"),
    });
    expect(slaDueTimes(created, { firstResponseMinutes: null, resolutionMinutes: 60 }, 30 * 60_000)).toEqual({
      firstResponseDueAt: null,
      resolutionDueAt: new Date("2026-11-23T11:30:00.000Z"),
    });
    expect(slaDueTimes(created, null)).toEqual({ firstResponseDueAt: null, resolutionDueAt: null });
  });

  it("sums pause intervals, counting a running pause up to now", () => {
    const at = (m: number) => new Date(created.getTime() + m * 60_000);
    expect(pausedMs([{ kind: "sla-paused", at: at(10) }, { kind: "sla-resumed", at: at(40) }], at(100))).toEqual({ total: 30 * 60_000, isPaused: false });
    expect(pausedMs([{ kind: "sla-paused", at: at(10) }, { kind: "sla-resumed", at: at(20) }, { kind: "sla-paused", at: at(50) }], at(60))).toEqual({
      total: 20 * 60_000,
      isPaused: true,
    });
  });
});

describe("SLA watch and breach decisions", () => {
  const due = "2026-11-23T11:00:00.000Z";
  const after = new Date("2026-11-23T11:00:00.500Z");

  it("watches open, unmet, not yet escalated deadlines, and not while waiting", () => {
    expect(needsWatch(state(), "first-response")).toBe(true);
    expect(needsWatch(state({ firstResponseAt: created }), "first-response")).toBe(false);
    expect(needsWatch(state({ firstResponseAt: created }), "resolution")).toBe(true);
    expect(needsWatch(state({ slaEscalated: ["resolution"] }), "resolution")).toBe(false);
    expect(needsWatch(state({ stageKind: "waiting" }), "resolution")).toBe(false);
    expect(needsWatch(state({ isOpen: false, stageKind: "done" }), "resolution")).toBe(false);
  });

  it("acts only once, on time, on an open, unanswered case whose due time is still the job's", () => {
    expect(breachDecision(state(), "first-response", due, after)).toEqual({ act: true });
    expect(breachDecision(state({ firstResponseAt: created }), "first-response", due, after)).toEqual({ act: false, why: "met" });
    expect(breachDecision(state({ slaEscalated: ["first-response"] }), "first-response", due, after)).toEqual({ act: false, why: "already" });
    expect(breachDecision(state(), "first-response", "2026-11-23T10:30:00.000Z", after)).toEqual({ act: false, why: "stale" });
    expect(breachDecision(state({ isOpen: false }), "resolution", "2026-11-23T18:00:00.000Z", after)).toEqual({ act: false, why: "closed" });
    expect(breachDecision(state({ stageKind: "waiting" }), "first-response", due, after)).toEqual({ act: false, why: "waiting" });
    expect(breachDecision(state(), "first-response", due, new Date("2026-11-23T10:50:00.000Z"))).toEqual({ act: false, why: "early" });
  });
});

describe("durations", () => {
  it("reads 30m, 4h, 2d, 1h30m and bare minutes, and refuses nonsense", () => {
    expect(parseDuration("30m")).toBe(30);
    expect(parseDuration("4h")).toBe(240);
    expect(parseDuration("2d")).toBe(2880);
    expect(parseDuration("1h30m")).toBe(90);
    expect(parseDuration("45")).toBe(45);
    expect(parseDuration("0m")).toBeUndefined();
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("")).toBeUndefined();
    expect(formatDuration(90)).toBe("1h 30m");
    expect(formatDuration(2880)).toBe("2d");
    expect(formatDuration(null)).toBe("none");
  });
});
