// Time entries on a case: the Log time button, the form's checks, the stored activity and the timeline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, submitForm, type Who } from "../../src/bot/dispatch.js";
import { CASE_TIME_FORM_ID } from "../../src/bot/views/case-time.js";
import type { Form, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const NOW = new Date("2026-11-23T15:00:00.000Z");

describe("logging time on a case", () => {
  let h: HandlerHarness;
  let ana: Who;
  let outsider: Who;
  let caseId: string;

  beforeAll(async () => {
    h = await handlerHarness({ now: () => NOW });
    const team = await h.db.team.create({ data: { name: "Field service", kind: "support" } });
    ana = await aPerson(h.db, { teamIds: [team.id], timeZone: "Europe/Berlin" });
    outsider = await aPerson(h.db);
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "In progress" } });
    const c = await h.db.case.create({
      data: { subject: "Install the new printer", teamId: team.id, stageId: stage.id, isBillable: true, createdById: outsider.user.id, createdAt: new Date("2026-11-20T09:00:00.000Z") },
    });
    caseId = c.id;
  });
  afterAll(async () => h?.close());

  const submit = (values: Record<string, string>, who: Who = ana) => submitForm(h.deps, who, CASE_TIME_FORM_ID, values, { caseId });
  const errorsOf = (reply: Reply) => {
    if (reply.kind !== "errors") throw new Error(`expected field errors, got ${reply.kind}`);
    return reply.errors;
  };

  it("opens the form with today in the person's time zone and the case's billable flag", async () => {
    const reply = await runAction(h.deps, ana, "case.log-time", `${caseId}:0`);
    expect(reply.kind).toBe("form");
    const form = (reply as { form: Form }).form;
    expect(form.id).toBe(CASE_TIME_FORM_ID);
    expect(form.context).toEqual({ caseId });
    expect(form.fields.find((f) => f.id === "date")?.initial).toBe("2026-11-23");
    expect(form.fields.find((f) => f.id === "billable")?.initial).toBe("yes");
  });

  it("stores an entry from start and end, writes the timeline, moves the version and answers with the total", async () => {
    const reply = await submit({ date: "2026-11-23", start: "9:30", end: "11:00", description: "Unpacked and installed", billable: "yes", category: "on site" });
    expect(reply).toEqual({ kind: "done", view: expect.objectContaining({ text: expect.stringMatching(/^Logged 1h 30m on CASE-\d{4} \(total 1h 30m\)\. /) }) });
    const entry = await h.db.caseActivity.findFirstOrThrow({ where: { caseId } });
    expect(entry).toMatchObject({ userId: ana.user.id, date: "2026-11-23", minutes: 90, isBillable: true, category: "on site" });
    expect(entry.startAt?.toISOString()).toBe("2026-11-23T08:30:00.000Z");
    expect(entry.endAt?.toISOString()).toBe("2026-11-23T10:00:00.000Z");
    const c = await h.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(c.version).toBe(1);
    expect(c.firstResponseAt).not.toBeNull();
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "case", recordId: caseId, kind: "time" } });
    expect(timeline.map((t) => t.summary)).toEqual(["Logged 1h 30m on 2026-11-23 (billable): Unpacked and installed"]);

    const second = await submit({ date: "2026-11-21", duration: "45m", description: "Phone support", billable: "no" });
    expect(second.kind === "done" && second.view?.text).toMatch(/Logged 45m .* \(total 2h 15m\)/);
  });

  it("gives field errors for bad entries and stores nothing", async () => {
    const before = await h.db.caseActivity.count({ where: { caseId } });
    expect(errorsOf(await submit({ date: "2026-11-23", start: "11:00", end: "10:00", description: "x", billable: "no" }))).toEqual({ end: "The end must be after the start (on the same day)." });
    expect(errorsOf(await submit({ date: "2026-11-24", duration: "1h", description: "x", billable: "no" })).date).toMatch(/after 2026-11-23: that day is in the future/);
    expect(errorsOf(await submit({ date: "2026-11-19", duration: "1h", description: "x", billable: "no" })).date).toMatch(/started on 2026-11-20/);
    expect(errorsOf(await submit({ date: "2026-11-23", duration: "25h", description: "x", billable: "no" })).duration).toMatch(/1 minute to 24 hours/);
    expect(errorsOf(await submit({ date: "2026-11-23", description: "x", billable: "no" })).duration).toMatch(/Give a duration/);
    expect(errorsOf(await submit({ date: "2026-11-23", start: "9:00", end: "10:00", duration: "2h", description: "x", billable: "no" })).duration).toMatch(/is 1h/);
    expect(errorsOf(await submit({ date: "23/11/2026", duration: "1h", billable: "no" }))).toMatchObject({ date: expect.stringMatching(/YYYY-MM-DD/), description: "Say what you did." });
    expect(await h.db.caseActivity.count({ where: { caseId } })).toBe(before);
  });

  it("refuses people outside the case's team", async () => {
    const reply = await runAction(h.deps, outsider, "case.log-time", `${caseId}:1`);
    expect(reply.kind === "message" && reply.view.text).toMatch(/Only members of the case's team/);
  });
});
