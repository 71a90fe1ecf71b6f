import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}`);
}

function buttons(view: MessageView) {
  return view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
}

describe("phone calls through the dispatcher", () => {
  let h: HandlerHarness;
  let ana: Who;

  beforeAll(async () => {
    h = await handlerHarness();
    ana = await aPerson(h.db);
    await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => h?.close());

  it("logs a held outbound call from the quick form and answers with a card to edit or follow up", async () => {
    const reply = await runCommand(h.deps, ana, "call acme corp: discussed renewal, 20m", slack);
    const view = viewOf(reply);
    expect(view.text).toMatch(/Call with Acme Corp: discussed renewal \(CALL-\d{4}\)/);
    expect(buttons(view).map((b) => b.id)).toEqual(["call.to-opportunity", "meeting.new-for", "call.follow-up", "call.edit"]);
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { ownerId: ana.user.id }, include: { partner: true } });
    expect(call).toMatchObject({ state: "held", direction: "outbound", durationMinutes: 20, subject: "discussed renewal", partner: { name: "Acme Corp" } });
    expect(await h.db.timelineEntry.count({ where: { recordType: "call", recordId: call.id } })).toBe(1);
  });

  it("offers to create an unknown partner, and creates it with the call when asked", async () => {
    const reply = viewOf(await runCommand(h.deps, ana, "call Initech: intro call, 15m", slack));
    expect(reply.text).toBe("No partner is called “Initech” yet.");
    const create = buttons(reply).find((b) => b.id === "call.quick-create-partner")!;
    expect(await h.db.partner.count({ where: { name: "Initech" } })).toBe(0);
    const after = viewOf(await runAction(h.deps, ana, create.id, create.value!));
    expect(after.text).toMatch(/Initech: intro call/);
    expect(await h.db.partner.count({ where: { name: "Initech" } })).toBe(1);
  });

  it("asks which partner was meant when several match", async () => {
    await h.db.partner.createMany({ data: [{ kind: "company", name: "Globex East" }, { kind: "company", name: "Globex West" }] });
    const reply = viewOf(await runCommand(h.deps, ana, "call Globex: pricing, 5m", slack));
    const use = buttons(reply).filter((b) => b.id === "call.quick-with-partner");
    expect(use.map((b) => b.label)).toEqual(["Use Globex East", "Use Globex West"]);
    const chosen = viewOf(await runAction(h.deps, ana, use[1]!.id, use[1]!.value!));
    expect(chosen.text).toMatch(/Globex West: pricing/);
  });

  it("explains the quick form when it cannot be read", async () => {
    const reply = viewOf(await runCommand(h.deps, ana, "call Acme discussed things", slack));
    expect(reply.text).toMatch(/Write the partner, a colon/);
  });

  it("opens the call form for /crm call with no arguments", async () => {
    const reply = await runCommand(h.deps, ana, "call", slack);
    expect(reply.kind).toBe("form");
    if (reply.kind === "form") expect(reply.form.fields.map((f) => f.id)).toEqual(["direction", "state", "partner", "contactPhone", "subject", "notes", "durationMinutes", "callAt"]);
  });

  it("gives field errors for bad form values and stores nothing", async () => {
    const before = await h.db.phoneCall.count();
    const reply = await submitForm(h.deps, ana, "call.form", { subject: "", durationMinutes: "abc", callAt: "someday", contactPhone: "call me" }, {});
    expect(reply).toEqual({
      kind: "errors",
      errors: {
        subject: "Say what the call was about.",
        durationMinutes: "Duration is a whole number of minutes, e.g. 20.",
        callAt: "Use a date and time like 2026-11-24 10:00.",
        contactPhone: "Use digits, spaces and + ( ) - . only, e.g. +49 30 1234567.",
      },
    });
    expect(await h.db.phoneCall.count()).toBe(before);
  });

  it("stores a valid form, creating a new partner typed in the search field, with local time read in the person's zone", async () => {
    const reply = await submitForm(
      h.deps,
      ana,
      "call.form",
      { direction: "inbound", state: "held", partner: "new:Umbrella", subject: "Complaint about delivery", durationMinutes: "12", callAt: "2026-11-20T14:30" },
      {},
    );
    expect(reply.kind).toBe("done");
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { subject: "Complaint about delivery" }, include: { partner: true } });
    expect(call).toMatchObject({ direction: "inbound", durationMinutes: 12, partner: { name: "Umbrella" }, callAt: new Date("2026-11-20T13:30:00Z") });
  });

  it("lets the owner and their team's manager edit a call, and no one else", async () => {
    const team = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    const owner = await aPerson(h.db, { teamIds: [team.id] });
    const manager = await aPerson(h.db, { role: "manager", managedTeamIds: [team.id] });
    const stranger = await aPerson(h.db);
    await runCommand(h.deps, owner, "call Acme Corp: first contact, 5m", slack);
    const call = await h.db.phoneCall.findFirstOrThrow({ where: { ownerId: owner.user.id } });
    expect((await runAction(h.deps, owner, "call.edit", call.id)).kind).toBe("form");
    expect((await runAction(h.deps, manager, "call.edit", call.id)).kind).toBe("form");
    expect(viewOf(await runAction(h.deps, stranger, "call.edit", call.id)).text).toMatch(/Only the call's owner/);
    const denied = await submitForm(h.deps, stranger, "call.form", { subject: "hijacked", callAt: "2026-11-20T10:00" }, { callId: call.id });
    expect(viewOf(denied).text).toMatch(/Only the call's owner/);
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).subject).toBe("first contact");
  });

  it("DMs the owner when a planned call falls due, once, and not for a call moved later", async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const later = new Date(Date.now() + 3600_000).toISOString();
    const first = await submitForm(h.deps, ana, "call.form", { state: "planned", partner: "Acme Corp", subject: "Due soon", callAt: soon }, {});
    expect(first.kind).toBe("done");
    await submitForm(h.deps, ana, "call.form", { state: "planned", partner: "Acme Corp", subject: "Moved later", callAt: soon }, {});
    const moved = await h.db.phoneCall.findFirstOrThrow({ where: { subject: "Moved later" } });
    await submitForm(h.deps, ana, "call.form", { state: "planned", partner: "Acme Corp", subject: "Moved later", callAt: later }, { callId: moved.id });

    const due = await h.db.phoneCall.findFirstOrThrow({ where: { subject: "Due soon" } });
    await waitFor(async () => (await h.db.outbox.count({ where: { target: ana.user.slackUserId! } })) > 0, 10_000);
    await new Promise((r) => setTimeout(r, 2000));
    const rows = await h.db.outbox.findMany({ where: { target: ana.user.slackUserId! } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "slack", scope: "T1", state: "pending" });
    expect((rows[0]!.payload as { text: string }).text).toBe("Planned call due: Acme Corp — Due soon");
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: due.id } })).dueNotifiedAt).not.toBeNull();
    expect((await h.db.phoneCall.findUniqueOrThrow({ where: { id: moved.id } })).dueNotifiedAt).toBeNull();
  });

  it("lists my planned calls for today and overdue ones, not tomorrow's", async () => {
    const bob = await aPerson(h.db, { timeZone: "UTC" });
    const now = Date.now();
    for (const [subject, at] of [["Ring Alpha", now - 86_400_000], ["Ring Beta", now + 2 * 86_400_000]] as const) {
      await h.db.phoneCall.create({ data: { subject, state: "planned", callAt: new Date(at), ownerId: bob.user.id } });
    }
    const view = viewOf(await runCommand(h.deps, bob, "calls", slack));
    const text = JSON.stringify(view.blocks);
    expect(text).toMatch(/Ring Alpha.*overdue/);
    expect(text).not.toContain("Ring Beta");
  });
});
