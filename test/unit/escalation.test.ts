import { describe, expect, it } from "vitest";
import { escalatedLevel, escalationSummary, escalationTarget } from "../../src/domain/escalation.js";

const parent = { id: "p", name: "Support L2", managerId: "boss2" };

describe("escalation target (OpenERP case_escalate)", () => {
  it("moves the case to the parent team, to the parent's manager when it has one", () => {
    expect(escalationTarget({ assigneeId: "ana" }, { id: "t", name: "Support", managerId: "boss", parent })).toEqual({
      kind: "parent-team",
      teamId: "p",
      teamName: "Support L2",
      assigneeId: "boss2",
    });
  });

  it("keeps the assignee when the parent team has no manager", () => {
    const t = escalationTarget({ assigneeId: "ana" }, { id: "t", name: "Support", managerId: null, parent: { ...parent, managerId: null } });
    expect(t).toMatchObject({ kind: "parent-team", assigneeId: "ana" });
  });

  it("gives the case to the team's manager when there is no parent team", () => {
    expect(escalationTarget({ assigneeId: "ana" }, { id: "t", name: "Support", managerId: "boss", parent: null })).toEqual({
      kind: "manager",
      teamId: "t",
      teamName: "Support",
      assigneeId: "boss",
    });
  });

  it("refuses at the top: no parent and already with the manager, or no manager at all", () => {
    expect(escalationTarget({ assigneeId: "boss" }, { id: "t", name: "Support", managerId: "boss", parent: null })).toMatchObject({ kind: "top" });
    const top = escalationTarget({ assigneeId: null }, { id: "t", name: "Support", managerId: null, parent: null });
    expect(top.kind).toBe("top");
    expect(top.kind === "top" && top.reason).toMatch(/already at the top level/);
  });

  it("raises the level by 10 and writes 'escalated to <team>'", () => {
    expect(escalatedLevel(0)).toBe(10);
    expect(escalatedLevel(25)).toBe(35);
    expect(escalationSummary({ kind: "parent-team", teamId: "p", teamName: "Support L2", assigneeId: null }, "")).toBe("Escalated to Support L2");
    expect(escalationSummary({ kind: "manager", teamId: "t", teamName: "Support", assigneeId: "b" }, "by Ana")).toBe("Escalated to the manager of Support: by Ana");
  });
});
