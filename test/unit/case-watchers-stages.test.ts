import { describe, expect, it } from "vitest";
import { caseCard, type CaseCardData } from "../../src/bot/views/case-card.js";
import { editFormSchema } from "../../src/bot/views/case-edit-form.js";
import { watcherFormSchema } from "../../src/bot/views/watcher-form.js";
import { readDecimal, readWatcherChoice, stageRemovalProblem, watcherEventOf, watchersToTell } from "../../src/domain/cases.js";
import { claimEditChanges } from "../../src/domain/claims.js";
import { policy, type Actor } from "../../src/domain/policy.js";

describe("watcher rules", () => {
  it("tells watchers about reassignment, escalation, closing and reopening only", () => {
    expect(["assigned", "escalated", "closed", "reopened"].map(watcherEventOf)).toEqual(["reassigned", "escalated", "closed", "reopened"]);
    for (const kind of ["note", "edited", "stage", "time", "watcher-added", "type-changed"]) expect(watcherEventOf(kind)).toBeUndefined();
  });

  it("skips the actor, anyone already told, email watchers and duplicates", () => {
    expect(watchersToTell(["a", "b", null, "c", "b"], "a", ["c"])).toEqual(["b"]);
    expect(watchersToTell(["a", "b"], null)).toEqual(["a", "b"]);
    expect(watchersToTell([], "a")).toEqual([]);
  });

  it("reads exactly one of a user or an email address", () => {
    expect(readWatcherChoice({})).toEqual({ ok: false, errors: { user: "Choose a person, or type an email address below." } });
    expect(readWatcherChoice({ user: "  ", email: "" })).toMatchObject({ ok: false });
    expect(readWatcherChoice({ user: "2f1c1c59-2c7b-4f7e-9d2a-111111111111", email: "a@b.co" })).toEqual({ ok: false, errors: { email: "Give a person or an email address, not both." } });
    expect(readWatcherChoice({ user: "ana" })).toEqual({ ok: false, errors: { user: "Choose the person from the list." } });
    expect(readWatcherChoice({ email: " Ana@Example.COM " })).toEqual({ ok: true, value: { kind: "email", email: "ana@example.com" } });
    for (const bad of ["ana", "ana@", "@example.com", "ana@example", "a b@example.com"]) expect(readWatcherChoice({ email: bad }).ok).toBe(false);
    expect(readWatcherChoice({ user: "2f1c1c59-2c7b-4f7e-9d2a-111111111111" })).toEqual({ ok: true, value: { kind: "user", userId: "2f1c1c59-2c7b-4f7e-9d2a-111111111111" } });
  });

  it("the watcher form's schema reports field errors", () => {
    const r = watcherFormSchema.safeParse({ email: "nope" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["email", "“nope” is not an email address (like name@example.com)."]]);
  });
});

describe("watcher policy", () => {
  const team = "t-support";
  const agent: Actor = { id: "u1", role: "agent", teamIds: [team], managedTeamIds: [] };
  const outsider: Actor = { id: "u2", role: "agent", teamIds: ["t-sales"], managedTeamIds: [] };
  const manager: Actor = { id: "u3", role: "manager", teamIds: [], managedTeamIds: [] };
  const open = { teamId: team, assigneeId: null, isInternal: false };

  it("anyone who may see a case may watch it; only those who may edit it add others", () => {
    expect(policy.watchCase(outsider, open).ok).toBe(true);
    expect(policy.watchCase(outsider, { ...open, isInternal: true }).ok).toBe(false);
    expect(policy.addCaseWatcher(agent, open).ok).toBe(true);
    expect(policy.addCaseWatcher(outsider, open)).toEqual({ ok: false, reason: expect.stringMatching(/can add watchers; you can watch it yourself/) });
  });

  it("a supplier claim's user watcher must be allowed to see it", () => {
    const purchasing = ["t-buy"];
    const buyer: Actor = { id: "u4", role: "agent", teamIds: ["t-buy"], managedTeamIds: [] };
    const claim = { kind: "supplier" as const, responsibleId: null, teamId: "t-buy" };
    expect(policy.addClaimWatcher(buyer, claim, purchasing, manager).ok).toBe(true);
    expect(policy.addClaimWatcher(buyer, claim, purchasing, outsider)).toEqual({ ok: false, reason: expect.stringMatching(/may not see supplier claims/) });
    expect(policy.addClaimWatcher(buyer, { ...claim, kind: "customer" }, purchasing, outsider).ok).toBe(true);
    expect(policy.addClaimWatcher(outsider, claim, purchasing).ok).toBe(false);
    expect(policy.watchClaim(outsider, claim, purchasing).ok).toBe(false);
    expect(policy.watchClaim(manager, claim, purchasing).ok).toBe(true);
  });
});

describe("stage rules", () => {
  const stages = [
    { id: "1", name: "New", kind: "open" as const },
    { id: "2", name: "Done", kind: "done" as const },
    { id: "3", name: "Cancelled", kind: "cancelled" as const },
    { id: "4", name: "Resolved", kind: "done" as const },
  ];

  it("refuses a stage with cases, with the count, and the last done or cancelled stage", () => {
    expect(stageRemovalProblem(stages[0]!, stages, 3)).toBe("3 cases are in stage New; move them to another stage first");
    expect(stageRemovalProblem(stages[0]!, stages, 1)).toBe("1 case is in stage New; move it to another stage first");
    expect(stageRemovalProblem(stages[0]!, stages, 0)).toBeUndefined();
    expect(stageRemovalProblem(stages[1]!, stages, 0)).toBeUndefined();
    expect(stageRemovalProblem(stages[1]!, stages.slice(0, 3), 0)).toMatch(/last done stage/);
    expect(stageRemovalProblem(stages[2]!, stages, 0)).toMatch(/last cancelled stage/);
  });
});

describe("the case's other fields", () => {
  const schema = editFormSchema("Europe/Berlin");
  const base = { subject: "s", priority: "medium", internal: "no", billable: "no" };

  it("reads decimals with a point or a comma", () => {
    expect(readDecimal("12.5")).toBe(12.5);
    expect(readDecimal("12,5")).toBe(12.5);
    expect(readDecimal(" 7 ")).toBe(7);
    expect(readDecimal("2,500")).toBe(2500);
    expect(readDecimal("1,250.50")).toBe(1250.5);
    expect(readDecimal("1,000,000")).toBe(1000000);
    for (const bad of ["", "abc", "1.2.3", "1e3", "12,5,0"]) expect(readDecimal(bad)).toBeUndefined();
  });

  it("checks the ranges: hours 0–10000 with decimals, probability 0–100 whole, complexity 1–5", () => {
    expect(schema.parse({ ...base, estimatedHours: "10000", probability: "0", complexity: "5" })).toMatchObject({ estimatedHours: 10000, probability: 0, complexity: 5 });
    expect(schema.parse({ ...base, estimatedHours: "0.25" }).estimatedHours).toBe(0.25);
    const bad = schema.safeParse({ ...base, estimatedHours: "-1", probability: "101", complexity: "0", expectedRevenue: "-5" });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(["complexity", "estimatedHours", "expectedRevenue", "probability"]);
    expect(schema.safeParse({ ...base, probability: "33.3" }).success).toBe(false);
  });

  it("shows only the non-empty fields on the card, in one fields block", () => {
    const c: CaseCardData = {
      id: "2f1c1c59-2c7b-4f7e-9d2a-111111111111",
      number: 7,
      version: 0,
      subject: "x",
      description: null,
      priority: "medium",
      isOpen: true,
      isInternal: false,
      level: 0,
      progress: 0,
      plannedCloseAt: null,
      firstResponseDueAt: null,
      resolutionDueAt: null,
      closedAt: null,
      resolution: null,
      sourceLink: null,
      createdAt: new Date("2026-11-23T10:00:00Z"),
      startAt: new Date("2026-11-23T10:00:00Z"),
      team: { name: "Support" },
      type: null,
      stage: { name: "New", kind: "open" },
      assignee: null,
      partner: null,
      watchers: [],
    };
    const now = new Date("2026-11-23T12:00:00Z");
    expect(caseCard(c, "UTC", now).blocks.filter((b) => b.type === "fields")).toHaveLength(1);
    const full = caseCard({ ...c, probability: 0, isBillable: true, complexity: 2, watchers: [{ email: "zed@b.co", user: null }, { email: null, user: { name: "Ana" } }, { email: "bo@b.co", user: null }] }, "UTC", now);
    expect(full.blocks.filter((b) => b.type === "fields")[1]).toEqual({ type: "fields", fields: [{ label: "Complexity", value: "2/5" }, { label: "Billable", value: "Yes" }, { label: "Probability", value: "0%" }] });
    expect(full.blocks).toContainEqual({ type: "context", text: "👀 Watching: Ana, bo@b.co, zed@b.co" });
    expect(full.blocks.flatMap((b) => (b.type === "actions" ? b.actions.map((a) => a.id) : []))).toEqual(expect.arrayContaining(["case.watch", "case.unwatch", "case.add-watcher"]));
  });
});

describe("claim edit changes", () => {
  const before = { subject: "Broken", categoryId: null, deadline: new Date("2026-12-01T10:00:00Z"), priority: "medium" as const, sourceDocument: "SO1", description: null };

  it("says what changed, and nothing for the same values", () => {
    expect(claimEditChanges(before, { ...before, deadline: new Date("2026-12-01T10:00:00Z") })).toEqual([]);
    expect(claimEditChanges(before, { ...before, subject: "Dented", categoryId: "c1", deadline: null, priority: "high", sourceDocument: null, description: "x" }, "Shipment")).toEqual([
      "subject to “Dented”",
      "category to Shipment",
      "no deadline",
      "priority to high",
      "no source document",
      "the description",
    ]);
  });
});
