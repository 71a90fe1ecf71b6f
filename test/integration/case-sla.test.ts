// SLA breach jobs on a real job runner: at the due time (within 2 s), exactly once, never for an answered case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type Who } from "../../src/bot/dispatch.js";
import type { Reply } from "../../src/bot/views/view.js";
import { handleSlaBreach } from "../../src/handlers/cases/sla-breach.js";
import { scheduleCaseSla } from "../../src/handlers/cases/sla.js";
import { caseSlaJob } from "../../src/jobs/case-sla.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

describe("case SLA escalation jobs", () => {
  let h: HandlerHarness;
  let creator: Who;
  let agent: Who;
  let support: { id: string };
  let level2: { id: string };
  let lonely: { id: string };
  let stages: Record<string, string>;

  beforeAll(async () => {
    h = await handlerHarness();
    creator = await aPerson(h.db);
    const boss = await aPerson(h.db, { role: "manager" });
    level2 = await h.db.team.create({ data: { name: "Support L2", kind: "support", managerId: boss.user.id } });
    support = await h.db.team.create({ data: { name: "Support", kind: "support", parentId: level2.id } });
    lonely = await h.db.team.create({ data: { name: "Lonely", kind: "support", slackChannelId: "C_LONELY" } });
    agent = await aPerson(h.db, { teamIds: [support.id] });
    await h.db.slaPolicy.create({ data: { teamId: support.id, priority: "high", firstResponseMinutes: 60, resolutionMinutes: 480 } });
    await h.db.slaPolicy.create({ data: { teamId: lonely.id, priority: "high", firstResponseMinutes: 60 } });
    stages = Object.fromEntries((await h.db.caseStage.findMany({ where: { teamId: null } })).map((s) => [s.name, s.id]));
  });
  afterAll(async () => h?.close());

  /** A high-priority case whose first response falls due `inMs` from now. */
  async function caseDueIn(inMs: number, teamId = support.id, stage = "New") {
    const c = await h.db.case.create({
      data: {
        subject: "Printer jams",
        teamId,
        priority: "high",
        stageId: stages[stage]!,
        isOpen: true,
        createdById: creator.user.id,
        createdAt: new Date(Date.now() - 60 * 60_000 + inMs),
      },
    });
    await h.db.$transaction((tx) => scheduleCaseSla(tx, h.deps, c.id));
    return h.db.case.findUniqueOrThrow({ where: { id: c.id } });
  }

  const entries = (caseId: string, kind: string) => h.db.timelineEntry.findMany({ where: { recordType: "case", recordId: caseId, kind } });
  /** States of the case's first-response jobs (its resolution job is hours away). */
  const jobStates = async (caseId: string) =>
    (
      await h.db.$queryRawUnsafe<{ state: string }[]>(
        `SELECT state::text AS state FROM pgboss.job WHERE name = 'case-sla' AND data->>'caseId' = $1 AND data->>'kind' = 'first-response'`,
        caseId,
      )
    ).map((r) => r.state);

  it("computes the due times from the team's policy and escalates at the due time, within 3 s, exactly once", async () => {
    const c = await caseDueIn(3000);
    expect(c.firstResponseDueAt!.getTime()).toBe(c.createdAt.getTime() + 60 * 60_000);
    expect(c.resolutionDueAt!.getTime()).toBe(c.createdAt.getTime() + 480 * 60_000);
    // Rescheduled again without a change (e.g. two changes in one transaction): still one job.
    await h.db.$transaction((tx) => scheduleCaseSla(tx, h.deps, c.id));
    expect(await jobStates(c.id)).toHaveLength(1);
    await waitFor(async () => (await entries(c.id, "escalated")).length > 0, 15_000);
    const [escalation] = await entries(c.id, "escalated");
    const lateMs = escalation!.createdAt.getTime() - c.firstResponseDueAt!.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    // The case-sla queue polls every 2 s (docs/jobs.md: fewer polls keep chat acks fast on the embedded database).
    expect(lateMs).toBeLessThan(3000);
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ teamId: level2.id, level: 10, slaEscalated: ["first-response"], version: c.version + 1 });
    expect(escalation!.summary).toMatch(/^Escalated to Support L2: first response SLA missed/);
    expect(await entries(c.id, "sla-breach")).toHaveLength(1);

    // The same job again (a retry, a duplicate send) and a direct call: nothing more happens.
    await h.deps.jobs.send(caseSlaJob, { caseId: c.id, kind: "first-response", dueAt: c.firstResponseDueAt!.toISOString() });
    expect(await handleSlaBreach(h.deps, { caseId: c.id, kind: "first-response", dueAt: c.firstResponseDueAt!.toISOString() })).toMatch(/^skipped:/);
    await waitFor(async () => (await jobStates(c.id)).every((s) => s === "completed"), 10_000);
    expect(await entries(c.id, "escalated")).toHaveLength(1);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).level).toBe(10);
  });

  it("does not escalate a case answered before the due time (a note by someone other than the creator)", async () => {
    const c = await caseDueIn(2500);
    await h.db.timelineEntry.create({ data: { recordType: "case", recordId: c.id, kind: "note", actorId: agent.user.id, summary: "Looking into it" } });
    await waitFor(async () => {
      const states = await jobStates(c.id);
      return states.length > 0 && states.every((s) => s === "completed");
    }, 15_000);
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ teamId: support.id, level: 0, slaEscalated: [] });
    expect(after.firstResponseAt).not.toBeNull();
    expect(await entries(c.id, "escalated")).toHaveLength(0);
  });

  it("ignores a stale job after the due time moved (priority changed to one without a policy)", async () => {
    const c = await caseDueIn(2000);
    await h.db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: c.id }, data: { priority: "low" } });
      await scheduleCaseSla(tx, h.deps, c.id);
    });
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).firstResponseDueAt).toBeNull();
    await waitFor(async () => {
      const states = await jobStates(c.id);
      return states.length > 0 && states.every((s) => s === "completed");
    }, 15_000);
    expect(await entries(c.id, "escalated")).toHaveLength(0);
  });

  it("at the top level records the breach once and tells the team's channel", async () => {
    const c = await caseDueIn(-1000, lonely.id);
    await waitFor(async () => (await entries(c.id, "sla-breach")).length > 0, 15_000);
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ teamId: lonely.id, level: 0, slaEscalated: ["first-response"] });
    const posted = await h.db.outbox.findMany({ where: { target: "C_LONELY" } });
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.payload)).toMatch(/cannot be escalated further/);
  });

  it("at the top level with no manager and no channel, records the breach and logs that nobody could be told", async () => {
    const silent = await h.db.team.create({ data: { name: "Silent", kind: "support" } });
    const dueAt = new Date(Date.now() - 1000);
    // No job is scheduled: the breach is handled here, with a logger that records its warnings.
    const c = await h.db.case.create({
      data: { subject: "Nobody listens", teamId: silent.id, priority: "high", stageId: stages["New"]!, isOpen: true, createdById: creator.user.id, firstResponseDueAt: dueAt },
    });
    const warnings: string[] = [];
    const logger = Object.assign(Object.create(h.deps.logger) as typeof h.deps.logger, { warn: (_obj: unknown, msg?: string) => void warnings.push(msg ?? "") });
    const outcome = await handleSlaBreach({ ...h.deps, logger }, { caseId: c.id, kind: "first-response", dueAt: dueAt.toISOString() });
    expect(outcome).toBe("recorded");
    expect(await entries(c.id, "sla-breach")).toHaveLength(1);
    expect(warnings).toEqual(["SLA breach at the top level: nobody could be told"]);
    expect(await handleSlaBreach({ ...h.deps, logger }, { caseId: c.id, kind: "first-response", dueAt: dueAt.toISOString() })).toBe("skipped:already");
  });

  it("pauses the clock while the case waits for data, and moves the due times by the wait", async () => {
    const c = await caseDueIn(60_000, support.id, "Waiting for data");
    expect(await entries(c.id, "sla-paused")).toHaveLength(1);
    expect(await jobStates(c.id)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 300));
    await h.db.$transaction(async (tx) => {
      await tx.case.update({ where: { id: c.id }, data: { stageId: stages["In progress"]! } });
      await scheduleCaseSla(tx, h.deps, c.id);
    });
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(await entries(c.id, "sla-resumed")).toHaveLength(1);
    expect(after.firstResponseDueAt!.getTime() - c.firstResponseDueAt!.getTime()).toBeGreaterThanOrEqual(300);
    expect(await jobStates(c.id)).toHaveLength(1);
  });

  it("lets an admin set and list SLA policies from chat, with clear errors for bad input", async () => {
    const admin = await aPerson(h.db, { role: "admin" });
    const say = async (who: Who, text: string) => {
      const reply: Reply = await runCommand(h.deps, who, text, { commandPrefix: "/crm " });
      if (reply.kind !== "message") throw new Error(reply.kind);
      return reply.view.text;
    };
    expect(await say(admin, "admin sla set Support --priority urgent --first-response 30m --resolution 1d4h")).toBe(
      "SLA for urgent priority cases of Support: first response 30m, resolution 1d 4h.",
    );
    expect(await h.db.slaPolicy.findUnique({ where: { teamId_priority: { teamId: support.id, priority: "urgent" } } })).toMatchObject({
      firstResponseMinutes: 30,
      resolutionMinutes: 1680,
    });
    expect(await say(admin, "admin sla set Support --priority urgent --resolution none")).toMatch(/first response 30m, resolution none/);
    expect(await say(admin, "admin sla set Support --priority urgent --first-response soon")).toMatch(/--first-response must be a duration like 30m/);
    expect(await say(admin, "admin sla set Support --priority critical --first-response 1h")).toMatch(/--priority is required and must be one of low, medium, high, urgent/);
    expect(await say(admin, "admin sla set Suport --priority high --first-response 1h")).toMatch(/Support/);
    expect(await say(agent, "admin sla set Support --priority high --first-response 1h")).toMatch(/Only an admin/);
    const list = await runCommand(h.deps, admin, "admin sla list", { commandPrefix: "/crm " });
    expect(JSON.stringify(list)).toMatch(/Support · Urgent.*first response 30m, resolution none/);
  });
});
