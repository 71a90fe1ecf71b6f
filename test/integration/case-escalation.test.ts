// The Escalate button through the dispatcher: parent team, then the manager, then "already at the top level".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, type Who } from "../../src/bot/dispatch.js";
import type { Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

function textOf(reply: Reply): string {
  if (reply.kind === "message") return reply.view.text;
  throw new Error(`expected a message, got ${reply.kind}`);
}

describe("escalating a case from its card", () => {
  let h: HandlerHarness;
  let ana: Who;
  let outsider: Who;
  let boss2: Who;
  let support: { id: string };
  let level2: { id: string };
  let newStage: string;

  beforeAll(async () => {
    h = await handlerHarness();
    boss2 = await aPerson(h.db, { role: "manager" });
    level2 = await h.db.team.create({ data: { name: "Support L2", kind: "support", managerId: boss2.user.id, slackChannelId: "C_L2" } });
    boss2.actor.managedTeamIds.push(level2.id);
    support = await h.db.team.create({ data: { name: "Support", kind: "support", parentId: level2.id, slackChannelId: "C_SUPPORT" } });
    ana = await aPerson(h.db, { teamIds: [support.id] });
    outsider = await aPerson(h.db);
    newStage = (await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
  });
  afterAll(async () => h?.close());

  const anOpenCase = () =>
    h.db.case.create({ data: { subject: "Printer jams", teamId: support.id, priority: "high", stageId: newStage, assigneeId: ana.user.id, createdById: outsider.user.id } });

  it("moves the case to the parent team and its manager, raises the level, and acts once on a double click", async () => {
    const c = await anOpenCase();
    const first = await runAction(h.deps, ana, "case.escalate", `${c.id}:${c.version}`);
    expect(textOf(first)).toMatch(/^CASE-\d{4} escalated to Support L2 \(level 10\)\. /);
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ teamId: level2.id, assigneeId: boss2.user.id, level: 10, version: c.version + 1 });
    expect(after.escalatedAt).not.toBeNull();
    // Ana is not the creator: escalating is a first response.
    expect(after.firstResponseAt).not.toBeNull();
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "case", recordId: c.id, kind: "escalated" } });
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ actorId: ana.user.id });
    expect(timeline[0]!.summary).toMatch(/^Escalated to Support L2/);

    // The card is updated in both teams' channels (one subject, edited in place) and the new assignee gets a DM.
    const cards = await h.db.outbox.findMany({ where: { subjectKey: `case:${c.id}` } });
    expect(cards.map((o) => o.target).sort()).toEqual(expect.arrayContaining(["C_L2", "C_SUPPORT"]));
    expect(await h.db.outbox.count({ where: { target: boss2.user.slackUserId! } })).toBeGreaterThan(0);

    const again = await runAction(h.deps, ana, "case.escalate", `${c.id}:${c.version}`);
    expect(textOf(again)).toMatch(/changed since this card was shown/);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).level).toBe(10);
  });

  it("without a parent team gives the case to the team's manager, then refuses at the top level", async () => {
    const c = await h.db.case.create({ data: { subject: "Invoice wrong", teamId: level2.id, stageId: newStage, createdById: ana.user.id } });
    const toManager = await runAction(h.deps, boss2, "case.escalate", `${c.id}:0`);
    expect(textOf(toManager)).toMatch(/escalated to the manager of Support L2 \(level 10\)/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: level2.id, assigneeId: boss2.user.id, version: 1 });
    const top = await runAction(h.deps, boss2, "case.escalate", `${c.id}:1`);
    expect(textOf(top)).toMatch(/already at the top level/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ level: 10, version: 1 });
  });

  it("refuses someone outside the team, and a malformed button value", async () => {
    const c = await anOpenCase();
    const refused = await runAction(h.deps, outsider, "case.escalate", `${c.id}:${c.version}`);
    expect(textOf(refused)).toMatch(/Only members of the case's team/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: support.id, level: 0 });
    expect(textOf(await runAction(h.deps, ana, "case.escalate", "nonsense"))).toMatch(/out of date/);
  });
});
