// Who may email a customer from a record's card ("Reply by email"): src/domain/policy.ts emailCustomer.
import { describe, expect, it } from "vitest";
import { CLAIM_NOT_FOUND, policy, type Actor } from "../../src/domain/policy.js";

const member: Actor = { id: "ana", role: "agent", teamIds: ["support"], managedTeamIds: [] };
const outsider: Actor = { id: "bob", role: "agent", teamIds: ["sales"], managedTeamIds: [] };
const manager: Actor = { id: "mia", role: "manager", teamIds: [], managedTeamIds: ["support"] };
const admin: Actor = { id: "root", role: "admin", teamIds: [], managedTeamIds: [] };
const purchaser: Actor = { id: "pat", role: "agent", teamIds: ["purchasing"], managedTeamIds: [] };

describe("emailing the customer about a case", () => {
  const supportCase = { kind: "case" as const, facts: { teamId: "support", assigneeId: null, isInternal: false } };

  it("is for the case's team, its manager and admins", () => {
    expect([member, manager, admin].map((a) => policy.emailCustomer(a, supportCase))).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it("is refused, with who may, to someone outside the team", () => {
    expect(policy.emailCustomer(outsider, supportCase)).toEqual({
      ok: false,
      reason: "Only members of the case's team, its assignee, the team's manager or an admin can email the customer about this case.",
    });
  });

  it("lets the assignee from another team email about the case they work on", () => {
    expect(policy.emailCustomer(outsider, { kind: "case", facts: { ...supportCase.facts, assigneeId: "bob" } })).toEqual({ ok: true });
  });
});

describe("emailing the customer about a claim", () => {
  it("a supplier claim stays 'not found' to those outside purchasing", () => {
    const supplierClaim = { kind: "claim" as const, facts: { kind: "supplier" as const, responsibleId: null, teamId: "purchasing" }, purchasingTeamIds: ["purchasing"] };
    expect(policy.emailCustomer(member, supplierClaim)).toEqual({ ok: false, reason: CLAIM_NOT_FOUND });
    expect(policy.emailCustomer(purchaser, supplierClaim)).toEqual({ ok: true });
  });
});

describe("emailing the customer about a lead", () => {
  const lead = { kind: "lead" as const, facts: { salespersonId: "sam", teamId: "sales" } };

  it("is for the salesperson's team and admins, not other teams", () => {
    expect(policy.emailCustomer(outsider, lead)).toEqual({ ok: true }); // bob is in sales
    expect(policy.emailCustomer(admin, lead)).toEqual({ ok: true });
    expect(policy.emailCustomer(member, lead)).toEqual({ ok: false, reason: "Only the salesperson, the sales team's members, its manager or an admin can email the customer about this lead." });
  });
});
