import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { Form, MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const DAY = 24 * 3600_000;

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 300)}`);
}
function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 300)}`);
  return reply.form;
}
const buttons = (view: MessageView) => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
/** A day at 10:00 UTC, `days` from now: far enough ahead for reminders, clear of other tests' meetings. */
const slot = (days: number, hour = 10) => new Date(Math.floor(Date.now() / DAY) * DAY + days * DAY + hour * 3600_000);

describe("meetings through the dispatcher", () => {
  let h: HandlerHarness;
  let org: Who;
  let ana: Who;
  let bea: Who;

  beforeAll(async () => {
    h = await handlerHarness();
    org = await aPerson(h.db, { timeZone: "UTC" });
    ana = await aPerson(h.db, { timeZone: "Europe/Madrid" });
    bea = await aPerson(h.db);
    await h.db.user.update({ where: { id: ana.user.id }, data: { name: "Ana Ruiz" } });
    await h.db.partner.create({ data: { kind: "company", name: "Acme" } });
  });
  afterAll(async () => h?.close());

  const submit = (who: Who, values: Record<string, string>, context: Record<string, string> = {}) =>
    submitForm(h.deps, who, "meeting.form", { duration: "1h", reminders: "15m", ...values }, context);

  it("plans a meeting from the quick form: attendees, reminder, invitations by DM and by email", async () => {
    const reply = viewOf(await runCommand(h.deps, org, `meet Acme tomorrow 3pm for 45m with <@${ana.user.slackUserId}> and bob@acme.com`, slack));
    expect(reply.text).toMatch(/Planned MTG-\d{4} “Meeting with Acme”/);
    const m = await h.db.meeting.findFirstOrThrow({ where: { organizerId: org.user.id }, include: { attendees: true, reminders: true, partner: true } });
    expect(m).toMatchObject({ sequence: 0, version: 0, status: "confirmed", rrule: null, partner: { name: "Acme" } });
    expect(m.uid).toMatch(/^[0-9a-f-]{36}@switchboard$/);
    expect(m.endAt.getTime() - m.startAt.getTime()).toBe(45 * 60_000);
    expect(m.attendees.map((a) => [a.userId ?? a.email, a.response]).sort()).toEqual(
      [[org.user.id, "accepted"], [ana.user.id, "needs_action"], ["bob@acme.com", "needs_action"]].sort(),
    );
    expect(m.reminders.map((r) => [r.minutesBefore, r.channel])).toEqual([[15, "dm"]]);
    const invite = m.attendees.find((a) => a.userId === ana.user.id)!;
    const dm = await h.db.outbox.findFirstOrThrow({ where: { subjectKey: `meeting:${m.id}:invite:${invite.id}` } });
    expect(dm.target).toBe(ana.user.slackUserId);
    const answers = (dm.payload as unknown as MessageView).blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).filter((a) => a.id === "meeting.answer").map((a) => a.value);
    expect(answers).toEqual([`${m.id}:${invite.id}:accepted`, `${m.id}:${invite.id}:tentative`, `${m.id}:${invite.id}:declined`]);
    expect(await h.db.outbox.count({ where: { subjectKey: `meeting:${m.id}:organizer`, target: org.user.slackUserId! } })).toBe(1);
    const mail = await h.db.outbox.findFirstOrThrow({ where: { channel: "email", target: "bob@acme.com" } });
    expect((mail.payload as { subject: string }).subject).toMatch(/^Invitation: Meeting with Acme/);
    expect((mail.payload as { ics?: { method: string; content: string } }).ics).toMatchObject({ method: "REQUEST", content: expect.stringContaining(m.uid) });
    await h.db.meeting.delete({ where: { id: m.id } });
  });

  it("answers an invitation once per answer, only for the invited person, and updates the organizer's card", async () => {
    await runCommand(h.deps, org, `meet Acme in 3 days at 9am with Ana Ruiz`, slack);
    const m = await h.db.meeting.findFirstOrThrow({ where: { organizerId: org.user.id }, include: { attendees: true }, orderBy: { number: "desc" } });
    const invite = m.attendees.find((a) => a.userId === ana.user.id)!;
    const value = `${m.id}:${invite.id}:accepted`;
    expect(viewOf(await runAction(h.deps, bea, "meeting.answer", value)).text).toBe("Only the person invited can answer this invitation.");
    expect(viewOf(await runAction(h.deps, org, "meeting.answer", value)).text).toBe("Only the person invited can answer this invitation.");
    const before = await h.db.outbox.count({ where: { subjectKey: `meeting:${m.id}:organizer` } });
    const [first, second] = await Promise.all([runAction(h.deps, ana, "meeting.answer", value), runAction(h.deps, ana, "meeting.answer", value)]);
    const texts = [viewOf(first).text, viewOf(second).text].sort();
    expect(texts[0]).toMatch(/^You accepted MTG-/);
    expect(texts[1]).toMatch(/^You already accepted MTG-/);
    expect(await h.db.meetingAttendee.findUniqueOrThrow({ where: { id: invite.id } })).toMatchObject({ response: "accepted" });
    const cards = await h.db.outbox.findMany({ where: { subjectKey: `meeting:${m.id}:organizer` }, orderBy: { seq: "asc" } });
    expect(cards.length).toBe(before + 1);
    expect(JSON.stringify(cards.at(-1)!.payload)).toContain("Ana Ruiz — Accepted");
    expect(viewOf(await runAction(h.deps, ana, "meeting.answer", `${m.id}:${invite.id}:maybe`)).text).toMatch(/out of date/);
    expect(viewOf(await runAction(h.deps, ana, "meeting.answer", "x".repeat(5000))).text).toMatch(/out of date/);
    await h.db.meeting.delete({ where: { id: m.id } });
  });

  it("exports a meeting as an .ics emailed to the person who asks, once per version, and to nobody uninvited", async () => {
    await runCommand(h.deps, org, `meet Acme in 4 days at 11am with Ana Ruiz`, slack);
    const m = await h.db.meeting.findFirstOrThrow({ where: { organizerId: org.user.id }, orderBy: { number: "desc" } });
    expect(viewOf(await runAction(h.deps, bea, "meeting.email-ics", m.id)).text).toBe("Only the organizer and the people invited can see this meeting.");
    const first = viewOf(await runAction(h.deps, ana, "meeting.email-ics", m.id));
    expect(first.text).toBe(`📧 The .ics of MTG-${String(m.number).padStart(4, "0")} is on its way to ${ana.user.email}.`);
    await runAction(h.deps, ana, "meeting.email-ics", m.id);
    const mails = await h.db.outbox.findMany({ where: { channel: "email", target: ana.user.email } });
    expect(mails).toHaveLength(1);
    const ics = (mails[0]!.payload as { ics?: { method: string; content: string } }).ics!;
    expect(ics.method).toBe("PUBLISH");
    expect(ics.content).toContain(`UID:${m.uid}`);
    expect(viewOf(await runAction(h.deps, ana, "meeting.email-ics", "no-such-id")).text).toBe("That meeting no longer exists.");
    await h.db.meeting.delete({ where: { id: m.id } });
  });

  it("refuses unknown attendees, a bad video link, a long title and an end before the start, by field", async () => {
    const start = slot(20).toISOString();
    const reply = await submit(org, { title: "x".repeat(201), startAt: start, people: "Nobody Here, ana ruiz, Zed", videoUrl: "javascript:alert(1)" });
    expect(reply.kind).toBe("errors");
    const errors = (reply as { errors: Record<string, string> }).errors;
    expect(errors.title).toMatch(/200 characters/);
    expect(errors.videoUrl).toMatch(/https:\/\//);
    const backwards = await submit(org, { title: "Review", startAt: start, endAt: slot(19).toISOString() });
    expect(backwards).toEqual({ kind: "errors", errors: { endAt: "The end must be after the start." } });
    expect(await submit(org, { title: "Review", startAt: start, reminders: "soon" })).toEqual({ kind: "errors", errors: { reminders: expect.stringContaining("not a reminder") } });
    expect(await submit(org, { title: "Review", startAt: start, repeat: "weekly", ends: "count" })).toEqual({ kind: "errors", errors: { count: "Say how many meetings the series has." } });
    expect(await submit(org, { title: "Review", startAt: "next blursday" })).toEqual({ kind: "errors", errors: { startAt: expect.stringContaining("2026-11-24 10:00") } });
    const people = await submit(org, { title: "Review", startAt: start, people: "Nobody Here, ana ruiz, Zed" });
    expect(people).toEqual({ kind: "errors", errors: { people: expect.stringContaining("“Nobody Here”, “Zed”") } });
    expect(await h.db.meeting.count({ where: { title: "Review" } })).toBe(0);
  });

  it("warns about a clash with any of the first occurrences, and schedules anyway when asked", async () => {
    const busy = viewOf(await submit(org, { title: "Board", startAt: slot(30, 10).toISOString(), duration: "2h" }));
    expect(busy.text).toMatch(/Planned MTG-\d+ “Board”/);
    // A daily series whose third meeting overlaps the board meeting.
    const values = { title: "Standup", startAt: slot(28, 11).toISOString(), duration: "30m", repeat: "daily", ends: "count", count: "5" };
    const warned = formOf(await submit(org, values));
    expect(warned.intro).toMatch(/already busy then: MTG-\d+ “Board”/);
    expect(warned.fields.find((f) => f.id === "ignoreClashes")).toBeDefined();
    expect(warned.fields.find((f) => f.id === "title")?.initial).toBe("Standup");
    expect(await h.db.meeting.count({ where: { title: "Standup" } })).toBe(0);
    viewOf(await submit(org, { ...values, ignoreClashes: "yes" }));
    const standup = await h.db.meeting.findFirstOrThrow({ where: { title: "Standup" } });
    expect(standup.rrule).toBe("FREQ=DAILY;COUNT=5");
    expect(standup.seriesEndAt).toEqual(new Date(slot(32, 11).getTime() + 30 * 60_000));
    // The quick form answers with the clash and a button that schedules anyway.
    const board = await h.db.meeting.findFirstOrThrow({ where: { title: "Board" } });
    const day = board.startAt.toISOString().slice(0, 10);
    const quick = viewOf(await runCommand(h.deps, org, `meet Acme: Lunch ${day} 10:30am for 30m`, slack));
    expect(quick.text).toMatch(/already busy then: MTG-\d+ “Board”/);
    const anyway = buttons(quick).find((b) => b.id === "meeting.quick-anyway")!;
    expect(await h.db.meeting.count({ where: { title: "Lunch" } })).toBe(0);
    expect(viewOf(await runAction(h.deps, org, anyway.id, anyway.value!)).text).toMatch(/Planned MTG-\d+ “Lunch”/);
    expect(await h.db.meeting.count({ where: { title: "Lunch" } })).toBe(1);
    // Free time never clashes.
    expect(viewOf(await submit(org, { title: "Optional", startAt: slot(30, 10).toISOString(), showAs: "free" })).text).toMatch(/Planned/);
  });

  it("edits all occurrences: bumps sequence and version, asks everyone again, refuses others and stale forms", async () => {
    await submit(org, { title: "Weekly", startAt: slot(40, 9).toISOString(), repeat: "weekly", people: `Ana Ruiz, guest@acme.com` });
    const m = await h.db.meeting.findFirstOrThrow({ where: { title: "Weekly" }, include: { attendees: true } });
    const invite = m.attendees.find((a) => a.userId === ana.user.id)!;
    await runAction(h.deps, ana, "meeting.answer", `${m.id}:${invite.id}:accepted`);
    expect(viewOf(await runAction(h.deps, ana, "meeting.edit", `${m.id}:0`)).text).toMatch(/Only the organizer/);
    const form = formOf(await runAction(h.deps, org, "meeting.edit", `${m.id}:0`));
    expect(form.fields.find((f) => f.id === "repeat")?.initial).toBe("weekly");
    expect(form.fields.find((f) => f.id === "scope")).toBeUndefined();
    const edited = viewOf(await submit(org, { title: "Weekly sync", startAt: slot(40, 10).toISOString(), repeat: "weekly", people: "Ana Ruiz" }, form.context ?? {}));
    expect(edited.text).toMatch(/^Saved MTG-/);
    const after = await h.db.meeting.findUniqueOrThrow({ where: { id: m.id }, include: { attendees: true } });
    expect(after).toMatchObject({ title: "Weekly sync", sequence: 1, version: 1, startAt: slot(40, 10) });
    expect(after.attendees.map((a) => [a.userId ?? a.email, a.response]).sort()).toEqual([[org.user.id, "accepted"], [ana.user.id, "needs_action"]].sort());
    const removal = await h.db.outbox.findFirstOrThrow({ where: { channel: "email", target: "guest@acme.com", dedupeKey: { contains: "removed" } } });
    expect((removal.payload as { ics?: { method: string } }).ics?.method).toBe("CANCEL");
    expect(viewOf(await submit(org, { title: "Stale", startAt: slot(40, 10).toISOString() }, form.context)).text).toMatch(/changed since you opened/);
  });

  it("edits one occurrence as an exception, and this-and-following as a split series", async () => {
    await submit(org, { title: "Series", startAt: slot(60, 8).toISOString(), repeat: "daily", ends: "count", count: "10" });
    const m = await h.db.meeting.findFirstOrThrow({ where: { title: "Series" } });
    const third = slot(62, 8);
    const form = formOf(await runAction(h.deps, org, "meeting.edit", `${m.id}:0:${third.getTime()}`));
    expect(form.fields[0]).toMatchObject({ id: "scope", initial: "this" });
    viewOf(await submit(org, { scope: "this", title: "Series (moved)", startAt: slot(62, 15).toISOString(), repeat: "daily", ends: "count", count: "10" }, form.context ?? {}));
    expect(await h.db.meetingException.findFirstOrThrow({ where: { meetingId: m.id } })).toMatchObject({ originalStart: third, startAt: slot(62, 15), title: "Series (moved)", isCancelled: false });
    const fifth = slot(64, 8);
    const form2 = formOf(await runAction(h.deps, org, "meeting.edit", `${m.id}:1:${fifth.getTime()}`));
    const split = viewOf(await submit(org, { scope: "following", title: "Series, later", startAt: fifth.toISOString(), repeat: "daily", ends: "count", count: "10" }, form2.context));
    expect(split.text).toMatch(/continues as MTG-/);
    const old = await h.db.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(old.rrule).toMatch(/UNTIL=/);
    const next = await h.db.meeting.findFirstOrThrow({ where: { splitFromId: m.id } });
    expect(next).toMatchObject({ title: "Series, later", startAt: fifth, rrule: "FREQ=DAILY;COUNT=6" });
    expect(next.uid).not.toBe(old.uid);
  });

  it("cancels one occurrence or the whole meeting; guests get METHOD:CANCEL", async () => {
    await submit(org, { title: "Cancel me", startAt: slot(80, 12).toISOString(), repeat: "weekly", people: "late@acme.com" });
    const m = await h.db.meeting.findFirstOrThrow({ where: { title: "Cancel me" } });
    expect(viewOf(await runAction(h.deps, ana, "meeting.cancel", `${m.id}:0`)).text).toMatch(/Only the organizer/);
    const second = slot(87, 12);
    const form = formOf(await runAction(h.deps, org, "meeting.cancel", `${m.id}:0:${second.getTime()}`));
    viewOf(await submitForm(h.deps, org, "meeting.cancel", { scope: "this" }, form.context ?? {}));
    expect(await h.db.meetingException.findFirstOrThrow({ where: { meetingId: m.id } })).toMatchObject({ originalStart: second, isCancelled: true });
    const whole = formOf(await runAction(h.deps, org, "meeting.cancel", `${m.id}:1`));
    expect(viewOf(await submitForm(h.deps, org, "meeting.cancel", { scope: "all", note: "Project ended" }, whole.context ?? {})).text).toMatch(/^Cancelled MTG-/);
    expect(await h.db.meeting.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ status: "cancelled", sequence: 2 });
    const mails = await h.db.outbox.findMany({ where: { channel: "email", target: "late@acme.com" }, orderBy: { seq: "asc" } });
    expect(mails.map((r) => (r.payload as { ics?: { method: string } }).ics?.method)).toEqual(["REQUEST", "REQUEST", "CANCEL"]);
    expect(viewOf(await submitForm(h.deps, org, "meeting.cancel", { scope: "all" }, whole.context ?? {})).text).toMatch(/already cancelled/);
  });

  it("shows my agenda: occurrences in the window and planned calls, not declined meetings; the card only to those invited", async () => {
    const me = await aPerson(h.db, { timeZone: "UTC" });
    const start = slot(1, 9);
    await submitForm(h.deps, me, "meeting.form", { title: "Daily", startAt: start.toISOString(), duration: "15m", repeat: "daily", reminders: "" }, {});
    await h.db.phoneCall.create({ data: { ownerId: me.user.id, state: "planned", direction: "outbound", subject: "Call Acme back", callAt: slot(1, 11) } });
    await runCommand(h.deps, org, `meet Acme in 1 day at 4pm with ${me.user.email}`, slack);
    const declined = await h.db.meeting.findFirstOrThrow({ where: { organizerId: org.user.id }, orderBy: { number: "desc" }, include: { attendees: true } });
    await runAction(h.deps, me, "meeting.answer", `${declined.id}:${declined.attendees.find((a) => a.userId === me.user.id)!.id}:declined`);
    const day = new Date(start).toISOString().slice(0, 10);
    const agenda = viewOf(await runCommand(h.deps, me, `agenda ${day}`, slack));
    const lines = agenda.blocks.filter((b) => b.type === "text").map((b) => (b as { text: string }).text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/09:00–09:15 · \*Daily\*/);
    expect(lines[1]).toMatch(/call with \*no partner\*: Call Acme back/);
    const week = viewOf(await runCommand(h.deps, me, "agenda week", slack));
    expect(week.blocks.filter((b) => b.type === "text" && b.text.includes("*Daily*")).length).toBeGreaterThanOrEqual(6);
    expect(viewOf(await runCommand(h.deps, me, "agenda someday", slack)).text).toMatch(/Write `agenda`/);
    const daily = await h.db.meeting.findFirstOrThrow({ where: { organizerId: me.user.id } });
    expect(viewOf(await runCommand(h.deps, bea, `meeting MTG-${daily.number}`, slack)).text).toMatch(/Only the organizer and the people invited/);
    expect(viewOf(await runCommand(h.deps, me, `meeting MTG-${daily.number}`, slack)).text).toMatch(/Daily/);
    expect(viewOf(await runCommand(h.deps, me, "meeting MTG-999999", slack)).text).toMatch(/There is no meeting/);
  });

  it("plans a meeting from an opportunity card, linked and noted on its timeline", async () => {
    const stage = (await h.db.leadStage.findFirst({ where: { kind: "open" } })) ?? (await h.db.leadStage.create({ data: { name: "New", sequence: 1, probability: 10 } }));
    const acme = await h.db.partner.findFirstOrThrow({ where: { name: "Acme" } });
    const lead = await h.db.lead.create({ data: { type: "opportunity", title: "Renewal", partnerId: acme.id, salespersonId: org.user.id, stageId: stage.id } });
    const form = formOf(await runAction(h.deps, org, "meeting.new-for", `lead:${lead.id}`));
    expect(form.fields.find((f) => f.id === "title")?.initial).toBe(`Meeting about OPP-${String(lead.number).padStart(4, "0")}: Renewal`);
    expect(form.fields.find((f) => f.id === "partner")?.initial).toBe(acme.id);
    viewOf(await submit(org, { title: "Renewal talk", startAt: slot(100).toISOString(), partner: acme.id }, form.context ?? {}));
    const m = await h.db.meeting.findFirstOrThrow({ where: { title: "Renewal talk" } });
    expect(m).toMatchObject({ leadId: lead.id, partnerId: acme.id });
    const timeline = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "lead", recordId: lead.id, kind: "meeting" } });
    expect(timeline.summary).toMatch(/^Meeting planned: Renewal talk \(MTG-/);
    expect(viewOf(await runAction(h.deps, org, "meeting.new-for", "lead:not-an-id")).text).toMatch(/no longer exists/);
  });
});
