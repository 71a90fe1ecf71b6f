import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formFromMessage, homeView, runAction, runCommand, searchOptions, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { Action, MessageView, Reply } from "../../src/bot/views/view.js";
import { caseReference } from "../../src/domain/cases.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply)}`);
}

function button(view: MessageView, id: string): Action {
  const found = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} button in ${JSON.stringify(view.blocks)}`);
  return found;
}

function formOf(reply: Reply) {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}

describe("cases through the dispatcher", () => {
  let h: HandlerHarness;
  let supportId: string;
  let engineeringId: string;
  let hardwareId: string;
  let ana: Who; // support agent
  let eve: Who; // engineering agent
  let sam: Who; // sales agent (not in support or engineering)
  let admin: Who;

  beforeAll(async () => {
    h = await handlerHarness();
    const support = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT" } });
    const engineering = await h.db.team.create({ data: { name: "Engineering", kind: "engineering", slackChannelId: "CENG", teamsConversationId: "19:eng@thread.tacv2" } });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    [supportId, engineeringId] = [support.id, engineering.id];
    ana = await aPerson(h.db, { teamIds: [support.id] });
    eve = await aPerson(h.db, { teamIds: [engineering.id] });
    sam = await aPerson(h.db, { teamIds: [sales.id] });
    admin = await aPerson(h.db, { role: "admin" });
    hardwareId = (await h.db.caseType.create({ data: { name: "Hardware", teamId: engineering.id } })).id;
    await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => h?.close());

  async function openQuick(who: Who, text: string) {
    const view = viewOf(await runCommand(h.deps, who, `case ${text}`, slack));
    const number = Number(/CASE-(\d+)/.exec(view.text)?.[1]);
    return { view, c: await h.db.case.findUniqueOrThrow({ where: { number }, include: { stage: true, partner: true } }) };
  }

  it("opens a case from the quick form, routed to the type's team, and posts its card to that team's channels", async () => {
    const { view, c } = await openQuick(ana, "acme corp: printer jams on tray 2 !high #hardware");
    expect(c).toMatchObject({ subject: "printer jams on tray 2", priority: "high", teamId: engineeringId, typeId: hardwareId, isOpen: true, version: 0, partner: { name: "Acme Corp" }, stage: { name: "New" } });
    expect(c.createdById).toBe(ana.user.id);
    expect(view.text).toBe(`${caseReference(c.number)} printer jams on tray 2 — Engineering, High, New`);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "created" } })).toBe(1);
    const rows = await h.db.outbox.findMany({ where: { subjectKey: `case:${c.id}` }, orderBy: { channel: "asc" } });
    expect(rows.map((r) => [r.channel, r.target])).toEqual([
      ["slack", "CENG"],
      ["teams", "19:eng@thread.tacv2"],
    ]);
    expect((rows[0]!.payload as { text: string }).text).toContain("printer jams on tray 2");
  });

  it("without a colon there is no partner, and without a type the case goes to my first team", async () => {
    const { c } = await openQuick(ana, "VPN drops every hour !urgent");
    expect(c).toMatchObject({ subject: "VPN drops every hour", partnerId: null, teamId: supportId, priority: "urgent" });
  });

  it("explains an unknown type, listing the types, and stores nothing", async () => {
    const before = await h.db.case.count();
    const view = viewOf(await runCommand(h.deps, ana, "case Acme Corp: broken #hardwre", slack));
    expect(view.text).toBe("There is no case type “hardwre”. The case types are: Hardware.");
    expect(await h.db.case.count()).toBe(before);
  });

  it("asks before creating an unknown partner from the quick form", async () => {
    const view = viewOf(await runCommand(h.deps, ana, "case Initech: stapler missing", slack));
    expect(view.text).toBe("No partner is called “Initech” yet.");
    const created = viewOf(await runAction(h.deps, ana, "case.quick-create-partner", button(view, "case.quick-create-partner").value!));
    expect(created.text).toMatch(/stapler missing — Support/);
    expect(await h.db.partner.count({ where: { name: "Initech" } })).toBe(1);
  });

  it("opens the form for /crm case, with my first team preselected and the types to choose from", async () => {
    const form = formOf(await runCommand(h.deps, ana, "case", slack));
    expect(form.fields.map((f) => f.id)).toEqual(["subject", "description", "type", "team", "priority", "partner", "assignee", "channel", "internal", "plannedCloseAt"]);
    const channel = form.fields.find((f) => f.id === "channel")!;
    expect(channel.options!.map((o) => o.label)).toEqual(["Chat", "Direct", "Email", "Meeting", "Phone", "Referral", "Social", "Web"]);
    expect(channel.options!.find((o) => o.value === channel.initial)!.label).toBe("Chat");
    expect(form.fields.find((f) => f.id === "team")!.initial).toBe(supportId);
    expect(form.fields.find((f) => f.id === "type")!.options).toEqual([{ value: hardwareId, label: "Hardware (Engineering)" }]);
    expect(await searchOptions(h.deps, ana, "users", "person")).toEqual(expect.arrayContaining([{ value: eve.user.id, label: `${eve.user.name} (${eve.user.email})` }]));
  });

  it("gives field errors for bad form values and stores nothing", async () => {
    const before = await h.db.case.count();
    const reply = await submitForm(h.deps, ana, "case.form", { subject: "", priority: "asap", plannedCloseAt: "someday", internal: "maybe" }, {});
    expect(reply).toEqual({
      kind: "errors",
      errors: {
        subject: "Say what the case is about.",
        priority: "Choose low, medium, high or urgent.",
        plannedCloseAt: "Use a date and time like 2026-11-30 17:00.",
        internal: "Choose yes or no.",
      },
    });
    const unknownPeople = await submitForm(h.deps, ana, "case.form", { subject: "ok", assignee: "nobody", team: "no-such-team" }, {});
    expect(unknownPeople).toEqual({ kind: "errors", errors: { assignee: "Choose the assignee from the list.", team: "That team no longer exists; choose another." } });
    expect(await h.db.case.count()).toBe(before);
  });

  it("stores a valid form (the type's team wins over the team chosen) and DMs the assignee", async () => {
    const reply = await submitForm(
      h.deps,
      ana,
      "case.form",
      { subject: "Screen flickers", description: "Since Monday", type: hardwareId, team: supportId, priority: "low", partner: "new:Umbrella", assignee: ana.user.id, channel: (await h.db.channel.findUniqueOrThrow({ where: { code: "phone" } })).id, internal: "no", plannedCloseAt: "2026-12-01T17:00" },
      {},
    );
    expect(reply.kind).toBe("done");
    const c = await h.db.case.findFirstOrThrow({ where: { subject: "Screen flickers" }, include: { partner: true, channel: true } });
    expect(c).toMatchObject({ teamId: engineeringId, priority: "low", channel: { code: "phone" }, assigneeId: ana.user.id, partner: { name: "Umbrella" }, plannedCloseAt: new Date("2026-12-01T16:00:00Z") });
    // Ana assigned it to herself: no DM. Assigning Eve (engineering member) as Eve's teammate would be allowed.
    expect(await h.db.outbox.count({ where: { target: ana.user.slackUserId! } })).toBe(0);

    const byEve = await submitForm(h.deps, eve, "case.form", { subject: "Fan noise", type: hardwareId, assignee: ana.user.id }, {});
    expect(byEve.kind).toBe("done");
    const dm = await h.db.outbox.findFirstOrThrow({ where: { target: ana.user.slackUserId! } });
    expect(dm).toMatchObject({ channel: "slack", scope: "T1" });
    expect((dm.payload as { text: string }).text).toMatch(/opened a case and assigned it to you/);
  });

  it("refuses a non-member's choice of assignee on the form", async () => {
    const reply = await submitForm(h.deps, sam, "case.form", { subject: "Keyboard", type: hardwareId, assignee: eve.user.id }, {});
    expect(reply).toEqual({ kind: "errors", errors: { assignee: "Only members of the case's team, its manager or an admin can give this case to someone else." } });
  });

  it("opens a case from a chat message: the text and its link become the description, the source is stored", async () => {
    const link = "https://example.slack.com/archives/C9/p1700000000000100";
    const form = formOf(await formFromMessage(h.deps, ana, "case.from-message", { text: "Printer on floor 3 is on fire\nplease help", link, channel: "C9", ts: "1700000000.000100" }));
    expect(form.title).toBe("Open case from message");
    expect(form.fields.find((f) => f.id === "subject")!.initial).toBe("Printer on floor 3 is on fire");
    expect(form.fields.find((f) => f.id === "description")!.initial).toBe(`Printer on floor 3 is on fire\nplease help\n\nFrom: ${link}`);
    expect(form.context).toEqual({ sourceLink: link, sourceChannel: "C9", sourceTs: "1700000000.000100" });
    const reply = await submitForm(h.deps, ana, "case.form", { subject: "Printer on floor 3 is on fire", description: "x" }, form.context!);
    expect(reply.kind).toBe("done");
    const c = await h.db.case.findFirstOrThrow({ where: { subject: "Printer on floor 3 is on fire" } });
    expect(c).toMatchObject({ sourceLink: link, sourceChannel: "C9", sourceTs: "1700000000.000100", teamId: supportId });
  });

  it("Assign to me acts once, bumps the version and updates the channel card; a stale card says so", async () => {
    const bo = await aPerson(h.db, { teamIds: [supportId] });
    const { view, c } = await openQuick(ana, "Mouse double-clicks");
    const assign = button(view, "case.assign-me");
    expect(assign.value).toBe(`${c.id}:0`);
    const first = viewOf(await runAction(h.deps, bo, "case.assign-me", assign.value!));
    expect(first.text).toMatch(/is now assigned to you/);
    let now = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(now).toMatchObject({ assigneeId: bo.user.id, version: 1 });
    expect(now.firstResponseAt).not.toBeNull();
    // Bo took it herself: no DM to Bo.
    expect(await h.db.outbox.count({ where: { target: bo.user.slackUserId! } })).toBe(0);
    expect(await h.db.outbox.count({ where: { subjectKey: `case:${c.id}`, target: "CSUPPORT" } })).toBe(2);

    const again = viewOf(await runAction(h.deps, bo, "case.assign-me", assign.value!));
    expect(again.text).toMatch(/already assigned to you/);
    const stale = viewOf(await runAction(h.deps, ana, "case.assign-me", assign.value!));
    expect(stale.text).toMatch(/changed since this card was shown, so nothing was done/);
    now = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(now).toMatchObject({ assigneeId: bo.user.id, version: 1 });
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "assigned" } })).toBe(1);
  });

  it("a non-member cannot reassign a case of a team; a member can, and the new assignee gets a DM", async () => {
    const { view, c } = await openQuick(ana, "Laptop battery swells");
    const value = button(view, "case.reassign").value!;
    expect(viewOf(await runAction(h.deps, sam, "case.reassign", value)).text).toMatch(/Only members of the case's team/);
    const refused = await submitForm(h.deps, sam, "case.reassign-form", { assignee: sam.user.id }, { caseId: c.id, version: "0" });
    expect(viewOf(refused).text).toMatch(/Only members of the case's team/);
    const refusedOther = await submitForm(h.deps, sam, "case.reassign-form", { assignee: eve.user.id }, { caseId: c.id, version: "0" });
    expect(viewOf(refusedOther).text).toMatch(/Only members of the case's team, its manager or an admin can give/);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).assigneeId).toBeNull();

    const form = formOf(await runAction(h.deps, ana, "case.reassign", value));
    expect(form.fields[0]).toMatchObject({ id: "assignee", kind: "search", searchSource: "users" });
    const done = await submitForm(h.deps, ana, "case.reassign-form", { assignee: eve.user.id }, form.context!);
    expect(viewOf(done).text).toMatch(`is now assigned to ${eve.user.name}`);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).assigneeId).toBe(eve.user.id);
    const dm = await h.db.outbox.findFirstOrThrow({ where: { target: eve.user.slackUserId! } });
    expect((dm.payload as { text: string }).text).toMatch(`${ana.user.name} assigned ${caseReference(c.number)} to you`);
  });

  it("changes the stage among the team's stages; a cancelled stage closes the case", async () => {
    const { view, c } = await openQuick(ana, "Wifi slow in room B");
    const form = formOf(await runAction(h.deps, ana, "case.stage", button(view, "case.stage").value!));
    const options = form.fields[0]!.options!;
    expect(options.map((o) => o.label)).toEqual(["New", "Planned", "In progress", "Waiting for data", "Delayed", "Completed", "Cancelled"]);
    const waiting = options.find((o) => o.label === "Waiting for data")!.value;
    expect(viewOf(await submitForm(h.deps, ana, "case.stage-form", { stage: waiting }, form.context!)).text).toMatch(/now in stage Waiting for data/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ isOpen: true, version: 1, closedAt: null });
    const cancelled = options.find((o) => o.label === "Cancelled")!.value;
    expect(await submitForm(h.deps, ana, "case.stage-form", { stage: "" }, { caseId: c.id, version: "1" })).toEqual({ kind: "errors", errors: { stage: "Choose a stage." } });
    await submitForm(h.deps, ana, "case.stage-form", { stage: cancelled }, { caseId: c.id, version: "1" });
    const closed = await h.db.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(closed.isOpen).toBe(false);
    expect(closed.closedAt).not.toBeNull();
  });

  it("Close asks for the resolution; two submits of the same card close once; Reopen goes back to the first open stage", async () => {
    const { view, c } = await openQuick(ana, "Toner empty");
    const form = formOf(await runAction(h.deps, ana, "case.close", button(view, "case.close").value!));
    expect(await submitForm(h.deps, ana, "case.close-form", { resolution: " " }, form.context!)).toEqual({ kind: "errors", errors: { resolution: "Say how the case was resolved." } });
    const [first, second] = await Promise.all([
      submitForm(h.deps, ana, "case.close-form", { resolution: "Replaced the toner" }, form.context!),
      submitForm(h.deps, ana, "case.close-form", { resolution: "Replaced the toner" }, form.context!),
    ]);
    const texts = [viewOf(first).text, viewOf(second).text];
    expect(texts.filter((t) => /is closed\./.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /already closed|changed since this card was shown/.test(t))).toHaveLength(1);
    const third = viewOf(await submitForm(h.deps, ana, "case.close-form", { resolution: "Replaced the toner" }, form.context!));
    expect(third.text).toMatch(/already closed/);
    const closed = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { stage: true } });
    expect(closed).toMatchObject({ isOpen: false, progress: 100, resolution: "Replaced the toner", version: 1, stage: { name: "Completed", kind: "done" } });
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "closed" } })).toBe(1);

    const closedCard = viewOf(await runCommand(h.deps, ana, `case ${caseReference(c.number)}`, slack));
    const reopen = button(closedCard, "case.reopen");
    expect(viewOf(await runAction(h.deps, ana, "case.reopen", reopen.value!)).text).toMatch(/open again \(New\)/);
    expect(viewOf(await runAction(h.deps, ana, "case.reopen", reopen.value!)).text).toMatch(/already open/);
    const reopened = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { stage: true } });
    expect(reopened).toMatchObject({ isOpen: true, closedAt: null, stage: { name: "New" }, version: 2 });
  });

  it("changing the type moves the case to the type's team and updates both teams' channels", async () => {
    const { view, c } = await openQuick(ana, "Monitor dead");
    expect(c.teamId).toBe(supportId);
    const form = formOf(await runAction(h.deps, ana, "case.change-type", button(view, "case.change-type").value!));
    const done = viewOf(await submitForm(h.deps, ana, "case.type-form", { type: hardwareId }, form.context!));
    expect(done.text).toMatch(/now of type Hardware and belongs to Engineering/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: engineeringId, typeId: hardwareId, version: 1 });
    const rows = await h.db.outbox.findMany({ where: { subjectKey: `case:${c.id}` }, orderBy: { createdAt: "asc" } });
    expect(rows[0]!.target).toBe("CSUPPORT");
    expect(rows.map((r) => r.target).sort()).toEqual(["19:eng@thread.tacv2", "CENG", "CSUPPORT", "CSUPPORT"]);
    expect(rows.slice(1).every((r) => (r.payload as { text: string }).text.includes("Engineering"))).toBe(true);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "team-changed" } })).toBe(1);
  });

  it("Edit changes subject, priority and customer, writes what changed, and refuses a save with no change", async () => {
    const { view, c } = await openQuick(ana, "Scanner slow");
    const form = formOf(await runAction(h.deps, ana, "case.edit", button(view, "case.edit").value!));
    expect(form.fields.map((f) => [f.id, f.initial]).slice(0, 6)).toEqual([
      ["subject", "Scanner slow"],
      ["description", undefined],
      ["priority", "medium"],
      ["partner", undefined],
      ["internal", "no"],
      ["plannedCloseAt", undefined],
    ]);
    // The start date is prefilled with when the case was opened (the other fields are in case-watchers.test.ts).
    const startAt = form.fields.find((f) => f.id === "startAt")!.initial;
    // The channel is prefilled too (Chat: a quick case); sent back as it is, it is no change.
    const channel = form.fields.find((f) => f.id === "channel")!.initial;
    expect(channel).toBe((await h.db.channel.findUniqueOrThrow({ where: { code: "chat" } })).id);
    expect(await submitForm(h.deps, ana, "case.edit-form", { subject: "Scanner slow", priority: "medium", internal: "no", startAt, channel }, form.context!)).toEqual({ kind: "errors", errors: { subject: "Nothing was changed." } });
    expect(await submitForm(h.deps, ana, "case.edit-form", { subject: "", priority: "top" }, form.context!)).toEqual({
      kind: "errors",
      errors: { subject: "Say what the case is about.", priority: "Choose low, medium, high or urgent." },
    });
    const saved = viewOf(await submitForm(h.deps, ana, "case.edit-form", { subject: "Scanner very slow", priority: "urgent", partner: "Acme Corp", internal: "no", startAt, channel }, form.context!));
    expect(saved.text).toMatch(/saved/);
    expect(await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { partner: true } })).toMatchObject({ subject: "Scanner very slow", priority: "urgent", partner: { name: "Acme Corp" }, version: 1 });
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "case", recordId: c.id, kind: "edited" } });
    expect(entry.summary).toBe(`${ana.user.name} changed subject to “Scanner very slow”, priority to Urgent, the customer`);
    expect(viewOf(await runAction(h.deps, sam, "case.edit", `${c.id}:1`)).text).toMatch(/Only members of the case's team/);
  });

  it("notes are added by the team and refused to outsiders; internal cases are hidden from them", async () => {
    const reply = await submitForm(h.deps, ana, "case.form", { subject: "Payroll export broken", internal: "yes" }, {});
    const c = await h.db.case.findFirstOrThrow({ where: { subject: "Payroll export broken" } });
    expect(c.isInternal).toBe(true);
    const value = button(viewOf(reply), "case.note").value!;
    expect(viewOf(await runCommand(h.deps, sam, `case ${caseReference(c.number)}`, slack)).text).toMatch(/internal case of another team/);
    expect(viewOf(await runAction(h.deps, sam, "case.note", value)).text).toMatch(/internal case of another team/);
    expect(formOf(await runAction(h.deps, ana, "case.note", value)).id).toBe("case.note-form");
    const noted = viewOf(await submitForm(h.deps, ana, "case.note-form", { note: "Checked the logs" }, { caseId: c.id, version: "0" }));
    expect(JSON.stringify(noted.blocks)).toContain("Checked the logs");
    // Internal cases still go to their own team's channel.
    expect(await h.db.outbox.count({ where: { subjectKey: `case:${c.id}`, target: "CSUPPORT" } })).toBe(2);
  });

  it("lists my open cases next-to-work first, with Open buttons, in /crm cases and App Home", async () => {
    const zoe = await aPerson(h.db, { teamIds: [supportId] });
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const base = { teamId: supportId, stageId: stage.id, assigneeId: zoe.user.id };
    await h.db.case.create({ data: { ...base, subject: "Old low", priority: "low", createdAt: new Date("2026-01-01T00:00:00Z") } });
    await h.db.case.create({ data: { ...base, subject: "Urgent new", priority: "urgent" } });
    await h.db.case.create({ data: { ...base, subject: "Escalated low", priority: "low", level: 2 } });
    await h.db.case.create({ data: { ...base, subject: "Urgent old", priority: "urgent", createdAt: new Date("2026-02-01T00:00:00Z") } });
    await h.db.case.create({ data: { ...base, subject: "Done already", isOpen: false } });
    const view = viewOf(await runCommand(h.deps, zoe, "cases", slack));
    expect(view.text).toBe("Your open cases: 4");
    const subjects = view.blocks.flatMap((b) => (b.type === "text" ? [/\* (.+)\n/.exec(b.text)?.[1]] : []));
    expect(subjects).toEqual(["Escalated low", "Urgent old", "Urgent new", "Old low"]);
    const open = button(view, "case.open");
    expect(viewOf(await runAction(h.deps, zoe, "case.open", open.value!)).text).toMatch(/Escalated low/);
    const home = await homeView(h.deps, zoe);
    expect(home.text).toMatch(/Your open cases: 4/);
  });

  it("shows at most 20 cases with a count of the rest", async () => {
    const yan = await aPerson(h.db, { teamIds: [supportId] });
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    await h.db.case.createMany({ data: Array.from({ length: 23 }, (_, i) => ({ subject: `Bulk ${i}`, teamId: supportId, stageId: stage.id, assigneeId: yan.user.id })) });
    const view = viewOf(await runCommand(h.deps, yan, "cases", slack));
    expect(view.text).toBe("Your open cases: 23");
    expect(view.blocks.filter((b) => b.type === "actions")).toHaveLength(20);
    expect(view.blocks.at(-1)).toEqual({ type: "context", text: "…and 3 more." });
  });

  it("admins add and list case types from chat", async () => {
    const added = viewOf(await runCommand(h.deps, admin, "admin casetype add Network --team support", slack));
    expect(added.text).toBe("Case type Network added: its cases go to Support.");
    expect(viewOf(await runCommand(h.deps, admin, "admin casetype add network --team Support", slack)).text).toMatch(/already a case type Network/);
    expect(viewOf(await runCommand(h.deps, admin, "admin casetype add Printers --team Nowhere", slack)).text).toMatch(/--team/);
    expect(viewOf(await runCommand(h.deps, admin, "admin casetype list", slack)).blocks).toContainEqual({
      type: "fields",
      fields: [
        { label: "Hardware", value: "→ Engineering" },
        { label: "Network", value: "→ Support" },
      ],
    });
    expect(viewOf(await runCommand(h.deps, ana, "admin casetype list", slack)).text).toMatch(/Only an admin/);
  });
});
