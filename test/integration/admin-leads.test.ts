import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand } from "../../src/handlers/admin/index.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  expect(reply.visibility).toBe("private");
  return reply.view;
}

const readAll = (view: MessageView) => [view.text, ...view.blocks.flatMap((b) => ("text" in b ? [b.text] : []))].join("\n");

describe("/crm admin leadstage and lostreason", () => {
  let h: HandlerHarness;
  let admin: Who;
  let agent: Who;
  let salesId: string;
  const admin_ = (text: string) => runCommand(h.deps, admin, `admin ${text}`, slack).then(viewOf);

  beforeAll(async () => {
    h = await handlerHarness();
    admin = await aPerson(h.db, { role: "admin" });
    agent = await aPerson(h.db, { role: "agent" });
    salesId = (await h.db.team.create({ data: { name: "Sales", kind: "sales" } })).id;
    await h.db.team.create({ data: { name: "Support", kind: "support" } });
  });
  afterAll(async () => h?.close());

  const pipeline = (teamId: string | null) => h.db.leadStage.findMany({ where: { teamId }, orderBy: { sequence: "asc" }, select: { name: true, sequence: true, kind: true, probability: true } });

  it("lists the shared pipeline with kinds and probabilities, and refuses non-admins", async () => {
    const view = await admin_("leadstage list");
    expect(view.text).toBe("Shared pipeline stages: New, Qualified, Proposition, Negotiation, Won, Lost");
    expect(readAll(view)).toContain("3. *Proposition* — open, 60%");
    expect(readAll(view)).toContain("80. *Lost* — lost, 0%");
    expect(viewOf(await runCommand(h.deps, agent, "admin leadstage list", slack)).text).toMatch(/admin/i);
    expect(viewOf(await runCommand(h.deps, agent, 'admin leadstage add "Demo" --probability 40', slack)).text).toMatch(/admin/i);
    expect(await h.db.leadStage.count({ where: { name: "Demo" } })).toBe(0);
  });

  it("a team's first stage copies the shared pipeline, moves its leads to the copies, and inserts at the place given", async () => {
    const sharedQualified = await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "Qualified" } });
    const lead = await h.db.lead.create({ data: { title: "In qualified", teamId: salesId, stageId: sharedQualified.id } });
    const view = await admin_('leadstage add "Demo" --sequence 3 --probability 40 --team Sales');
    expect(view.text).toContain("Stage Demo (open, 40%) added to the pipeline of Sales at place 3.");
    expect(await pipeline(salesId)).toEqual([
      { name: "New", sequence: 1, kind: "open", probability: 10 },
      { name: "Qualified", sequence: 2, kind: "open", probability: 30 },
      { name: "Demo", sequence: 3, kind: "open", probability: 40 },
      { name: "Proposition", sequence: 4, kind: "open", probability: 60 },
      { name: "Negotiation", sequence: 5, kind: "open", probability: 80 },
      { name: "Won", sequence: 71, kind: "won", probability: 100 },
      { name: "Lost", sequence: 81, kind: "lost", probability: 0 },
    ]);
    const moved = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id }, include: { stage: true } });
    expect(moved.stage).toMatchObject({ name: "Qualified", teamId: salesId });
    expect((await pipeline(null)).map((s) => s.name)).toEqual(["New", "Qualified", "Proposition", "Negotiation", "Won", "Lost"]);
    expect(await h.db.timelineEntry.count({ where: { recordType: "team", recordId: salesId, kind: "admin" } })).toBe(1);
  });

  it("refuses what would make a bad pipeline: no probability, a won stage not at 100%, a support team, a duplicate name", async () => {
    expect((await admin_('leadstage add "Demo 2"')).text).toContain("--probability is required for an open stage");
    expect((await admin_('leadstage add "Signed" --kind won --probability 50')).text).toContain("a won stage has probability 100");
    expect((await admin_('leadstage add "X" --probability 101')).text).toContain("--probability is a whole number from 0 to 100");
    expect((await admin_('leadstage add "X" --probability 20 --team Support')).text).toBe("--team: Support is a support team; pipelines belong to sales teams");
    expect((await admin_("leadstage add demo --probability 20 --team Sales")).text).toBe("the pipeline of Sales already has a stage Demo");
    const signed = await admin_('leadstage add "Signed" --kind won');
    expect(signed.text).toContain("Stage Signed (won, 100%) added to the shared pipeline");
  });

  it("refuses to remove a stage with leads in it (saying how many) or the last won stage, then removes an empty one", async () => {
    const demo = await h.db.leadStage.findFirstOrThrow({ where: { teamId: salesId, name: "Demo" } });
    await h.db.lead.createMany({ data: [1, 2].map((i) => ({ title: `Demo ${i}`, teamId: salesId, stageId: demo.id })) });
    expect((await admin_('leadstage remove "Demo" --team Sales')).text).toBe("cannot remove Demo from the pipeline of Sales: 2 leads or opportunities are in Demo; move them to another stage first");
    expect((await admin_("leadstage remove Won --team Sales")).text).toBe("cannot remove Won from the pipeline of Sales: Won is the last won stage; a pipeline needs one");
    expect((await admin_("leadstage remove Nope --team Sales")).text).toContain("has no stage Nope");
    await h.db.lead.deleteMany({ where: { stageId: demo.id } });
    expect((await admin_("leadstage remove demo --team Sales")).text).toBe("Stage Demo removed from the pipeline of Sales.");
    expect((await pipeline(salesId)).map((s) => s.name)).not.toContain("Demo");
  });

  it("lists, adds, deactivates (when in use), deletes (when not) and reactivates lost reasons", async () => {
    expect((await admin_("lostreason list")).text).toBe("Lost reasons: Chose a competitor, No budget, Not enough stock, Stopped responding, Too expensive, We don't have people/skills");
    expect((await admin_('lostreason add "Timing"')).text).toBe("Added lost reason Timing: Timing");
    expect((await admin_("lostreason add timing")).text).toBe("there is already a lost reason named Timing");
    const tooExpensive = await h.db.lostReason.findUniqueOrThrow({ where: { name: "Too expensive" } });
    const lost = await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "lost" } });
    await h.db.lead.create({ data: { title: "Lost one", stageId: lost.id, isOpen: false, lostReasonId: tooExpensive.id } });
    expect((await admin_('lostreason remove "too expensive"')).text).toBe("Lost reason Too expensive deactivated: 1 lost opportunity keeps it, but it is no longer offered.");
    expect(await h.db.lostReason.findUniqueOrThrow({ where: { id: tooExpensive.id } })).toMatchObject({ isActive: false });
    expect((await admin_("lostreason remove Timing")).text).toBe("Lost reason Timing removed.");
    expect(await h.db.lostReason.count({ where: { name: "Timing" } })).toBe(0);
    expect((await admin_("lostreason remove Timing")).text).toContain("there is no active lost reason named Timing");
    expect((await admin_('lostreason add "Too expensive"')).text).toBe("Lost reason Too expensive is active again: Too expensive");
    expect(viewOf(await runCommand(h.deps, agent, "admin lostreason add Spam", slack)).text).toMatch(/admin/i);
  });

  it("works from the command line through the same command table", async () => {
    const plan = planAdminCommand(["leadstage", "list", "--team", "Sales", "--json"], { surface: "cli", invocation: "npm run admin --" });
    expect(plan.kind).toBe("run");
    if (plan.kind !== "run") return;
    const result = await performAdminCommand(h.deps, COMMAND_LINE_ACTOR, plan, { surface: "cli", invocation: "npm run admin --" });
    expect(result.ok && (result.data as { name: string }[]).map((s) => s.name)).toEqual(["New", "Qualified", "Proposition", "Negotiation", "Won", "Lost"]);
  });
});
