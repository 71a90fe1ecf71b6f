import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const HOUR = 3600_000;

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}`);
}

function buttons(view: MessageView) {
  return view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
}

function button(view: MessageView, id: string) {
  const found = buttons(view).find((b) => b.id === id);
  if (!found) throw new Error(`no ${id} button among ${buttons(view).map((b) => b.id).join(", ")}`);
  return found;
}

describe("the planned call's workflow", () => {
  let h: HandlerHarness;
  let clock = new Date("2026-11-23T09:00:00Z");
  let ana: Who;
  let bob: Who;
  let salesTeamId: string;
  let acmeId: string;

  beforeAll(async () => {
    h = await handlerHarness({ now: () => clock });
    const suffix = Math.random().toString(36).slice(2, 8);
    salesTeamId = (await h.db.team.create({ data: { name: `Sales ${suffix}`, kind: "sales", slackChannelId: `CSALES${suffix}` } })).id;
    const support = (await h.db.team.create({ data: { name: `Support ${suffix}`, kind: "support" } })).id;
    ana = await aPerson(h.db, { timeZone: "UTC", teamIds: [support, salesTeamId] });
    bob = await aPerson(h.db);
    acmeId = (await h.db.partner.create({ data: { kind: "company", name: `Acme ${suffix}` } })).id;
  });
  afterAll(async () => h?.close());

  async function planCall(subject = "renewal pricing", phone: string | null = "+49 30 1234567") {
    const acme = await h.db.partner.findUniqueOrThrow({ where: { id: acmeId } });
    const view = viewOf(await runCommand(h.deps, ana, `call ${acme.name}: ${subject} tomorrow 10am`, slack));
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { ownerId: ana.user.id, subject }, orderBy: { createdAt: "desc" } });
    if (phone) await h.db.phoneCall.update({ where: { id: call.id }, data: { contactPhone: phone } });
    return { view, call };
  }

  it("offers Held, Voicemail, Cancel, Create opportunity, Schedule meeting, follow-up and Edit on a planned call, versioned", async () => {
    const { view, call } = await planCall("planned buttons");
    expect(call).toMatchObject({ state: "planned", kind: "call", version: 0 });
    expect(buttons(view).map((b) => b.id)).toEqual(["call.held", "call.voicemail", "call.cancel", "call.to-opportunity", "meeting.new-for", "call.follow-up", "call.edit"]);
    expect(button(view, "call.held")).toMatchObject({ value: `${call.id}:0`, opensForm: true });
    expect(button(view, "meeting.new-for")).toMatchObject({ value: `call:${call.id}`, opensForm: true });
  });

  it("marks a call held from the form with notes and a duration, once, and offers the held call's buttons", async () => {
    const { view, call } = await planCall("held with duration");
    const opened = await runAction(h.deps, ana, "call.held", button(view, "call.held").value!);
    expect(opened.kind).toBe("form");
    if (opened.kind !== "form") return;
    expect(opened.form.fields.map((f) => f.id)).toEqual(["notes", "durationMinutes"]);
    const done = viewOf(await submitForm(h.deps, ana, opened.form.id, { notes: "They want 40 seats", durationMinutes: "25" }, opened.form.context!));
    expect(done.blocks[0]).toEqual({ type: "text", text: "✅ Call marked held." });
    expect(buttons(done).map((b) => b.id)).toEqual(["call.to-opportunity", "meeting.new-for", "call.follow-up", "call.edit"]);
    const stored = await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(stored).toMatchObject({ state: "held", notes: "They want 40 seats", durationMinutes: 25, version: 1 });
    expect(await h.db.timelineEntry.count({ where: { recordType: "call", recordId: call.id, kind: "held" } })).toBe(1);

    // The same form submitted again (a double click) changes nothing.
    const again = viewOf(await submitForm(h.deps, ana, opened.form.id, { notes: "overwritten", durationMinutes: "99" }, opened.form.context!));
    expect(again.blocks[0]).toMatchObject({ text: expect.stringMatching(/already marked held/) });
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ notes: "They want 40 seats", durationMinutes: 25, version: 1 });
  });

  it("computes the duration as now − call time when held without one (OCA), capped at a day, none before the call time", async () => {
    const { call } = await planCall("held no duration");
    clock = new Date(call.callAt.getTime() + 17 * 60_000);
    const form = (await runAction(h.deps, ana, "call.held", `${call.id}:0`)) as Extract<Reply, { kind: "form" }>;
    await submitForm(h.deps, ana, form.form.id, {}, form.form.context!);
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).durationMinutes).toBe(17);

    clock = new Date("2026-11-23T09:00:00Z");
    const early = await planCall("held early");
    const earlyForm = (await runAction(h.deps, ana, "call.held", `${early.call.id}:0`)) as Extract<Reply, { kind: "form" }>;
    await submitForm(h.deps, ana, earlyForm.form.id, {}, earlyForm.form.context!);
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: early.call.id } })).toMatchObject({ state: "held", durationMinutes: null });
  });

  it("rejects malformed and huge held-form input with field errors and changes nothing", async () => {
    const { call } = await planCall("held bad input");
    const form = (await runAction(h.deps, ana, "call.held", `${call.id}:0`)) as Extract<Reply, { kind: "form" }>;
    const bad = await submitForm(h.deps, ana, form.form.id, { notes: "x".repeat(3001), durationMinutes: "twenty" }, form.form.context!);
    expect(bad.kind).toBe("errors");
    if (bad.kind === "errors") expect(Object.keys(bad.errors).sort()).toEqual(["durationMinutes", "notes"]);
    const tooLong = await submitForm(h.deps, ana, form.form.id, { durationMinutes: "5000" }, form.form.context!);
    expect(tooLong).toMatchObject({ kind: "errors", errors: { durationMinutes: expect.stringMatching(/24 hours/) } });
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "planned", version: 0 });
    const forged = viewOf(await submitForm(h.deps, ana, form.form.id, {}, { callId: "not-a-uuid", version: "0" }));
    expect(forged.text).toMatch(/no longer supported/);
  });

  it("notes a voicemail (held, kind voicemail, now) and a double click acts once", async () => {
    const { view, call } = await planCall("nobody picked up");
    const value = button(view, "call.voicemail").value!;
    const first = viewOf(await runAction(h.deps, ana, "call.voicemail", value));
    expect(first.text).toMatch(/^📼 Voicemail noted.*Voicemail for Acme/);
    const second = viewOf(await runAction(h.deps, ana, "call.voicemail", value));
    expect(second.text).toMatch(/already marked held/);
    const stored = await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(stored).toMatchObject({ state: "held", kind: "voicemail", version: 1, callAt: clock });
    expect(await h.db.timelineEntry.count({ where: { recordType: "call", recordId: call.id, kind: "voicemail" } })).toBe(1);
  });

  it("cancels a planned call; a stale card (older version) does nothing and shows the current card", async () => {
    const { view, call } = await planCall("cancel me");
    const staleValue = button(view, "call.cancel").value!;
    await h.db.phoneCall.update({ where: { id: call.id }, data: { notes: "changed elsewhere", version: { increment: 1 } } });
    const stale = viewOf(await runAction(h.deps, ana, "call.cancel", staleValue));
    expect(stale.text).toMatch(/changed since this card was shown/);
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).state).toBe("planned");
    const fresh = viewOf(await runAction(h.deps, ana, "call.cancel", button(stale, "call.cancel").value!));
    expect(fresh.text).toMatch(/^Call cancelled/);
    expect(buttons(fresh).map((b) => b.id)).toEqual(["call.follow-up", "call.edit"]);
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "cancelled", version: 2 });
  });

  it("refuses someone outside the owner's teams without showing the call, and changes nothing", async () => {
    const { view, call } = await planCall("not bob's");
    for (const id of ["call.held", "call.voicemail", "call.cancel", "call.to-opportunity"]) {
      const reply = viewOf(await runAction(h.deps, bob, id, button(view, id).value!));
      expect(reply.text).toBe("Only the call's owner, their team's manager or an admin can change this call.");
      expect(reply.text).not.toContain("not bob's");
    }
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "planned", version: 0, leadId: null });
    expect(await h.db.lead.count({ where: { title: "not bob's" } })).toBe(0);
  });

  it("creates an opportunity from a planned call: subject, partner, phone, the caller and their first sales team; links and holds the call", async () => {
    const { view, call } = await planCall("wants 40 seats");
    clock = new Date(call.callAt.getTime() + 30 * 60_000);
    const value = button(view, "call.to-opportunity").value!;
    const reply = viewOf(await runAction(h.deps, ana, "call.to-opportunity", value));
    const lead = await h.db.lead.findFirstOrThrow({ where: { title: "wants 40 seats" }, include: { stage: true, channel: true } });
    expect(lead).toMatchObject({ type: "opportunity", partnerId: acmeId, phone: "+49 30 1234567", phoneSanitized: "+49301234567", salespersonId: ana.user.id, teamId: salesTeamId, channel: { code: "phone" }, isOpen: true });
    expect(lead.stage.kind).toBe("open");
    expect(reply.text).toMatch(new RegExp(`^✅ OPP-${String(lead.number).padStart(4, "0")} created from CALL-`));
    expect(buttons(reply).some((b) => b.id.startsWith("lead."))).toBe(true);
    const stored = await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(stored).toMatchObject({ leadId: lead.id, state: "held", durationMinutes: 30, version: 1 });
    // The opportunity's card goes to the sales team's channel through the outbox.
    const posted = await h.db.outbox.findMany({ where: { subjectKey: `lead:${lead.id}` } });
    expect(posted.map((p) => p.target)).toContain((await h.db.team.findUniqueOrThrow({ where: { id: salesTeamId } })).slackChannelId);

    // A double click creates no second opportunity.
    const again = viewOf(await runAction(h.deps, ana, "call.to-opportunity", value));
    expect(again.text).toMatch(/already belongs to an opportunity/);
    expect(await h.db.lead.count({ where: { title: "wants 40 seats" } })).toBe(1);
    const held = await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id }, include: { partner: true, owner: true } });
    expect(held.state).toBe("held");
  });

  it("the held call card no longer offers Create opportunity once the call is linked", async () => {
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { subject: "wants 40 seats" } });
    const shown = viewOf(await runCommand(h.deps, ana, `call CALL-${call.number}`, slack));
    expect(buttons(shown).map((b) => b.id)).toEqual(["meeting.new-for", "call.follow-up", "call.edit"]);
  });

  it("Schedule follow-up keeps OCA's choice: planned schedules another call, held logs it and marks the original held", async () => {
    const { view, call } = await planCall("follow me up");
    const form = (await runAction(h.deps, ana, "call.follow-up", button(view, "call.follow-up").value!)) as Extract<Reply, { kind: "form" }>;
    expect(form.form.context).toMatchObject({ followUpOf: call.id });
    const values = { direction: "outbound", state: "planned", partner: acmeId, subject: "Follow-up: follow me up", callAt: new Date(clock.getTime() + 48 * HOUR).toISOString() };
    await submitForm(h.deps, ana, form.form.id, values, form.form.context!);
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).state).toBe("planned");

    await submitForm(h.deps, ana, form.form.id, { ...values, state: "held", subject: "Follow-up logged", callAt: clock.toISOString(), durationMinutes: "5" }, form.form.context!);
    expect(await h.db.phoneCall.findFirstOrThrow({ where: { subject: "Follow-up logged" } })).toMatchObject({ state: "held", durationMinutes: 5 });
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "held", version: 1 });
    // Its card's buttons are now stale.
    expect(viewOf(await runAction(h.deps, ana, "call.cancel", `${call.id}:0`)).text).toMatch(/already marked held/);
  });

  it("a follow-up logged by someone who may not change the original leaves it planned", async () => {
    const { call } = await planCall("bob follows");
    const context = { followUpOf: call.id };
    await submitForm(h.deps, bob, "call.form", { direction: "outbound", state: "held", partner: acmeId, subject: "Bob logged", callAt: clock.toISOString() }, context);
    expect(await h.db.phoneCall.findFirstOrThrow({ where: { subject: "Bob logged" } })).toMatchObject({ ownerId: bob.user.id, state: "held" });
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "planned", version: 0 });
  });

  it("reads `left a voicemail` in the quick form as a held voicemail", async () => {
    const acme = await h.db.partner.findUniqueOrThrow({ where: { id: acmeId } });
    const view = viewOf(await runCommand(h.deps, ana, `call ${acme.name}: left a voicemail about the renewal`, slack));
    expect(view.text).toMatch(/^Voicemail for Acme/);
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { subject: "left a voicemail about the renewal" } });
    expect(call).toMatchObject({ kind: "voicemail", state: "held" });
  });

  it("answers a malformed or unknown call button value with a sentence", async () => {
    expect(viewOf(await runAction(h.deps, ana, "call.cancel", "garbage")).text).toMatch(/no longer supported/);
    expect(viewOf(await runAction(h.deps, ana, "call.cancel", "00000000-0000-4000-8000-000000000000:0")).text).toBe("That call no longer exists.");
    expect(viewOf(await runAction(h.deps, ana, "call.held", `${"9".repeat(5000)}:1`)).text).toMatch(/no longer supported/);
  });
});
