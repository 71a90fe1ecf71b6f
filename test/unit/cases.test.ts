import { describe, expect, it } from "vitest";
import {
  caseReference,
  compareNextToWork,
  firstStage,
  isOpenStage,
  matchCaseType,
  parseCaseReference,
  parseQuickCase,
  priorityRank,
  stagesForTeam,
  type CasePriority,
} from "../../src/domain/cases.js";

describe("case references", () => {
  it("formats with four digits and more when needed", () => {
    expect(caseReference(42)).toBe("CASE-0042");
    expect(caseReference(123456)).toBe("CASE-123456");
  });

  it("reads CASE-0042 and case-42, but not a bare number or other words", () => {
    expect(parseCaseReference("CASE-0042")).toBe(42);
    expect(parseCaseReference(" case-42 ")).toBe(42);
    expect(parseCaseReference("42")).toBeUndefined();
    expect(parseCaseReference("CASE-")).toBeUndefined();
    expect(parseCaseReference("CALL-0042")).toBeUndefined();
    expect(parseCaseReference("case-42 printer")).toBeUndefined();
  });
});

describe("the quick form", () => {
  it("reads partner, subject, priority and type", () => {
    expect(parseQuickCase("Acme: printer jams on tray 2 !high #hardware")).toEqual({
      ok: true,
      value: { partnerName: "Acme", subject: "printer jams on tray 2", priority: "high", typeName: "hardware" },
    });
  });

  it("has no partner without a colon, and markers may be anywhere", () => {
    expect(parseQuickCase("!urgent printer jams #Hardware now")).toEqual({ ok: true, value: { partnerName: undefined, subject: "printer jams now", priority: "urgent", typeName: "Hardware" } });
    expect(parseQuickCase("printer jams")).toEqual({ ok: true, value: { partnerName: undefined, subject: "printer jams", priority: undefined, typeName: undefined } });
  });

  it("keeps # followed by a digit in the subject (tray #2 is not a type)", () => {
    const parsed = parseQuickCase("Acme: jams on tray #2");
    expect(parsed).toMatchObject({ ok: true, value: { subject: "jams on tray #2", typeName: undefined } });
  });

  it("explains an unknown priority, two priorities, a missing partner or subject", () => {
    expect(parseQuickCase("Acme: jams !asap")).toEqual({ ok: false, reason: "Unknown priority “!asap”: use !low, !medium, !high or !urgent." });
    expect(parseQuickCase("jams !low !high")).toMatchObject({ ok: false, reason: expect.stringMatching(/at most one priority/) });
    expect(parseQuickCase("jams #a #b")).toMatchObject({ ok: false, reason: expect.stringMatching(/at most one case type/) });
    expect(parseQuickCase(": jams")).toMatchObject({ ok: false, reason: expect.stringMatching(/partner is missing/) });
    expect(parseQuickCase("Acme: !high")).toMatchObject({ ok: false, reason: expect.stringMatching(/Say what the case is about/) });
    expect(parseQuickCase(`x ${"y".repeat(400)}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/longer than 300/) });
  });
});

describe("case types", () => {
  const types = [{ name: "Hardware" }, { name: "Billing" }];
  it("match case-insensitively", () => {
    expect(matchCaseType("hardware", types)).toEqual({ ok: true, value: { name: "Hardware" } });
  });
  it("an unknown type lists the known ones", () => {
    expect(matchCaseType("hardwar", types)).toEqual({ ok: false, reason: "There is no case type “hardwar”. The case types are: Billing, Hardware." });
    expect(matchCaseType("x", [])).toMatchObject({ ok: false, reason: expect.stringMatching(/no case types are set up yet/) });
  });
});

describe("priorities, stages and the work order", () => {
  it("ranks priorities low < medium < high < urgent", () => {
    expect(["urgent", "low", "high", "medium"].sort((a, b) => priorityRank(a as CasePriority) - priorityRank(b as CasePriority))).toEqual(["low", "medium", "high", "urgent"]);
  });

  it("open and waiting stages are open", () => {
    expect([isOpenStage("open"), isOpenStage("waiting"), isOpenStage("done"), isOpenStage("cancelled")]).toEqual([true, true, false, false]);
  });

  it("finds the first stage of a kind by sequence, and a team's own stages before the shared ones", () => {
    const stages = [
      { id: "done", kind: "done" as const, sequence: 60, teamId: null },
      { id: "new", kind: "open" as const, sequence: 10, teamId: null },
      { id: "wait", kind: "waiting" as const, sequence: 40, teamId: null },
      { id: "t-open", kind: "open" as const, sequence: 5, teamId: "t1" },
    ];
    expect(firstStage(stages, ["open"])?.id).toBe("t-open");
    expect(firstStage(stagesForTeam(stages, "t2"), ["open"])?.id).toBe("new");
    expect(firstStage(stagesForTeam(stages, "t2"), ["done", "cancelled"])?.id).toBe("done");
    expect(stagesForTeam(stages, "t1").map((s) => s.id)).toEqual(["t-open"]);
  });

  it("orders next cases to work by level, then priority, then oldest first", () => {
    const at = (d: number) => new Date(Date.UTC(2026, 10, d));
    const cases = [
      { id: "a", level: 0, priority: "urgent" as const, createdAt: at(3) },
      { id: "b", level: 1, priority: "low" as const, createdAt: at(5) },
      { id: "c", level: 0, priority: "urgent" as const, createdAt: at(1) },
      { id: "d", level: 0, priority: "medium" as const, createdAt: at(1) },
    ];
    expect([...cases].sort(compareNextToWork).map((c) => c.id)).toEqual(["b", "c", "a", "d"]);
  });
});

describe("the case form", () => {
  it("leaves out the type and team selects when there is nothing to choose, but reads them on submit", async () => {
    const { caseForm } = await import("../../src/bot/views/case-forms.js");
    const empty = caseForm("UTC", { types: [], teams: [], channels: [], campaigns: [] });
    expect(empty.fields.map((f) => f.id)).not.toContain("type");
    expect(empty.fields.map((f) => f.id)).not.toContain("team");
    const forSubmit = caseForm("UTC", { types: [], teams: [], channels: [], campaigns: [] }, {}, { forSubmit: true });
    expect(forSubmit.fields.map((f) => f.id)).toEqual(["subject", "description", "type", "team", "priority", "partner", "assignee", "channel", "campaign", "internal", "plannedCloseAt"]);
    expect(empty.fields.map((f) => f.id)).not.toContain("channel");
  });
});
