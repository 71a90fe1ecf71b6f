import { describe, expect, it } from "vitest";
import {
  checkManager,
  checkParent,
  checkPersonChange,
  closestMatch,
  isEmail,
  normaliseEmail,
  oneOf,
  slackChannelProblem,
  teamNameProblem,
  teamsConversationProblem,
  type PersonFacts,
  type TeamNode,
} from "../../src/domain/admin-rules.js";

const aPerson = (over: Partial<PersonFacts> = {}): PersonFacts => ({ id: "p1", name: "Ana Ruiz", role: "agent", isActive: true, ...over });
const aTeam = (id: string, parentId: string | null = null): TeamNode => ({ id, name: id[0]!.toUpperCase() + id.slice(1), parentId });

describe("admin rules", () => {
  it("reads emails case-insensitively and rejects what is not an address", () => {
    expect(normaliseEmail("  Ana@Example.COM ")).toBe("ana@example.com");
    expect(isEmail("ana@example.com")).toBe(true);
    expect(isEmail("ana.ruiz+crm@sub.example.co.uk")).toBe(true);
    for (const bad of ["ana", "ana@example", "@example.com", "ana@@example.com", "ana ruiz@example.com", "<ana@example.com>"]) expect(isEmail(bad)).toBe(false);
  });

  it("lists choices as people write them", () => {
    expect(oneOf(["admin", "manager", "agent"])).toBe("admin, manager or agent");
    expect(oneOf(["yes"])).toBe("yes");
  });

  it("accepts ordinary team names and explains the ones it refuses", () => {
    expect(teamNameProblem("Sales EMEA")).toBeUndefined();
    expect(teamNameProblem("")).toMatch(/empty/);
    expect(teamNameProblem("Sales, EMEA")).toMatch(/comma/);
    expect(teamNameProblem("--kind")).toMatch(/dash/);
    expect(teamNameProblem("None")).toMatch(/reserved/);
    expect(teamNameProblem("x".repeat(81))).toMatch(/80/);
  });

  it("wants Slack channel ids, not channel names", () => {
    expect(slackChannelProblem("C0123ABCD")).toBeUndefined();
    expect(slackChannelProblem("G024BE91L")).toBeUndefined();
    expect(slackChannelProblem("C123")).toBeUndefined();
    expect(slackChannelProblem("#support")).toMatch(/channel id like C0123ABCD/);
    expect(slackChannelProblem("support")).toMatch(/not a name/);
    expect(slackChannelProblem("U0123ABCD")).toMatch(/channel id like C0123ABCD/);
    expect(slackChannelProblem("c0123abcd")).toMatch(/channel id like C0123ABCD/);
  });

  it("wants Teams conversation ids with their type prefix", () => {
    expect(teamsConversationProblem("19:abc123@thread.tacv2")).toBeUndefined();
    expect(teamsConversationProblem("a:1xyz")).toBeUndefined();
    expect(teamsConversationProblem("General")).toMatch(/19:abc…@thread.tacv2/);
  });

  describe("changing a person's role or status", () => {
    const facts = { activeAdminIds: ["p1", "p2"], managedTeamNames: [] };

    it("lets an admin be demoted or deactivated while another admin remains", () => {
      expect(checkPersonChange(aPerson({ role: "admin" }), { role: "agent" }, facts)).toEqual({ ok: true });
      expect(checkPersonChange(aPerson({ role: "admin" }), { isActive: false }, facts)).toEqual({ ok: true });
    });

    it("keeps the last active admin an active admin", () => {
      const last = { activeAdminIds: ["p1"], managedTeamNames: [] };
      expect(checkPersonChange(aPerson({ role: "admin" }), { role: "manager" }, last)).toMatchObject({ ok: false, reason: expect.stringMatching(/last active admin/) });
      expect(checkPersonChange(aPerson({ role: "admin" }), { isActive: false }, last)).toMatchObject({ ok: false });
      expect(checkPersonChange(aPerson({ role: "admin" }), { role: "admin", isActive: true }, last)).toEqual({ ok: true });
    });

    it("refuses to make a team's manager an agent, naming the teams", () => {
      const decision = checkPersonChange(aPerson({ role: "manager" }), { role: "agent" }, { activeAdminIds: ["p2"], managedTeamNames: ["Sales", "Support"] });
      expect(decision).toEqual({ ok: false, reason: "Ana Ruiz manages Sales, Support: give those teams another manager first (team update Sales --manager …)." });
      expect(checkPersonChange(aPerson({ role: "manager" }), { role: "admin" }, { activeAdminIds: ["p2"], managedTeamNames: ["Sales"] })).toEqual({ ok: true });
    });

    it("lets an agent be promoted", () => {
      expect(checkPersonChange(aPerson(), { role: "manager" }, { activeAdminIds: ["p2"], managedTeamNames: [] })).toEqual({ ok: true });
    });
  });

  it("lets only active managers and admins manage a team", () => {
    expect(checkManager(aPerson({ role: "manager" }))).toEqual({ ok: true });
    expect(checkManager(aPerson({ role: "admin" }))).toEqual({ ok: true });
    expect(checkManager(aPerson())).toMatchObject({ ok: false, reason: expect.stringMatching(/is an agent: make them a manager first/) });
    expect(checkManager(aPerson({ role: "manager", isActive: false }))).toMatchObject({ ok: false, reason: expect.stringMatching(/deactivated/) });
  });

  describe("the team tree", () => {
    const teams = [aTeam("sales"), aTeam("emea", "sales"), aTeam("iberia", "emea"), aTeam("support")];

    it("accepts a parent outside the team's own branch", () => {
      expect(checkParent("support", "sales", teams)).toEqual({ ok: true });
      expect(checkParent("iberia", "sales", teams)).toEqual({ ok: true });
      expect(checkParent(undefined, "iberia", teams)).toEqual({ ok: true });
    });

    it("refuses a team as its own parent", () => {
      expect(checkParent("sales", "sales", teams)).toEqual({ ok: false, reason: "A team cannot be its own parent." });
    });

    it("refuses a team under one of its own descendants, showing the branch", () => {
      expect(checkParent("sales", "iberia", teams)).toEqual({
        ok: false,
        reason: "Iberia is inside Sales (Sales › Emea › Iberia), so it cannot be Sales's parent: a team cannot be its own ancestor.",
      });
    });

    it("stops on a tree that already has a loop", () => {
      const looped = [aTeam("a", "b"), aTeam("b", "a"), aTeam("c")];
      expect(checkParent("c", "a", looped)).toEqual({ ok: true });
    });
  });

  it("suggests the closest name for a typo, and nothing for a different word", () => {
    expect(closestMatch("Suport", ["Sales", "Support"])).toBe("Support");
    expect(closestMatch("ana@example.co", ["ana@example.com", "bo@example.com"])).toBe("ana@example.com");
    expect(closestMatch("engineering", ["Sales", "Support"])).toBeUndefined();
    expect(closestMatch("x", [])).toBeUndefined();
  });
});
