// Who may see and change automation rules: src/domain/policy.ts manageRules.
import { describe, expect, it } from "vitest";
import { policy, type Actor } from "../../src/domain/policy.js";
import { COMMAND_LINE_ACTOR } from "../../src/handlers/admin/audit.js";

const anActor = (over: Partial<Actor>): Actor => ({ id: "me", role: "agent", teamIds: [], managedTeamIds: [], ...over });

describe("managing automation rules", () => {
  it("is for admins, including the command line", () => {
    expect(policy.manageRules(anActor({ role: "admin" }))).toEqual({ ok: true });
    expect(policy.manageRules(COMMAND_LINE_ACTOR)).toEqual({ ok: true });
  });

  it("is refused, with the reason, to managers (even of every team) and agents", () => {
    const refusal = { ok: false, reason: "Only an admin can see and change automation rules." };
    expect(policy.manageRules(anActor({ role: "manager", teamIds: ["sales"], managedTeamIds: ["sales", "support"] }))).toEqual(refusal);
    expect(policy.manageRules(anActor({ role: "agent" }))).toEqual(refusal);
  });
});
