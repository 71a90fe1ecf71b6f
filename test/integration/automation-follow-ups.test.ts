// Rules' follow-ups of kind meeting and to-do on a real database and job runner: a meeting organised by the
// responsible person at the right time with its invitations, a to-do as a lead's next action with a DM at the due
// time (dropped when the record is gone, no longer visible or the to-do moved), and a clear refusal without anyone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Who } from "../../src/bot/dispatch.js";
import type { RuleDefinitionInput } from "../../src/domain/automation/definition.js";
import { dryRun } from "../../src/handlers/automation/engine.js";
import { recordCreated } from "../../src/handlers/automation/events.js";
import { deliverTodo } from "../../src/handlers/automation/follow-ups.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import type { Deps } from "../../src/handlers/deps.js";
import type { TodoDuePayload } from "../../src/jobs/automation-todo.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

// Far ahead of the real clock: the running workers never pick these jobs up, the test runs them at their time.
const FIRED_AT = new Date("2027-01-12T08:07:30Z");
let clock = FIRED_AT;

let h: HandlerHarness;
let ana: Who; // Europe/Berlin, support
let sam: Who; // America/New_York, sales
let team: { id: string };
let acme: { id: string };
let caseStage: string;
let leadStage: string;

beforeAll(async () => {
  h = await handlerHarness({ now: () => clock });
  const boss = await aPerson(h.db, { role: "manager" });
  team = await h.db.team.create({ data: { name: `Support ${Date.now()}`, kind: "support", managerId: boss.user.id } });
  ana = await aPerson(h.db, { teamIds: [team.id], timeZone: "Europe/Berlin" });
  sam = await aPerson(h.db, { timeZone: "America/New_York" });
  acme = await h.db.partner.create({ data: { kind: "company", name: "Acme", email: "help@acme.test" } });
  caseStage = (await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
  leadStage = (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id;
});
afterAll(async () => h?.close());
beforeEach(async () => {
  clock = FIRED_AT;
  await h.db.automationRule.deleteMany();
  forgetRuleCache();
});

let ruleCount = 0;
async function aRule(record: "case" | "lead", action: Record<string, unknown>) {
  ruleCount += 1;
  const definition = { name: `Follow-up ${ruleCount}`, record, enabled: true, timeZone: "UTC", trigger: { kind: "created" }, actions: [action] } as RuleDefinitionInput;
  const rule = await h.db.automationRule.create({ data: { name: definition.name, recordType: record, triggerKind: "created", definition: definition as object, enabled: true, version: 1 } });
  forgetRuleCache();
  return rule;
}

/** A case created as a handler does it: the row, then the hook, in one transaction. */
function openCase(over: { assigneeId?: string | null; isInternal?: boolean } = {}) {
  return h.db.$transaction(async (tx) => {
    const c = await tx.case.create({
      data: { subject: "Printer jams", teamId: team.id, stageId: caseStage, partnerId: acme.id, assigneeId: over.assigneeId === undefined ? ana.user.id : over.assigneeId, isInternal: over.isInternal ?? false },
    });
    await recordCreated(tx, h.deps, "case", c.id, null);
    return c;
  });
}

function createLead(salespersonId: string | null) {
  return h.db.$transaction(async (tx) => {
    const l = await tx.lead.create({ data: { title: "Fleet renewal", type: "opportunity", partnerId: acme.id, salespersonId, stageId: leadStage } });
    await recordCreated(tx, h.deps, "lead", l.id, null);
    return l;
  });
}

const resultsOf = async (ruleId: string, recordId: string) => (await h.db.ruleFiring.findMany({ where: { ruleId, recordId } })).map((f) => (f.results as { result: string }[]).map((r) => r.result).join("; "));
const todoJobs = (recordId: string) =>
  h.db.$queryRawUnsafe<{ data: TodoDuePayload; start_after: Date }[]>(`SELECT data, start_after FROM pgboss.job WHERE name = 'automation-todo' AND data->>'recordId' = $1`, recordId);
const at = (now: Date): Deps => ({ ...h.deps, now: () => now });
const todoDms = (payload: TodoDuePayload) => h.db.outbox.findMany({ where: { dedupeKey: { startsWith: `${payload.key}:todo` } } });

describe("a meeting follow-up", () => {
  it("plans a meeting on a case, organised by the assignee in their zone at the next quarter hour, with the customer invited", async () => {
    const rule = await aRule("case", { do: "follow-up", kind: "meeting", title: "Review {{case.ref}} with {{partner.name}}", in: { amount: 1, unit: "days" }, minutes: 45, "invite-customer": true });
    const c = await openCase();
    const meeting = await h.db.meeting.findFirstOrThrow({ where: { caseId: c.id }, include: { attendees: true, reminders: true } });
    // Fired 08:07:30Z (09:07 in Berlin): a day later on Berlin's clock, rounded up to 09:15 there.
    expect(meeting.startAt.toISOString()).toBe("2027-01-13T08:15:00.000Z");
    expect(meeting.endAt.toISOString()).toBe("2027-01-13T09:00:00.000Z");
    expect(meeting).toMatchObject({ organizerId: ana.user.id, timeZone: "Europe/Berlin", partnerId: acme.id, rrule: null, status: "confirmed" });
    const ref = `CASE-${String(c.number).padStart(4, "0")}`;
    expect(meeting.title).toBe(`Review ${ref} with Acme`);
    expect(meeting.attendees.map((a) => [a.userId ?? a.email, a.response]).sort()).toEqual([[ana.user.id, "accepted"], ["help@acme.test", "needs_action"]].sort());
    expect(meeting.reminders.map((r) => [r.minutesBefore, r.channel])).toEqual([[15, "dm"]]);

    // Published as the form does: the organizer's card, the emailed invitation with its .ics, the reminder job.
    expect(await h.db.outbox.count({ where: { target: ana.user.slackUserId!, subjectKey: `meeting:${meeting.id}:organizer` } })).toBe(1);
    const invitation = await h.db.outbox.findFirstOrThrow({ where: { channel: "email", target: "help@acme.test", dedupeKey: { startsWith: `meeting:${meeting.id}:` } } });
    expect(JSON.stringify(invitation.payload)).toContain("METHOD:REQUEST");
    const reminderJobs = await h.db.$queryRawUnsafe<{ start_after: Date }[]>(`SELECT start_after FROM pgboss.job WHERE name = 'meeting-reminder' AND data->>'meetingId' = $1`, meeting.id);
    expect(reminderJobs.map((j) => j.start_after.toISOString())).toEqual(["2027-01-13T08:00:00.000Z"]);

    const [result] = await resultsOf(rule.id, c.id);
    expect(result).toBe(`planned MTG-${String(meeting.number).padStart(4, "0")} “Review ${ref} with Acme” organised by ${ana.user.name}, 2027-01-13 09:15 Europe/Berlin for 45 minutes, inviting help@acme.test`);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "meeting" } })).toBe(1);
  });

  it("says in a dry run what it would plan, and plans nothing", async () => {
    const rule = await aRule("case", { do: "follow-up", kind: "meeting", title: "Check {{case.ref}}", in: { amount: 2, unit: "hours" } });
    const c = await h.db.case.create({ data: { subject: "Dry", teamId: team.id, stageId: caseStage, partnerId: acme.id, assigneeId: ana.user.id } });
    const ref = `CASE-${String(c.number).padStart(4, "0")}`;
    const dry = await dryRun(h.deps, { id: rule.id, number: rule.number, definition: rule.definition as never }, ref);
    expect(dry).toMatchObject({ ok: true, actions: [{ action: "follow-up", result: `would plan a meeting “Check ${ref}” organised by ${ana.user.name}, 2027-01-12 11:15 Europe/Berlin for 30 minutes` }] });
    expect(await h.db.meeting.count({ where: { caseId: c.id } })).toBe(0);
  });

  it("refuses cleanly on a case nobody is assigned to: no meeting, and the firing says why", async () => {
    const rule = await aRule("case", { do: "follow-up", kind: "meeting", title: "Review", in: { amount: 1, unit: "days" } });
    const c = await openCase({ assigneeId: null });
    expect(await resultsOf(rule.id, c.id)).toEqual([`no follow-up: CASE-${String(c.number).padStart(4, "0")} has no responsible person`]);
    expect(await h.db.meeting.count({ where: { caseId: c.id } })).toBe(0);
  });
});

describe("a to-do follow-up", () => {
  it("sets a lead's next action and date, and DMs the salesperson at the due time, once", async () => {
    const rule = await aRule("lead", { do: "follow-up", kind: "todo", title: "Send the quote for {{lead.title}}", in: { amount: 3, unit: "days" } });
    const lead = await createLead(sam.user.id);
    const due = new Date("2027-01-15T08:07:30.000Z"); // 03:07 in New York, three days on: no DST change in between
    const stored = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(stored.nextAction).toBe("Send the quote for Fleet renewal");
    expect(stored.nextActionAt?.toISOString()).toBe(due.toISOString());
    expect(stored.version).toBe(lead.version + 1);
    expect((await resultsOf(rule.id, lead.id))[0]).toMatch(/^added a to-do “Send the quote for Fleet renewal” for .+, due 2027-01-15 03:07 America\/New_York \(OPP-\d{4}'s next action\)$/);

    const [job] = await todoJobs(lead.id);
    expect(job!.start_after.toISOString()).toBe(due.toISOString());
    expect(job!.data).toMatchObject({ model: "lead", userId: sam.user.id, title: "Send the quote for Fleet renewal", dueAt: due.toISOString() });

    expect(await deliverTodo(at(due), job!.data)).toBe("sent");
    const dms = await todoDms(job!.data);
    expect(dms.map((d) => d.target)).toEqual([sam.user.slackUserId]);
    const text = JSON.stringify(dms[0]!.payload);
    expect(text).toContain("📝 To-do: Send the quote for Fleet renewal");
    expect(text).toContain('"lead.open"');
    // A retried job sends nothing more.
    expect(await deliverTodo(at(due), job!.data)).toBe("sent");
    expect(await todoDms(job!.data)).toHaveLength(1);
  });

  it("drops the DM when the lead's next action was moved since", async () => {
    await aRule("lead", { do: "follow-up", kind: "todo", title: "Call back", in: { amount: 1, unit: "hours" } });
    const lead = await createLead(sam.user.id);
    const [job] = await todoJobs(lead.id);
    await h.db.lead.update({ where: { id: lead.id }, data: { nextActionAt: new Date("2027-01-20T09:00:00Z") } });
    expect(await deliverTodo(at(new Date(job!.data.dueAt)), job!.data)).toBe("next action changed");
    expect(await todoDms(job!.data)).toHaveLength(0);
  });

  it("drops the DM for a case the person can no longer see, and for a record that is gone", async () => {
    await aRule("case", { do: "follow-up", kind: "todo", title: "Check {{case.ref}} again", in: { amount: 30, unit: "minutes" } });
    const c = await openCase({ isInternal: true });
    const [job] = await todoJobs(c.id);
    expect(job!.data).toMatchObject({ model: "case", userId: ana.user.id, dueAt: "2027-01-12T08:37:30.000Z" });
    // Reassigned, and ana moved out of the team: an internal case of another team is not hers to see any more.
    const other = await aPerson(h.db, { teamIds: [team.id] });
    await h.db.case.update({ where: { id: c.id }, data: { assigneeId: other.user.id } });
    await h.db.teamMember.deleteMany({ where: { userId: ana.user.id, teamId: team.id } });
    try {
      expect(await deliverTodo(at(new Date(job!.data.dueAt)), job!.data)).toBe("may not see the record");
      expect(await todoDms(job!.data)).toHaveLength(0);
    } finally {
      await h.db.teamMember.create({ data: { userId: ana.user.id, teamId: team.id } });
    }
    // Still visible again: it would be sent; but a record that no longer exists is dropped.
    expect(await deliverTodo(at(new Date(job!.data.dueAt)), { ...job!.data, recordId: "00000000-0000-4000-8000-000000000000" })).toBe("record gone");
  });

  it("refuses when the lead has no salesperson, and when the salesperson was deactivated", async () => {
    const rule = await aRule("lead", { do: "follow-up", kind: "todo", title: "Call", in: { amount: 1, unit: "days" } });
    const orphan = await createLead(null);
    expect((await resultsOf(rule.id, orphan.id))[0]).toMatch(/^no follow-up: OPP-\d{4} has no responsible person$/);
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: orphan.id } })).nextAction).toBeNull();
    expect(await todoJobs(orphan.id)).toHaveLength(0);

    const gone = await aPerson(h.db);
    await h.db.user.update({ where: { id: gone.user.id }, data: { isActive: false } });
    const lead = await createLead(gone.user.id);
    expect((await resultsOf(rule.id, lead.id))[0]).toMatch(/^no follow-up: OPP-\d{4}'s responsible person is no longer an active user$/);
  });

  it("says in a dry run what it would add", async () => {
    const rule = await aRule("lead", { do: "follow-up", kind: "todo", title: "Quote", in: { amount: 2, unit: "days" } });
    const lead = await h.db.lead.create({ data: { title: "Dry", type: "opportunity", salespersonId: sam.user.id, stageId: leadStage } });
    const ref = `OPP-${String(lead.number).padStart(4, "0")}`;
    const dry = await dryRun(h.deps, { id: rule.id, number: rule.number, definition: rule.definition as never }, ref);
    expect(dry).toMatchObject({ ok: true, actions: [{ result: `would add a to-do “Quote” for ${sam.user.name}, due 2027-01-14 03:07 America/New_York (as ${ref}'s next action), with a DM then` }] });
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } })).nextAction).toBeNull();
  });
});
