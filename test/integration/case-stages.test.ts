import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand } from "../../src/handlers/admin/index.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply).slice(0, 300)}`);
}

describe("case stages per team (/crm admin stage and the command line)", () => {
  let h: HandlerHarness;
  let supportId: string;
  let admin: Who;
  let ana: Who;

  beforeAll(async () => {
    h = await handlerHarness();
    supportId = (await h.db.team.create({ data: { name: "Support", kind: "support" } })).id;
    await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    admin = await aPerson(h.db, { role: "admin" });
    ana = await aPerson(h.db, { teamIds: [supportId] });
  });
  afterAll(async () => h?.close());

  const admin_ = (text: string) => runCommand(h.deps, admin, `admin ${text}`, slack).then(viewOf);

  it("lists the shared stages, and a team without its own uses them", async () => {
    const shared = await admin_("stage list");
    expect(shared.text).toBe("Shared case stages: New, Planned, In progress, Waiting for data, Delayed, Completed, Cancelled");
    expect(JSON.stringify(shared.blocks)).toContain("Every team uses these stages.");
    const support = await admin_("stage list --team support");
    expect(support.text).toMatch(/^Case stages of Support \(the shared stages\): New, /);
    expect(viewOf(await runCommand(h.deps, ana, "admin stage list", slack)).text).toMatch(/Only an admin/);
  });

  it("the first stage add for a team copies the shared stages, moves its cases to the copies, and inserts at the place", async () => {
    const opened = viewOf(await runCommand(h.deps, ana, "case printer offline", slack));
    const number = Number(/CASE-(\d+)/.exec(opened.text)?.[1]);
    const before = await h.db.case.findUniqueOrThrow({ where: { number }, include: { stage: true } });
    expect(before.stage).toMatchObject({ name: "New", teamId: null });

    const added = await admin_('stage add "Triage" --team Support --kind open --sequence 2');
    expect(added.text).toMatch(/^Stage Triage \(open\) added to Support at place 2\. Support had no stages of its own, so the shared ones were copied to it first \(New, Planned, In progress, Waiting for data, Delayed, Completed, Cancelled\)/);
    const stages = await h.db.caseStage.findMany({ where: { teamId: supportId }, orderBy: { sequence: "asc" } });
    expect(stages.map((s) => `${s.sequence} ${s.name} ${s.kind}`)).toEqual(["1 New open", "2 Triage open", "3 Planned open", "4 In progress open", "5 Waiting for data waiting", "6 Delayed open", "7 Completed done", "8 Cancelled cancelled"]);
    // The shared stages are untouched; the case now sits in Support's own "New".
    expect(await h.db.caseStage.count({ where: { teamId: null } })).toBe(7);
    const after = await h.db.case.findUniqueOrThrow({ where: { number }, include: { stage: true } });
    expect(after.stage).toMatchObject({ name: "New", teamId: supportId });
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "team", recordId: supportId, kind: "admin" } })).toMatchObject({ summary: "Case stage Triage (open) added to Support" });

    // The case's Change stage form offers Support's stages, Triage among them.
    const form = await runAction(h.deps, ana, "case.stage", `${after.id}:${after.version}`);
    if (form.kind !== "form") throw new Error("expected the stage form");
    expect(form.form.fields[0]!.options!.map((o) => o.label)).toContain("Triage");

    // A second add copies nothing again; a duplicate name is refused.
    const second = await admin_('stage add "On hold" --team Support --kind waiting');
    expect(second.text).toBe("Stage On hold (waiting) added to Support at place 9.");
    expect((await admin_("stage add triage --team Support")).text).toBe("Support already has a stage Triage");
    expect((await admin_("stage add X --team Support --kind closed")).text).toMatch(/--kind must be open, waiting, done or cancelled/);
    expect((await admin_("stage add X --team Nope")).text).toMatch(/--team: /);
    const list = await admin_("stage list --team Support");
    expect(list.text).toMatch(/^Case stages of Support: New, Triage, Planned, .*On hold$/);
    expect(JSON.stringify(list.blocks)).toContain("1. *New* — open · 1 case");
  });

  it("stage remove refuses a stage with cases (with the count) and the last done or cancelled stage", async () => {
    expect((await admin_("stage remove New --team Support")).text).toBe("cannot remove New from Support: 1 case is in stage New; move it to another stage first");
    expect((await admin_("stage remove Completed --team Support")).text).toBe("cannot remove Completed from Support: Completed is the last done stage; a workflow needs one to close cases into");
    expect((await admin_("stage remove Cancelled --team Support")).text).toMatch(/last cancelled stage/);
    expect((await admin_("stage remove Nope --team Support")).text).toMatch(/^Support has no stage Nope \(its New, Triage/);
    expect((await admin_("stage remove Triage --team Sales")).text).toMatch(/Sales has no stages of its own/);
    await admin_('stage add "Resolved" --team Support --kind done');
    expect((await admin_("stage remove Completed --team Support")).text).toBe("Stage Completed removed from Support.");
    expect((await admin_("stage remove Triage --team Support")).text).toBe("Stage Triage removed from Support.");
    expect(await h.db.caseStage.count({ where: { teamId: supportId } })).toBe(8);
  });

  it("works from the command line with the same handler (--json)", async () => {
    const ctx = { surface: "cli" as const, invocation: "npm run admin --" };
    const plan = planAdminCommand(["stage", "add", "Review", "--team", "Sales", "--kind", "open", "--sequence", "3", "--json"], ctx);
    if (plan.kind !== "run") throw new Error(JSON.stringify(plan));
    expect(plan.isJson).toBe(true);
    const result = await performAdminCommand(h.deps, COMMAND_LINE_ACTOR, plan, ctx);
    if (!result.ok) throw new Error(result.message);
    expect(result.data).toMatchObject({ name: "Review", kind: "open", sequence: 3, team: "Sales", copiedShared: expect.arrayContaining(["Completed", "Cancelled"]) });
    const sales = await h.db.team.findUniqueOrThrow({ where: { name: "Sales" } });
    expect(await h.db.timelineEntry.findFirst({ where: { recordType: "team", recordId: sales.id, kind: "admin" } })).toMatchObject({ actorId: null, summary: "Case stage Review (open) added to Sales (from the command line)" });
    const bad = planAdminCommand(["stage", "add", "X", "--sequence", "0"], ctx);
    expect(bad).toMatchObject({ kind: "invalid", message: "--sequence starts at 1" });
    expect(planAdminCommand(["stages"], ctx)).toMatchObject({ kind: "run" });
  });
});
