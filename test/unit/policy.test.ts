import { describe, expect, it } from "vitest";
import { policy, type Actor, type CallFacts } from "../../src/domain/policy.js";
import { COMMAND_LINE_ACTOR } from "../../src/handlers/admin/audit.js";

const anActor = (over: Partial<Actor> = {}): Actor => ({ id: "me", role: "agent", teamIds: [], managedTeamIds: [], ...over });
const aCall = (over: Partial<CallFacts> = {}): CallFacts => ({ ownerId: "owner", ownerTeamIds: ["support"], ...over });

const admin = anActor({ id: "admin", role: "admin" });
const agent = anActor({ id: "agent", teamIds: ["support"] });
const owner = anActor({ id: "owner", teamIds: ["support"] });
const supportManager = anActor({ id: "sm", role: "manager", teamIds: ["support"], managedTeamIds: ["support"] });
const salesManager = anActor({ id: "xm", role: "manager", teamIds: ["sales"], managedTeamIds: ["sales"] });

describe("policy", () => {
  it("lets everyone log a call", () => {
    for (const actor of [admin, agent, supportManager]) expect(policy.logCall(actor)).toEqual({ ok: true });
  });

  describe("editing a call", () => {
    it("allows its owner", () => {
      expect(policy.editCall(owner, aCall())).toEqual({ ok: true });
    });

    it("allows a manager of one of the owner's teams", () => {
      expect(policy.editCall(supportManager, aCall())).toEqual({ ok: true });
      expect(policy.editCall(supportManager, aCall({ ownerTeamIds: ["sales", "support"] }))).toEqual({ ok: true });
    });

    it("refuses a manager of another team", () => {
      expect(policy.editCall(salesManager, aCall())).toEqual({ ok: false, reason: "Only the call's owner, their team's manager or an admin can change this call." });
    });

    it("refuses someone who manages the team on paper but has the agent role", () => {
      expect(policy.editCall(anActor({ managedTeamIds: ["support"] }), aCall())).toMatchObject({ ok: false });
    });

    it("allows an admin", () => {
      expect(policy.editCall(admin, aCall({ ownerTeamIds: [] }))).toEqual({ ok: true });
    });

    it("refuses an agent in the same team", () => {
      expect(policy.editCall(agent, aCall())).toMatchObject({ ok: false });
    });
  });

  it("shows a call to whoever may edit it, and explains the refusal otherwise", () => {
    expect(policy.viewCall(owner, aCall())).toEqual({ ok: true });
    expect(policy.viewCall(supportManager, aCall())).toEqual({ ok: true });
    expect(policy.viewCall(admin, aCall())).toEqual({ ok: true });
    expect(policy.viewCall(salesManager, aCall())).toEqual({ ok: false, reason: "This call belongs to someone outside your teams." });
    expect(policy.viewCall(agent, aCall())).toMatchObject({ ok: false });
  });

  it("lets only admins set up users and teams (the command line acts as one)", () => {
    expect(policy.administer(admin)).toEqual({ ok: true });
    expect(policy.administer(COMMAND_LINE_ACTOR)).toEqual({ ok: true });
    expect(policy.administer(supportManager)).toMatchObject({ ok: false, reason: expect.stringMatching(/Only an admin can set up users and teams/) });
    expect(policy.administer(agent)).toMatchObject({ ok: false });
  });

  it("lets only admins list and retry undelivered notifications", () => {
    expect(policy.manageOutbox(admin)).toEqual({ ok: true });
    expect(policy.manageOutbox(supportManager)).toMatchObject({ ok: false, reason: expect.stringMatching(/undelivered notifications/) });
    expect(policy.manageOutbox(agent)).toMatchObject({ ok: false });
  });

  describe("changing a person's role or status", () => {
    it("lets an admin change anyone else", () => {
      expect(policy.changePerson(admin, { id: "agent" }, { role: "manager" })).toEqual({ ok: true });
      expect(policy.changePerson(admin, { id: "sm" }, { isActive: false })).toEqual({ ok: true });
      expect(policy.changePerson(COMMAND_LINE_ACTOR, { id: "admin" }, { role: "agent", isActive: false })).toEqual({ ok: true });
    });

    it("refuses managers and agents, even on themselves", () => {
      expect(policy.changePerson(supportManager, { id: "agent" }, { role: "manager" })).toMatchObject({ ok: false, reason: expect.stringMatching(/Only an admin/) });
      expect(policy.changePerson(agent, { id: "agent" }, { role: "admin" })).toMatchObject({ ok: false });
    });

    it("stops an admin from deactivating or demoting themselves", () => {
      expect(policy.changePerson(admin, { id: "admin" }, { isActive: false })).toEqual({ ok: false, reason: "You cannot deactivate yourself. Ask another admin to do it." });
      expect(policy.changePerson(admin, { id: "admin" }, { role: "manager" })).toEqual({ ok: false, reason: "You cannot take away your own admin role. Ask another admin to do it." });
    });

    it("lets an admin change their own name and the like", () => {
      expect(policy.changePerson(admin, { id: "admin" }, {})).toEqual({ ok: true });
      expect(policy.changePerson(admin, { id: "admin" }, { role: "admin", isActive: true })).toEqual({ ok: true });
    });
  });
});
