import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentTooLarge } from "../../src/domain/claims.js";
import { formFromMessage, runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import type { IncomingAttachment } from "../../src/handlers/claims/attachments.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply).slice(0, 300)}`);
}

function buttons(view: MessageView) {
  return view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
}

function button(view: MessageView, id: string) {
  const found = buttons(view).find((b) => b.id === id);
  if (!found) throw new Error(`no ${id} button in ${JSON.stringify(buttons(view).map((b) => b.id))}`);
  return found;
}

function allText(view: MessageView): string {
  return JSON.stringify(view.blocks);
}

describe("claims through the dispatcher", () => {
  let h: HandlerHarness;
  let admin: Who;
  let support: { id: string };
  let logistics: { id: string };
  let purchasing: { id: string };
  let ana: Who; // support agent
  let leo: Who; // logistics agent
  let paula: Who; // purchasing agent

  beforeAll(async () => {
    h = await handlerHarness();
    support = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT" } });
    logistics = await h.db.team.create({ data: { name: "Logistics", kind: "other", slackChannelId: "CLOGISTICS" } });
    purchasing = await h.db.team.create({ data: { name: "Buying", kind: "purchasing", slackChannelId: "CBUYING" } });
    admin = await aPerson(h.db, { role: "admin" });
    ana = await aPerson(h.db, { teamIds: [support.id] });
    leo = await aPerson(h.db, { teamIds: [logistics.id] });
    paula = await aPerson(h.db, { teamIds: [purchasing.id] });
    await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    await h.db.partner.create({ data: { kind: "company", name: "Globex", isSupplier: true, isCustomer: false } });
  });
  afterAll(async () => h?.close());

  it("routes a category to a team from /crm admin claimcategory, and lists the categories", async () => {
    const set = viewOf(await runCommand(h.deps, admin, "admin claimcategory set Shipment --team Logistics", slack));
    expect(set.text).toMatch(/Shipment → Logistics/);
    const added = viewOf(await runCommand(h.deps, admin, 'admin claimcategory add "Warranty" --team Support', slack));
    expect(added.text).toMatch(/Warranty → Support/);
    const list = viewOf(await runCommand(h.deps, admin, "admin claimcategory list", slack));
    expect(list.text).toMatch(/Customer return → no team/);
    expect(viewOf(await runCommand(h.deps, admin, "admin claimcategory set Nope --team Logistics", slack)).text).toMatch(/no claim category named Nope/);
    expect(viewOf(await runCommand(h.deps, ana, "admin claimcategory list", slack)).text).toMatch(/Only an admin/);
  });

  it("opens a claim from the quick form, routed to the category's team, posted to its channel", async () => {
    const view = viewOf(await runCommand(h.deps, ana, "claim acme corp: 3 units arrived broken #shipment !high ref:SO123", slack));
    expect(view.text).toMatch(/^Claim CLM-\d{4} \(New\): Acme Corp — 3 units arrived broken$/);
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "3 units arrived broken" }, include: { category: true } });
    expect(claim).toMatchObject({ kind: "customer", teamId: logistics.id, priority: "high", sourceDocument: "SO123", responsibleId: ana.user.id, createdById: ana.user.id, state: "new" });
    expect(claim.category?.name).toBe("Shipment");
    const rows = await h.db.outbox.findMany({ where: { subjectKey: `claim:${claim.id}` } });
    expect(rows.map((r) => r.target)).toEqual(["CLOGISTICS"]);
    expect(await h.db.timelineEntry.count({ where: { recordType: "claim", recordId: claim.id, kind: "created" } })).toBe(1);
    expect(buttons(view).map((b) => b.value)).toContain(`${claim.id}:0`);
  });

  it("routes a claim without a category team to the creator's first team", async () => {
    viewOf(await runCommand(h.deps, ana, "claim Acme Corp: wrong colour #customer-return", slack));
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "wrong colour" }, include: { category: true } });
    expect(claim.teamId).toBe(support.id);
    expect(claim.category?.name).toBe("Customer return");
  });

  it("explains an unknown category and stores nothing", async () => {
    const before = await h.db.claim.count();
    const view = viewOf(await runCommand(h.deps, ana, "claim Acme Corp: broken #shipping", slack));
    expect(view.text).toBe("There is no claim category “shipping”.");
    expect(allText(view)).toMatch(/#customer-return/);
    expect(await h.db.claim.count()).toBe(before);
  });

  it("gives field errors for bad form values and stores nothing", async () => {
    const before = await h.db.claim.count();
    const reply = await submitForm(h.deps, ana, "claim.form", { kind: "other", subject: "", category: "shipment", sourceDocument: "two words", deadline: "someday", priority: "asap" }, {});
    expect(reply.kind).toBe("errors");
    if (reply.kind === "errors") expect(Object.keys(reply.errors).sort()).toEqual(["category", "deadline", "kind", "priority", "sourceDocument", "subject"]);
    expect(await h.db.claim.count()).toBe(before);
  });

  it("opens the form for /crm claim with the categories, and a claim from it with a new partner", async () => {
    const reply = await runCommand(h.deps, ana, "claim", slack);
    if (reply.kind !== "form") throw new Error("expected a form");
    expect(reply.form.fields.map((f) => f.id)).toEqual(["kind", "subject", "partner", "category", "sourceDocument", "responsible", "deadline", "priority", "description"]);
    const warranty = reply.form.fields.find((f) => f.id === "category")!.options!.find((o) => o.label === "Warranty")!;
    const done = viewOf(await submitForm(h.deps, ana, "claim.form", { kind: "customer", subject: "Screen flickers", partner: "new:Initech", category: warranty.value, responsible: leo.user.id, deadline: "2026-12-01T10:00:00Z", priority: "urgent" }, {}));
    expect(done.text).toMatch(/Initech — Screen flickers/);
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "Screen flickers" } });
    expect(claim).toMatchObject({ teamId: support.id, responsibleId: leo.user.id, priority: "urgent" });
    // The new responsible gets a DM.
    expect(await h.db.outbox.count({ where: { target: leo.user.slackUserId! } })).toBe(1);
  });

  it("opens a claim from a chat message: its text and link become the description, its files are kept", async () => {
    const reply = await formFromMessage(h.deps, ana, "claim.from-message", { text: "Pallet 4 arrived crushed\nphotos attached", link: "https://test.slack.com/archives/C1/p1", files: "F1,F2,F3,F4" });
    if (reply.kind !== "form") throw new Error("expected a form");
    expect(reply.form.fields.find((f) => f.id === "description")!.initial).toBe("Pallet 4 arrived crushed\nphotos attached\n\nFrom: https://test.slack.com/archives/C1/p1");
    expect(reply.form.context).toEqual({ sourceLink: "https://test.slack.com/archives/C1/p1", files: "F1,F2,F3,F4" });
    const files = async (refs: string): Promise<IncomingAttachment[]> =>
      refs.split(",").map((id) => ({
        name: `${id}.jpg`,
        contentType: "image/jpeg",
        size: id === "F3" ? 11 * 1024 * 1024 : 4,
        sourceRef: id,
        // F4 says it is small but the download passes the cap (as downloadCapped stops it).
        fetch: async () => (id === "F2" ? Promise.reject(new Error("403")) : id === "F4" ? Promise.reject(new AttachmentTooLarge()) : Buffer.from("jpeg")),
      }));
    const values = { kind: "customer", subject: "Pallet 4 arrived crushed", partner: "Acme Corp", description: reply.form.fields.find((f) => f.id === "description")!.initial };
    await submitForm(h.deps, ana, "claim.form", values, reply.form.context!, files);
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "Pallet 4 arrived crushed" } });
    expect(claim.sourceLink).toBe("https://test.slack.com/archives/C1/p1");
    await waitFor(async () => (await h.db.timelineEntry.count({ where: { recordId: claim.id, kind: "attachment-skipped" } })) === 3, 5000);
    const skipped = await h.db.timelineEntry.findMany({ where: { recordId: claim.id, kind: "attachment-skipped" }, orderBy: { summary: "asc" } });
    expect(skipped.map((e) => e.summary)).toEqual([
      "F2.jpg was not kept: it could not be downloaded.",
      "F3.jpg was not kept: it is 11 MB, over the 10 MB limit per file.",
      "F4.jpg was not kept: it is over the 10 MB limit per file.",
    ]);
    const stored = await h.db.claimAttachment.findMany({ where: { claimId: claim.id } });
    expect(stored.map((a) => [a.fileName, a.size, Buffer.from(a.content).toString()])).toEqual([["F1.jpg", 4, "jpeg"]]);
    const card = viewOf(await runCommand(h.deps, ana, `claim CLM-${claim.number}`, slack));
    expect(allText(card)).toMatch(/F1\.jpg \(4 B\)/);
  });

  it("says so on the claim and to its opener when the message's files cannot be read at all", async () => {
    const reply = await formFromMessage(h.deps, ana, "claim.from-message", { text: "Seal broken on crate 9", files: "F9" });
    if (reply.kind !== "form") throw new Error("expected a form");
    const files = async (): Promise<IncomingAttachment[]> => Promise.reject(new Error("file list unavailable"));
    const values = { kind: "customer", subject: "Seal broken on crate 9", partner: "Acme Corp", description: "Seal broken on crate 9" };
    const outboxBefore = await h.db.outbox.count({ where: { target: ana.user.slackUserId! } });
    await submitForm(h.deps, ana, "claim.form", values, reply.form.context!, files);
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "Seal broken on crate 9" } });
    await waitFor(async () => (await h.db.timelineEntry.count({ where: { recordId: claim.id, kind: "attachment-skipped" } })) === 1, 5000);
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordId: claim.id, kind: "attachment-skipped" } });
    expect(entry.summary).toMatch(/files of the message/);
    await waitFor(async () => (await h.db.outbox.count({ where: { target: ana.user.slackUserId! } })) === outboxBefore + 1, 5000);
    expect(await h.db.claimAttachment.count({ where: { claimId: claim.id } })).toBe(0);
  });

  it("assigns, starts, adds and finishes repairs, and a double click on Close closes once", async () => {
    const opened = viewOf(await runCommand(h.deps, leo, "claim Acme Corp: dented boxes #shipment", slack));
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "dented boxes" } });
    // Another Logistics member takes it.
    const colleague = await aPerson(h.db, { teamIds: [logistics.id] });
    const assigned = viewOf(await runAction(h.deps, colleague, "claim.assign-me", button(opened, "claim.assign-me").value!));
    expect(allText(assigned)).toContain(colleague.user.name);
    // The old card is stale now: its second press does nothing.
    const stale = viewOf(await runAction(h.deps, leo, "claim.start", button(opened, "claim.start").value!));
    expect(allText(stale)).toMatch(/Already done, or the card was out of date/);
    const started = viewOf(await runAction(h.deps, colleague, "claim.start", button(assigned, "claim.start").value!));
    expect(started.text).toMatch(/\(In progress\)/);

    const repairForm = await runAction(h.deps, colleague, "claim.repair", button(started, "claim.repair").value!);
    if (repairForm.kind !== "form") throw new Error("expected the repair form");
    expect(await submitForm(h.deps, colleague, repairForm.form.id, { title: "" }, repairForm.form.context!)).toEqual({ kind: "errors", errors: { title: "Name the repair." } });
    const withRepair = viewOf(await submitForm(h.deps, colleague, repairForm.form.id, { title: "Resend 2 boxes", assignee: leo.user.id }, repairForm.form.context!));
    expect(allText(withRepair)).toMatch(/Resend 2 boxes \(Person/);
    const done = viewOf(await runAction(h.deps, colleague, "claim.repair-done", button(withRepair, "claim.repair-done").value!));
    expect((await h.db.claimRepair.findFirstOrThrow({ where: { claimId: claim.id } })).doneAt).not.toBeNull();

    const closeForm = await runAction(h.deps, colleague, "claim.close", button(done, "claim.close").value!);
    if (closeForm.kind !== "form") throw new Error("expected the close form");
    expect(await submitForm(h.deps, colleague, closeForm.form.id, { outcome: "settled" }, closeForm.form.context!)).toEqual({ kind: "errors", errors: { resolution: "Say how the claim was resolved." } });
    const values = { outcome: "settled", resolution: "Replaced the boxes", rootCause: "Forklift", actionType: "corrective" };
    const [first, second] = await Promise.all([
      submitForm(h.deps, colleague, closeForm.form.id, values, closeForm.form.context!),
      submitForm(h.deps, colleague, closeForm.form.id, values, closeForm.form.context!),
    ]);
    const texts = [allText(viewOf(first)), allText(viewOf(second))];
    expect(texts.filter((t) => /out of date/.test(t))).toHaveLength(1);
    const closed = await h.db.claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(closed).toMatchObject({ state: "settled", resolution: "Replaced the boxes", rootCause: "Forklift", actionType: "corrective" });
    expect(await h.db.timelineEntry.count({ where: { recordId: claim.id, kind: "closed" } })).toBe(1);
    expect(await h.db.timelineEntry.findMany({ where: { recordId: claim.id }, orderBy: { createdAt: "asc" }, select: { kind: true } })).toEqual(
      ["created", "assigned", "state", "repair", "repair-done", "closed"].map((kind) => ({ kind })),
    );
    // The channel card is updated in place: every row for it shares the subject key.
    expect(await h.db.outbox.count({ where: { target: "CLOGISTICS", subjectKey: `claim:${claim.id}` } })).toBe(6);

    const reopened = viewOf(await runAction(h.deps, colleague, "claim.reopen", `${claim.id}:${closed.version}`));
    expect(reopened.text).toMatch(/\(In progress\)/);
  });

  it("reassigns from the card's form, and DMs the new responsible", async () => {
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "wrong colour" } });
    const form = await runAction(h.deps, ana, "claim.reassign", `${claim.id}:${claim.version}`);
    if (form.kind !== "form") throw new Error("expected the reassign form");
    expect(await submitForm(h.deps, ana, form.form.id, {}, form.form.context!)).toEqual({ kind: "errors", errors: { responsible: "Choose who becomes responsible." } });
    const dmsBefore = await h.db.outbox.count({ where: { target: paula.user.slackUserId! } });
    const view = viewOf(await submitForm(h.deps, ana, form.form.id, { responsible: paula.user.id }, form.form.context!));
    expect(allText(view)).toContain(paula.user.name);
    expect(await h.db.outbox.count({ where: { target: paula.user.slackUserId! } })).toBe(dmsBefore + 1);
    expect((await h.db.timelineEntry.findFirstOrThrow({ where: { recordId: claim.id, kind: "assigned" } })).summary).toBe(`${ana.user.name} made ${paula.user.name} responsible`);
  });

  it("refuses changes by someone outside the claim's team", async () => {
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "3 units arrived broken" } });
    const outsider = await aPerson(h.db, { teamIds: [purchasing.id] });
    const view = viewOf(await runAction(h.deps, outsider, "claim.start", `${claim.id}:${claim.version}`));
    expect(view.text).toMatch(/Only the claim's responsible, its team/);
    // A note from the responsible is just a timeline entry.
    const noteForm = await runAction(h.deps, ana, "claim.note", `${claim.id}:${claim.version}`);
    if (noteForm.kind !== "form") throw new Error("expected the note form");
    await submitForm(h.deps, ana, noteForm.form.id, { note: "Called the carrier" }, noteForm.form.context!);
    expect(await h.db.timelineEntry.count({ where: { recordId: claim.id, kind: "note", summary: "Called the carrier" } })).toBe(1);
  });

  describe("supplier claims", () => {
    it("can be opened only by purchasing, managers and admins", async () => {
      const view = viewOf(await runCommand(h.deps, ana, "claim supplier Globex: wrong parts #supplier-return", slack));
      expect(view.text).toMatch(/Only members of a purchasing team/);
      expect(await h.db.claim.count({ where: { kind: "supplier" } })).toBe(0);
    });

    it("are posted to a purchasing team's channel, and hidden from agents outside purchasing", async () => {
      await runCommand(h.deps, admin, "admin claimcategory set supplier-return --team Buying", slack);
      const view = viewOf(await runCommand(h.deps, paula, "claim supplier Globex: wrong parts #supplier-return ref:PO-2026-0042", slack));
      expect(view.text).toMatch(/^Supplier claim CLM-\d{4}/);
      const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "wrong parts" } });
      expect(claim).toMatchObject({ kind: "supplier", teamId: purchasing.id, sourceDocument: "PO-2026-0042" });
      expect((await h.db.outbox.findMany({ where: { subjectKey: `claim:${claim.id}` } })).map((r) => r.target)).toEqual(["CBUYING"]);

      const shown = viewOf(await runCommand(h.deps, ana, `claim CLM-${claim.number}`, slack));
      expect(shown.text).toBe(viewOf(await runCommand(h.deps, ana, "claim CLM-99999", slack)).text);
      expect(viewOf(await runAction(h.deps, ana, "claim.show", claim.id)).text).toMatch(/There is no such claim/);
      expect(viewOf(await runAction(h.deps, ana, "claim.assign-me", `${claim.id}:0`)).text).toMatch(/There is no such claim/);
      expect(viewOf(await runCommand(h.deps, paula, `claim CLM-${claim.number}`, slack)).text).toMatch(/wrong parts/);
    });

    it("are never posted to a channel outside purchasing: only the responsible hears of them", async () => {
      const manager = await aPerson(h.db, { role: "manager", teamIds: [support.id] });
      const warranty = await h.db.claimCategory.findUniqueOrThrow({ where: { name: "Warranty" } });
      const dmsBefore = await h.db.outbox.count({ where: { target: paula.user.slackUserId! } });
      await submitForm(h.deps, manager, "claim.form", { kind: "supplier", subject: "Faulty batch", partner: "Globex", category: warranty.id, responsible: paula.user.id }, {});
      const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "Faulty batch" } });
      expect(claim.teamId).toBe(support.id);
      expect(await h.db.outbox.count({ where: { target: "CSUPPORT", subjectKey: `claim:${claim.id}` } })).toBe(0);
      expect(await h.db.outbox.count({ where: { target: paula.user.slackUserId! } })).toBe(dmsBefore + 1);
      // Ana (Support) does not see it in her team's list either.
      const list = viewOf(await runCommand(h.deps, ana, "claims", slack));
      expect(allText(list)).not.toMatch(/Faulty batch/);
      expect(allText(list)).toMatch(/3 units arrived broken/);
      expect(allText(viewOf(await runCommand(h.deps, manager, "claims", slack)))).toMatch(/Faulty batch/);
    });
  });
});
