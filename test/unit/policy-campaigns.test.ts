// Who may see the campaign and channel counts, manage campaigns, and manage channels: src/domain/policy.ts.
import { describe, expect, it } from "vitest";
import { policy, type Actor } from "../../src/domain/policy.js";
import { COMMAND_LINE_ACTOR } from "../../src/handlers/admin/audit.js";

const anActor = (over: Partial<Actor>): Actor => ({ id: "me", role: "agent", teamIds: [], managedTeamIds: [], ...over });

describe("campaigns and channels", () => {
  it("lets anyone see the counts by campaign and channel (aggregates, no record links)", () => {
    for (const role of ["agent", "manager", "admin"] as const) expect(policy.viewCampaigns(anActor({ role }))).toEqual({ ok: true });
  });

  it("lets managers (of no team too) and admins manage campaigns, and refuses agents with the reason", () => {
    expect(policy.manageCampaigns(anActor({ role: "manager" }))).toEqual({ ok: true });
    expect(policy.manageCampaigns(anActor({ role: "admin" }))).toEqual({ ok: true });
    expect(policy.manageCampaigns(COMMAND_LINE_ACTOR)).toEqual({ ok: true });
    expect(policy.manageCampaigns(anActor({ role: "agent", teamIds: ["sales"] }))).toEqual({ ok: false, reason: "Only managers and admins can create, edit or close campaigns." });
  });

  it("keeps channels to admins: a manager of every team is refused", () => {
    expect(policy.manageChannels(anActor({ role: "admin" }))).toEqual({ ok: true });
    expect(policy.manageChannels(COMMAND_LINE_ACTOR)).toEqual({ ok: true });
    const refusal = { ok: false, reason: "Only an admin can add channels or switch them on or off." };
    expect(policy.manageChannels(anActor({ role: "manager", managedTeamIds: ["sales", "support"] }))).toEqual(refusal);
    expect(policy.manageChannels(anActor({ role: "agent" }))).toEqual(refusal);
  });
});
