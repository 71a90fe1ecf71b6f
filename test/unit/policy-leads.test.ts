// Who may act on leads and opportunities (src/domain/policy.ts).
import { describe, expect, it } from "vitest";
import { policy, type Actor, type LeadFacts, type MergeRequestFacts } from "../../src/domain/policy.js";

const sales = "team-sales";
const enterprise = "team-enterprise";
const emea = "team-emea";
const agent = (id: string, teamIds: string[] = []): Actor => ({ id, role: "agent", teamIds, managedTeamIds: [] });
const manager = (id: string, managedTeamIds: string[]): Actor => ({ id, role: "manager", teamIds: [], managedTeamIds });

describe("merge policy", () => {
  const ana = agent("ana", [sales]);
  const outsider = agent("outsider", [enterprise]);
  const mia = manager("mia", [sales]);
  const otherManager = manager("other", [enterprise]);
  const parentManager = manager("parent", [emea]);
  const admin: Actor = { id: "admin", role: "admin", teamIds: [], managedTeamIds: [] };
  const mine: LeadFacts = { salespersonId: "ana", teamId: sales };
  const teamOwned: LeadFacts = { salespersonId: "bob", teamId: sales };
  const elsewhere: LeadFacts = { salespersonId: "zoe", teamId: enterprise };
  const request: MergeRequestFacts = { teamId: sales, parentTeamId: emea, requesterId: "ana" };

  it("lets a salesperson request a merge of records they may all change", () => {
    expect(policy.requestMerge(ana, [mine, teamOwned]).ok).toBe(true);
    expect(policy.requestMerge(admin, [mine, elsewhere]).ok).toBe(true);
  });

  it("refuses a request that includes a record of another team", () => {
    expect(policy.requestMerge(ana, [mine, elsewhere])).toEqual({ ok: false, reason: "You can only ask to merge opportunities you may change (yours, or your team's)." });
    expect(policy.requestMerge(outsider, [mine, teamOwned]).ok).toBe(false);
  });

  it("lets the team's manager, the parent team's manager and admins decide", () => {
    for (const who of [mia, parentManager, admin]) expect(policy.decideMerge(who, request).ok).toBe(true);
  });

  it("refuses members, other teams' managers and the requester, even a manager deciding their own request", () => {
    for (const who of [agent("bob", [sales]), outsider, otherManager]) {
      expect(policy.decideMerge(who, request)).toEqual({ ok: false, reason: "Only a manager of the sales team (or an admin) can approve or reject this merge." });
    }
    const own = policy.decideMerge(mia, { teamId: sales, requesterId: "mia" });
    expect(own).toMatchObject({ ok: false, reason: expect.stringContaining("You asked for this merge") });
    expect(policy.decideMerge({ ...admin, id: "ana" }, request).ok).toBe(false);
  });

  it("lets the requester and deciders withdraw a request, nobody else", () => {
    for (const who of [ana, mia, admin]) expect(policy.cancelMerge(who, request).ok).toBe(true);
    expect(policy.cancelMerge(agent("bob", [sales]), request)).toMatchObject({ ok: false, reason: expect.stringContaining("withdraw") });
  });
});

describe("convert policy", () => {
  const ana = agent("ana", [sales]);
  const bob = agent("bob", [sales]);
  const outsider = agent("outsider", [enterprise]);
  const mia = manager("mia", [sales]);
  const admin: Actor = { id: "admin", role: "admin", teamIds: [], managedTeamIds: [] };
  const teamLead: LeadFacts = { salespersonId: "ana", teamId: sales };

  it("lets the salesperson, the team's members, its manager and admins convert", () => {
    for (const who of [ana, bob, mia, admin]) expect(policy.convertLead(who, teamLead).ok).toBe(true);
  });

  it("lets the salesperson convert their own lead even outside its team", () => {
    expect(policy.convertLead(agent("zoe", []), { salespersonId: "zoe", teamId: enterprise }).ok).toBe(true);
  });

  it("refuses other teams' people and managers, with the reason", () => {
    for (const who of [outsider, manager("other", [enterprise])]) {
      expect(policy.convertLead(who, teamLead)).toEqual({ ok: false, reason: "Only the salesperson, the sales team's members, its manager or an admin can change this lead." });
    }
  });

  it("lets anyone convert a lead nobody owns yet", () => {
    expect(policy.convertLead(outsider, { salespersonId: null, teamId: null }).ok).toBe(true);
  });
});

describe("capture, view and edit policy", () => {
  const ana = agent("ana", [sales]);
  const member = agent("bob", [sales]);
  const outsider = agent("outsider", [enterprise]);
  const mia = manager("mia", [sales]);
  const admin: Actor = { id: "admin", role: "admin", teamIds: [], managedTeamIds: [] };
  const anasLead: LeadFacts = { salespersonId: "ana", teamId: sales };

  it("lets anyone capture a lead and see any lead or opportunity (Odoo's 'all documents' for sales users)", () => {
    for (const who of [ana, outsider, mia, admin, agent("nobody")]) {
      expect(policy.captureLead(who).ok).toBe(true);
      expect(policy.viewLead(who, anasLead).ok).toBe(true);
    }
  });

  it("lets the salesperson, the team's members and manager, and admins change a lead", () => {
    for (const who of [ana, member, mia, admin]) expect(policy.editLead(who, anasLead).ok).toBe(true);
    expect(policy.editLead(ana, { salespersonId: "ana", teamId: enterprise }).ok).toBe(true);
  });

  it("refuses someone of another team, with the reason", () => {
    expect(policy.editLead(outsider, anasLead)).toEqual({ ok: false, reason: "Only the salesperson, the sales team's members, its manager or an admin can change this lead." });
    expect(policy.editLead(manager("other", [enterprise]), anasLead).ok).toBe(false);
    expect(policy.editLead(outsider, { salespersonId: "ana", teamId: null }).ok).toBe(false);
  });

  it("lets anyone change a lead nobody owns yet (no salesperson, no team)", () => {
    expect(policy.editLead(outsider, { salespersonId: null, teamId: null }).ok).toBe(true);
  });
});
