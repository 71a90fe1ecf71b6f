import { describe, expect, it } from "vitest";
import { policy, type Actor, type CaseFacts } from "../../src/domain/policy.js";

const support = "team-support";
const sales = "team-sales";
const agent = (id: string, teamIds: string[] = []): Actor => ({ id, role: "agent", teamIds, managedTeamIds: [] });
const member = agent("member", [support]);
const outsider = agent("outsider", [sales]);
const manager: Actor = { id: "manager", role: "manager", teamIds: [], managedTeamIds: [support] };
const otherManager: Actor = { id: "other-manager", role: "manager", teamIds: [], managedTeamIds: [sales] };
const admin: Actor = { id: "admin", role: "admin", teamIds: [], managedTeamIds: [] };
const assignee = agent("assignee", [sales]);

const open: CaseFacts = { teamId: support, assigneeId: "assignee", isInternal: false };
const internal: CaseFacts = { ...open, isInternal: true };
const active = (id: string) => ({ id, isActive: true });

describe("case policy", () => {
  it("anyone may open a case and see a non-internal one", () => {
    expect(policy.openCase(outsider).ok).toBe(true);
    expect(policy.viewCase(outsider, open).ok).toBe(true);
  });

  it("only the team, its manager, the assignee and admins see an internal case", () => {
    for (const a of [member, manager, admin, assignee]) expect(policy.viewCase(a, internal).ok).toBe(true);
    for (const a of [outsider, otherManager]) expect(policy.viewCase(a, internal)).toMatchObject({ ok: false, reason: expect.stringMatching(/internal case/) });
  });

  it("team members, the assignee, the team manager and admins may work the case; others may not", () => {
    for (const a of [member, manager, admin, assignee]) {
      for (const check of [policy.editCase, policy.assignCase, policy.changeCaseStage, policy.addCaseNote, policy.closeCase, policy.reopenCase]) expect(check(a, open).ok).toBe(true);
    }
    for (const a of [outsider, otherManager]) {
      for (const check of [policy.editCase, policy.assignCase, policy.changeCaseStage, policy.addCaseNote, policy.closeCase, policy.reopenCase]) expect(check(a, open).ok).toBe(false);
    }
  });

  it("a non-member cannot reassign a case of a team", () => {
    const decision = policy.reassignCase(outsider, open, active("member"));
    expect(decision).toEqual({ ok: false, reason: "Only members of the case's team, its manager or an admin can give this case to someone else." });
    // Not even its assignee from another team: taking it is fine, giving it away is the team's call.
    expect(policy.reassignCase(assignee, open, active("member")).ok).toBe(false);
  });

  it("members, the manager and admins may reassign to an active person", () => {
    for (const a of [member, manager, admin]) expect(policy.reassignCase(a, open, active("someone")).ok).toBe(true);
    expect(policy.reassignCase(member, open, { id: "gone", isActive: false })).toMatchObject({ ok: false, reason: expect.stringMatching(/deactivated/) });
  });

  it("reassigning to oneself is taking the case (Assign to me)", () => {
    expect(policy.reassignCase(assignee, open, active("assignee")).ok).toBe(true);
    expect(policy.reassignCase(outsider, open, active("outsider")).ok).toBe(false);
  });

  it("team members, the assignee, the team's manager and admins may escalate a case and log time on it", () => {
    for (const a of [member, assignee, manager, admin]) {
      expect(policy.escalateCase(a, open)).toEqual({ ok: true });
      expect(policy.logCaseTime(a, open)).toEqual({ ok: true });
      // Internal cases: the same people, who may see them.
      expect(policy.escalateCase(a, internal).ok).toBe(true);
      expect(policy.logCaseTime(a, internal).ok).toBe(true);
    }
  });

  it("an agent of another team may not escalate a case or log time on it, with a clear reason", () => {
    const unassigned: CaseFacts = { ...open, assigneeId: null };
    for (const c of [open, unassigned, internal]) {
      expect(policy.escalateCase(outsider, c)).toEqual({ ok: false, reason: "Only members of the case's team, its assignee, the team's manager or an admin can escalate this case." });
      expect(policy.logCaseTime(outsider, c)).toEqual({ ok: false, reason: "Only members of the case's team, its assignee, the team's manager or an admin can change this case." });
      expect(policy.escalateCase(otherManager, c).ok).toBe(false);
      expect(policy.logCaseTime(otherManager, c).ok).toBe(false);
    }
  });
});
