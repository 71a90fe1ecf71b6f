import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { Action, MessageView, Reply } from "../../src/bot/views/view.js";
import { escalateCase } from "../../src/handlers/cases/escalate-case.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 400)}`);
}

function button(view: MessageView, id: string): Action {
  const found = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} button in ${JSON.stringify(view.blocks)}`);
  return found;
}

const texts = (view: MessageView) => JSON.stringify(view.blocks);

describe("case watchers and the case's other fields", () => {
  let h: HandlerHarness;
  let supportId: string;
  let ana: Who; // support agent
  let bob: Who; // support agent
  let sam: Who; // sales agent, outside support
  let mia: Who; // support manager

  beforeAll(async () => {
    h = await handlerHarness();
    const support = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT" } });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    supportId = support.id;
    ana = await aPerson(h.db, { teamIds: [support.id] });
    bob = await aPerson(h.db, { teamIds: [support.id] });
    sam = await aPerson(h.db, { teamIds: [sales.id] });
    mia = await aPerson(h.db, { role: "manager", managedTeamIds: [support.id] });
    await h.db.team.update({ where: { id: support.id }, data: { managerId: mia.user.id } });
    await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => h?.close());

  async function openCase(text: string) {
    const view = viewOf(await runCommand(h.deps, ana, `case ${text}`, slack));
    const number = Number(/CASE-(\d+)/.exec(view.text)?.[1]);
    return { view, c: await h.db.case.findUniqueOrThrow({ where: { number } }) };
  }

  const dmsTo = (who: Who) => h.db.outbox.findMany({ where: { target: who.user.slackUserId! }, orderBy: { createdAt: "asc" } });

  it("Watch, a double click, and Stop watching: listed on the card, the case's version untouched", async () => {
    const { view, c } = await openCase("Acme Corp: label printer offline");
    const watched = viewOf(await runAction(h.deps, sam, "case.watch", button(view, "case.watch").value!));
    expect(watched.text).toMatch(/^👀 You are watching CASE-\d+/);
    expect(texts(watched)).toContain(`👀 Watching: ${sam.user.name}`);
    const again = viewOf(await runAction(h.deps, sam, "case.watch", button(view, "case.watch").value!));
    expect(again.text).toMatch(/^You are already watching CASE-\d+/);
    expect(await h.db.caseWatcher.count({ where: { caseId: c.id } })).toBe(1);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).version).toBe(0);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "watcher-added" } })).toBe(1);
    // The channel card lists the watcher too.
    const channel = await h.db.outbox.findMany({ where: { subjectKey: `case:${c.id}`, target: "CSUPPORT" }, orderBy: { createdAt: "desc" } });
    expect(JSON.stringify(channel[0]!.payload)).toContain(`Watching: ${sam.user.name}`);

    const stopped = viewOf(await runAction(h.deps, sam, "case.unwatch", button(view, "case.unwatch").value!));
    expect(stopped.text).toMatch(/^You stopped watching/);
    expect(texts(stopped)).not.toContain("Watching:");
    expect(viewOf(await runAction(h.deps, sam, "case.unwatch", button(view, "case.unwatch").value!)).text).toMatch(/^You are not watching/);
  });

  it("an internal case cannot be watched by someone outside its team", async () => {
    const { c } = await openCase("Acme Corp: internal audit");
    await h.db.case.update({ where: { id: c.id }, data: { isInternal: true } });
    const refused = viewOf(await runAction(h.deps, sam, "case.watch", `${c.id}:${c.version}`));
    expect(refused.text).toMatch(/internal case of another team/);
    expect(await h.db.caseWatcher.count({ where: { caseId: c.id } })).toBe(0);
    // Nor added by someone else.
    const form = await submitForm(h.deps, ana, "case.watcher-form", { user: sam.user.id }, { caseId: c.id, version: String(c.version) });
    expect(form).toEqual({ kind: "errors", errors: { user: `${sam.user.name} may not see this internal case, so they cannot watch it.` } });
  });

  it("Add watcher: a user or an email, exactly one, email checked; only those who may edit the case", async () => {
    const { view, c } = await openCase("Acme Corp: scanner broken");
    const value = button(view, "case.add-watcher").value!;
    const opened = await runAction(h.deps, ana, "case.add-watcher", value);
    expect(opened.kind).toBe("form");
    const outsider = viewOf(await runAction(h.deps, sam, "case.add-watcher", value));
    expect(outsider.text).toMatch(/Only members of the case's team.*can add watchers; you can watch it yourself/);

    const ctx = { caseId: c.id, version: String(c.version) };
    expect(await submitForm(h.deps, ana, "case.watcher-form", {}, ctx)).toEqual({ kind: "errors", errors: { user: "Choose a person, or type an email address below." } });
    expect(await submitForm(h.deps, ana, "case.watcher-form", { user: bob.user.id, email: "x@example.com" }, ctx)).toEqual({ kind: "errors", errors: { email: "Give a person or an email address, not both." } });
    expect(await submitForm(h.deps, ana, "case.watcher-form", { email: "not an email" }, ctx)).toEqual({ kind: "errors", errors: { email: "“not an email” is not an email address (like name@example.com)." } });

    const byEmail = viewOf(await submitForm(h.deps, ana, "case.watcher-form", { email: "Buyer@Acme.example" }, ctx));
    expect(byEmail.text).toMatch(/^👀 buyer@acme\.example is now watching/);
    const byUser = viewOf(await submitForm(h.deps, ana, "case.watcher-form", { user: bob.user.id }, ctx));
    expect(byUser.text).toMatch(new RegExp(`^👀 ${bob.user.name} is now watching`));
    expect(texts(byUser)).toContain(`Watching: buyer@acme.example, ${bob.user.name}"`);
    const twice = viewOf(await submitForm(h.deps, ana, "case.watcher-form", { email: "buyer@acme.example" }, ctx));
    expect(twice.text).toMatch(/^buyer@acme\.example is already watching/);
    expect(await h.db.caseWatcher.count({ where: { caseId: c.id } })).toBe(2);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "watcher-added" } })).toBe(2);
  });

  it("user watchers get one DM when the case is reassigned, escalated, closed or reopened — not for their own actions, not for notes", async () => {
    const { view, c } = await openCase("Acme Corp: invoices print blank");
    await runAction(h.deps, bob, "case.watch", button(view, "case.watch").value!);
    await runAction(h.deps, sam, "case.watch", button(view, "case.watch").value!);
    const bobBefore = (await dmsTo(bob)).length;
    const samBefore = (await dmsTo(sam)).length;

    // A note: nobody is told (a note still bumps the case's version).
    await submitForm(h.deps, ana, "case.note-form", { note: "Checked the driver" }, { caseId: c.id, version: "0" });
    expect((await dmsTo(bob)).length).toBe(bobBefore);
    expect((await dmsTo(sam)).length).toBe(samBefore);

    // Bob takes it himself: Sam hears, Bob does not (his own action).
    const taken = viewOf(await runAction(h.deps, bob, "case.assign-me", `${c.id}:1`));
    expect(taken.text).toMatch(/assigned to you/);
    const samDms = (await dmsTo(sam)).slice(samBefore);
    expect(samDms).toHaveLength(1);
    expect((samDms[0]!.payload as { text: string }).text).toMatch(/^👀 CASE-\d+, which you watch, was reassigned: .* took the case/);
    expect(samDms[0]!.dedupeKey).toBe(`case-watch:${c.id}:2:${sam.user.id}:slack`);
    expect((await dmsTo(bob)).length).toBe(bobBefore);

    // Ana escalates (to the manager): both watchers hear once.
    await runAction(h.deps, ana, "case.escalate", `${c.id}:2`);
    expect((await dmsTo(sam)).length).toBe(samBefore + 2);
    expect((await dmsTo(bob)).length).toBe(bobBefore + 1);
    expect(((await dmsTo(bob)).at(-1)!.payload as { text: string }).text).toMatch(/was escalated/);

    // Ana closes it, then reopens it.
    const now = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    await submitForm(h.deps, ana, "case.close-form", { resolution: "New driver" }, { caseId: c.id, version: String(now.version) });
    expect(((await dmsTo(sam)).at(-1)!.payload as { text: string }).text).toMatch(/was closed/);
    await runAction(h.deps, ana, "case.reopen", `${c.id}:${now.version + 1}`);
    expect(((await dmsTo(bob)).at(-1)!.payload as { text: string }).text).toMatch(/was reopened/);
    expect((await dmsTo(sam)).length).toBe(samBefore + 4);
    expect((await dmsTo(bob)).length).toBe(bobBefore + 3);
  });

  it("an escalation by the SLA job (no actor) tells every user watcher, once", async () => {
    const { view, c } = await openCase("Acme Corp: nightly export late");
    await runAction(h.deps, ana, "case.watch", button(view, "case.watch").value!);
    await runAction(h.deps, sam, "case.watch", button(view, "case.watch").value!);
    const [anaBefore, samBefore] = [(await dmsTo(ana)).length, (await dmsTo(sam)).length];
    const result = await h.db.$transaction((tx) => escalateCase(tx, h.deps, c.id, { actorId: null, reason: "resolution SLA missed" }));
    expect(result.ok).toBe(true);
    expect((await dmsTo(ana)).length).toBe(anaBefore + 1);
    expect((await dmsTo(sam)).length).toBe(samBefore + 1);
    expect(((await dmsTo(sam)).at(-1)!.payload as { text: string }).text).toMatch(/was escalated: .*resolution SLA missed/);
  });

  it("the new assignee who also watches gets only the assignee's DM", async () => {
    const { view, c } = await openCase("Acme Corp: toner empty");
    await runAction(h.deps, bob, "case.watch", button(view, "case.watch").value!);
    const before = (await dmsTo(bob)).length;
    await submitForm(h.deps, ana, "case.reassign-form", { assignee: bob.user.id }, { caseId: c.id, version: "0" });
    const dms = (await dmsTo(bob)).slice(before);
    expect(dms).toHaveLength(1);
    expect((dms[0]!.payload as { text: string }).text).toMatch(/assigned CASE-\d+ to you/);
  });

  it("Edit sets the other fields (validated), shows the non-empty ones on the card, and refuses no change", async () => {
    const { c } = await openCase("Acme Corp: new site rollout");
    const opened = await runAction(h.deps, ana, "case.edit", `${c.id}:0`);
    if (opened.kind !== "form") throw new Error("expected the edit form");
    expect(opened.form.fields.map((f) => f.id)).toEqual(expect.arrayContaining(["coordinator", "contact", "category", "caseClass", "startAt", "estimatedHours", "complexity", "billable", "expectedRevenue", "expectedCost", "probability"]));
    const ctx = { caseId: c.id, version: "0" };
    const base = { subject: "new site rollout", priority: "medium", internal: "no", partner: c.partnerId! };
    const bad = await submitForm(h.deps, ana, "case.edit-form", { ...base, estimatedHours: "10001", probability: "50.5", complexity: "9", expectedCost: "abc" }, ctx);
    expect(bad).toEqual({
      kind: "errors",
      errors: {
        estimatedHours: "Estimated hours is a number from 0 to 10,000.",
        probability: "Probability is a number from 0 to 100 (whole).",
        complexity: "Choose a complexity from 1 to 5.",
        expectedCost: "Expected cost is a number from 0 to 1,000,000,000.",
      },
    });
    expect(await submitForm(h.deps, ana, "case.edit-form", { ...base, coordinator: "not-a-user" }, ctx)).toEqual({ kind: "errors", errors: { coordinator: "Choose the coordinator from the list." } });

    const saved = viewOf(
      await submitForm(
        h.deps,
        ana,
        "case.edit-form",
        { ...base, coordinator: mia.user.id, contact: "Wile E. Coyote", category: "Rollout", caseClass: "Project", startAt: "2026-12-01T08:00:00Z", estimatedHours: "12,5", complexity: "4", billable: "yes", expectedRevenue: "2500", expectedCost: "1200.50", probability: "70" },
        ctx,
      ),
    );
    expect(saved.text).toMatch(/^✅ CASE-\d+ saved\./);
    const row = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { contact: true } });
    expect(row).toMatchObject({ coordinatorId: mia.user.id, category: "Rollout", caseClass: "Project", estimatedHours: 12.5, complexity: 4, isBillable: true, expectedRevenue: 2500, expectedCost: 1200.5, probability: 70, version: 1 });
    expect(row.startAt?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
    expect(row.contact?.name).toBe("Wile E. Coyote");
    const details = saved.blocks.filter((b) => b.type === "fields")[1];
    expect(details).toEqual({
      type: "fields",
      fields: [
        { label: "Coordinator", value: mia.user.name },
        { label: "Contact", value: "Wile E. Coyote" },
        { label: "Category", value: "Rollout" },
        { label: "Class", value: "Project" },
        { label: "Start", value: "Tue 1 Dec, 09:00" },
        { label: "Estimated", value: "12.5 h" },
        { label: "Complexity", value: "4/5" },
        { label: "Billable", value: "Yes" },
        { label: "Expected revenue", value: "2,500" },
        { label: "Expected cost", value: "1,200.5" },
        { label: "Probability", value: "70%" },
      ],
    });
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "case", recordId: c.id, kind: "edited" } });
    expect(entry.summary).toMatch(/the coordinator to .*the estimate to 12\.5 h.*the probability to 70%/);

    // The same values again: nothing changed.
    const same = await submitForm(
      h.deps,
      ana,
      "case.edit-form",
      { ...base, coordinator: mia.user.id, contact: row.contactId!, category: "Rollout", caseClass: "Project", startAt: "2026-12-01T08:00:00Z", estimatedHours: "12.5", complexity: "4", billable: "yes", expectedRevenue: "2500", expectedCost: "1200.5", probability: "70" },
      { caseId: c.id, version: "1" },
    );
    expect(same).toEqual({ kind: "errors", errors: { subject: "Nothing was changed." } });
    // Clearing a field is a change, and an empty field is not shown.
    const cleared = viewOf(await submitForm(h.deps, ana, "case.edit-form", { ...base, coordinator: mia.user.id, contact: row.contactId!, category: "Rollout", caseClass: "Project", startAt: "2026-12-01T08:00:00Z", complexity: "4", billable: "yes", expectedRevenue: "2500", expectedCost: "1200.5", probability: "70" }, { caseId: c.id, version: "1" }));
    expect(JSON.stringify(cleared.blocks.filter((b) => b.type === "fields")[1])).not.toContain("Estimated");
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).estimatedHours).toBeNull();
    // Editing the other fields leaves the case with its team.
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).teamId).toBe(supportId);
  });
});
