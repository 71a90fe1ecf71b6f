import { describe, expect, it } from "vitest";
import { CLAIM_NOT_FOUND, policy, type Actor, type ClaimFacts } from "../../src/domain/policy.js";

const PURCHASING = "team-purchasing";
const SUPPORT = "team-support";
const SALES = "team-sales";
const purchasing = [PURCHASING];

function anActor(over: Partial<Actor> = {}): Actor {
  return { id: "u-agent", role: "agent", teamIds: [], managedTeamIds: [], ...over };
}
function aClaim(over: Partial<ClaimFacts> = {}): ClaimFacts {
  return { kind: "customer", responsibleId: "u-other", teamId: SUPPORT, ...over };
}

describe("customer claims", () => {
  it("anyone may open and view them", () => {
    expect(policy.openClaim(anActor(), "customer", purchasing).ok).toBe(true);
    expect(policy.viewClaim(anActor({ teamIds: [SALES] }), aClaim(), purchasing).ok).toBe(true);
  });

  it("the responsible, the team's members and manager, and admins may change them", () => {
    expect(policy.changeClaim(anActor({ id: "u-other" }), aClaim(), purchasing).ok).toBe(true);
    expect(policy.changeClaim(anActor({ teamIds: [SUPPORT] }), aClaim(), purchasing).ok).toBe(true);
    expect(policy.changeClaim(anActor({ role: "manager", managedTeamIds: [SUPPORT] }), aClaim(), purchasing).ok).toBe(true);
    expect(policy.changeClaim(anActor({ role: "admin" }), aClaim(), purchasing).ok).toBe(true);
  });

  it("an agent of another team, or a manager of another team, may not change them", () => {
    expect(policy.changeClaim(anActor({ teamIds: [SALES] }), aClaim(), purchasing)).toMatchObject({ ok: false, reason: expect.stringMatching(/responsible, its team/) });
    expect(policy.changeClaim(anActor({ role: "manager", teamIds: [SALES], managedTeamIds: [SALES] }), aClaim(), purchasing).ok).toBe(false);
  });

  it("anyone who sees an unrouted, unassigned claim may take it", () => {
    expect(policy.changeClaim(anActor(), aClaim({ teamId: null, responsibleId: null }), purchasing).ok).toBe(true);
  });
});

describe("supplier claims", () => {
  const supplierClaim = aClaim({ kind: "supplier", teamId: PURCHASING });

  it("an agent cannot see another team's supplier claims, and is told nothing about them", () => {
    const agent = anActor({ teamIds: [SUPPORT] });
    expect(policy.viewClaim(agent, supplierClaim, purchasing)).toEqual({ ok: false, reason: CLAIM_NOT_FOUND });
    expect(policy.changeClaim(agent, supplierClaim, purchasing)).toEqual({ ok: false, reason: CLAIM_NOT_FOUND });
    expect(policy.viewClaim(agent, aClaim({ kind: "supplier", teamId: SUPPORT }), purchasing).ok).toBe(false);
  });

  it("members of a purchasing team, managers and admins see them", () => {
    expect(policy.viewClaim(anActor({ teamIds: [PURCHASING] }), supplierClaim, purchasing).ok).toBe(true);
    expect(policy.viewClaim(anActor({ role: "manager" }), supplierClaim, purchasing).ok).toBe(true);
    expect(policy.viewClaim(anActor({ role: "admin" }), supplierClaim, purchasing).ok).toBe(true);
  });

  it("a member of any purchasing team sees supplier claims of another purchasing team, but changes only its own team's", () => {
    const other = "team-purchasing-2";
    const buyer = anActor({ teamIds: [other] });
    expect(policy.viewClaim(buyer, supplierClaim, [PURCHASING, other]).ok).toBe(true);
    expect(policy.changeClaim(buyer, supplierClaim, [PURCHASING, other]).ok).toBe(false);
    expect(policy.changeClaim(anActor({ teamIds: [PURCHASING] }), supplierClaim, purchasing).ok).toBe(true);
  });

  it("the responsible always sees their own claim", () => {
    expect(policy.viewClaim(anActor({ id: "u-other" }), supplierClaim, purchasing).ok).toBe(true);
  });

  it("only purchasing, managers and admins may open them", () => {
    expect(policy.openClaim(anActor({ teamIds: [SUPPORT] }), "supplier", purchasing)).toMatchObject({ ok: false, reason: expect.stringMatching(/purchasing/) });
    expect(policy.openClaim(anActor({ teamIds: [PURCHASING] }), "supplier", purchasing).ok).toBe(true);
    expect(policy.openClaim(anActor({ role: "manager" }), "supplier", purchasing).ok).toBe(true);
  });
});
