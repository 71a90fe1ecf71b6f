import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply).slice(0, 300)}`);
}

function button(view: MessageView, id: string) {
  const found = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((b) => b.id === id);
  if (!found) throw new Error(`no ${id} button`);
  return found;
}

const texts = (view: MessageView) => JSON.stringify(view.blocks);

describe("claim edit and claim watchers", () => {
  let h: HandlerHarness;
  let support: { id: string };
  let logistics: { id: string };
  let buying: { id: string };
  let shipmentId: string;
  let invoiceId: string;
  let ana: Who; // support agent
  let leo: Who; // logistics agent
  let paula: Who; // purchasing agent
  let pete: Who; // purchasing agent

  beforeAll(async () => {
    h = await handlerHarness();
    support = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT" } });
    logistics = await h.db.team.create({ data: { name: "Logistics", kind: "other", slackChannelId: "CLOGISTICS" } });
    buying = await h.db.team.create({ data: { name: "Buying", kind: "purchasing", slackChannelId: "CBUYING" } });
    ana = await aPerson(h.db, { teamIds: [support.id] });
    leo = await aPerson(h.db, { teamIds: [logistics.id] });
    paula = await aPerson(h.db, { teamIds: [buying.id] });
    pete = await aPerson(h.db, { teamIds: [buying.id] });
    shipmentId = (await h.db.claimCategory.update({ where: { name: "Shipment" }, data: { teamId: logistics.id } })).id;
    invoiceId = (await h.db.claimCategory.findUniqueOrThrow({ where: { name: "Invoice" } })).id;
    await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    await h.db.partner.create({ data: { kind: "company", name: "Globex", isSupplier: true, isCustomer: false } });
  });
  afterAll(async () => h?.close());

  async function openClaim(who: Who, text: string) {
    const view = viewOf(await runCommand(h.deps, who, `claim ${text}`, slack));
    const number = Number(/CLM-(\d+)/.exec(view.text)?.[1]);
    return { view, claim: await h.db.claim.findUniqueOrThrow({ where: { number } }) };
  }

  it("Edit changes the fields, re-routes to the new category's team (both channels' cards updated), versioned, with a timeline entry", async () => {
    const { view, claim } = await openClaim(ana, "Acme Corp: wrong invoice total !low");
    expect(claim.teamId).toBe(support.id);
    const opened = await runAction(h.deps, ana, "claim.edit", button(view, "claim.edit").value!);
    if (opened.kind !== "form") throw new Error("expected the edit form");
    expect(opened.form.fields.map((f) => f.id)).toEqual(["subject", "category", "deadline", "priority", "sourceDocument", "description"]);
    const ctx = { claimId: claim.id, version: "0" };
    expect(await submitForm(h.deps, ana, "claim.edit-form", { subject: "", priority: "low" }, ctx)).toEqual({ kind: "errors", errors: { subject: "Say what the claim is about." } });
    expect(await submitForm(h.deps, ana, "claim.edit-form", { subject: "x", priority: "low", sourceDocument: "no spaces allowed" }, ctx)).toMatchObject({ kind: "errors", errors: { sourceDocument: expect.stringMatching(/source document is a number/) } });

    const saved = viewOf(
      await submitForm(h.deps, ana, "claim.edit-form", { subject: "3 units arrived broken", category: shipmentId, priority: "high", sourceDocument: "SO123", deadline: "2026-12-01T10:00:00Z", description: "Box crushed" }, ctx),
    );
    expect(saved.text).toMatch(/3 units arrived broken/);
    const row = await h.db.claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect(row).toMatchObject({ subject: "3 units arrived broken", categoryId: shipmentId, teamId: logistics.id, priority: "high", sourceDocument: "SO123", description: "Box crushed", version: 1 });
    expect(row.deadline?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "claim", recordId: claim.id, kind: "team-changed" } });
    expect(entry.summary).toMatch(/category to Shipment.*moved to Logistics/);
    const targets = (await h.db.outbox.findMany({ where: { subjectKey: `claim:${claim.id}` } })).map((r) => r.target);
    expect(targets).toEqual(expect.arrayContaining(["CSUPPORT", "CLOGISTICS"]));

    // The old card (version 0) acts no more.
    const stale = viewOf(await submitForm(h.deps, ana, "claim.edit-form", { subject: "again", priority: "low" }, ctx));
    expect(stale.text).toMatch(/3 units arrived broken/);
    expect(texts(stale)).toMatch(/out of date/);
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: claim.id } })).subject).toBe("3 units arrived broken");
    // Ana is no longer in the claim's team but still its responsible: she may edit; nothing changed is said so.
    const same = await submitForm(h.deps, ana, "claim.edit-form", { subject: "3 units arrived broken", category: shipmentId, priority: "high", sourceDocument: "SO123", deadline: "2026-12-01T10:00:00Z", description: "Box crushed" }, { claimId: claim.id, version: "1" });
    expect(same).toEqual({ kind: "errors", errors: { subject: "Nothing was changed." } });
    expect((await h.db.claim.findUniqueOrThrow({ where: { id: claim.id } })).version).toBe(1);
  });

  it("a supplier claim moved to a non-purchasing team's category is not posted to that team's channel", async () => {
    const { claim } = await openClaim(paula, "supplier Globex: short delivery");
    expect(claim.teamId).toBe(buying.id);
    const reply = viewOf(await submitForm(h.deps, paula, "claim.edit-form", { subject: "short delivery", category: shipmentId, priority: "medium" }, { claimId: claim.id, version: "0" }));
    expect(texts(reply)).toContain("Logistics is not a purchasing team: this supplier claim is not posted to its channel.");
    const targets = (await h.db.outbox.findMany({ where: { subjectKey: `claim:${claim.id}` } })).map((r) => r.target);
    expect(targets).not.toContain("CLOGISTICS");
    expect(targets).toContain("CBUYING");
  });

  it("watchers: watch, add by email, supplier claims refuse a user who may not see them; watchers hear of reassign, close and reopen", async () => {
    const { view, claim } = await openClaim(paula, "supplier Globex: damaged pallets #invoice");
    expect(claim.categoryId).toBe(invoiceId);
    const value = button(view, "claim.watch").value!;
    // Leo (logistics) may not see a supplier claim: not told it exists.
    expect(viewOf(await runAction(h.deps, leo, "claim.watch", value)).text).toMatch(/no such claim/);
    const watching = viewOf(await runAction(h.deps, pete, "claim.watch", value));
    expect(texts(watching)).toContain(`You are watching CLM-`);
    expect(texts(watching)).toContain(`👀 Watching: ${pete.user.name}`);
    expect(texts(viewOf(await runAction(h.deps, pete, "claim.watch", value)))).toContain("You are already watching");

    const ctx = { claimId: claim.id, version: String(claim.version) };
    expect((await runAction(h.deps, paula, "claim.add-watcher", value)).kind).toBe("form");
    expect(await submitForm(h.deps, paula, "claim.watcher-form", { user: leo.user.id }, ctx)).toEqual({
      kind: "errors",
      errors: { user: `${leo.user.name} may not see supplier claims (only purchasing, managers and admins can), so they cannot watch this one.` },
    });
    expect(await submitForm(h.deps, paula, "claim.watcher-form", { email: "bad@" }, ctx)).toEqual({ kind: "errors", errors: { email: "“bad@” is not an email address (like name@example.com)." } });
    const byEmail = viewOf(await submitForm(h.deps, paula, "claim.watcher-form", { email: "qa@globex.example" }, ctx));
    expect(texts(byEmail)).toContain("qa@globex.example is now watching");
    expect(await h.db.claimWatcher.count({ where: { claimId: claim.id } })).toBe(2);
    expect(await h.db.timelineEntry.count({ where: { recordType: "claim", recordId: claim.id, kind: "watcher-added" } })).toBe(2);

    const dmsToPete = () => h.db.outbox.findMany({ where: { target: pete.user.slackUserId! }, orderBy: { createdAt: "asc" } });
    // A note: no DM. Reassign to Pete himself: he hears once (as the new responsible), not twice.
    await submitForm(h.deps, paula, "claim.note-form", { note: "Called Globex" }, ctx);
    expect(await dmsToPete()).toHaveLength(0);
    await submitForm(h.deps, paula, "claim.reassign-form", { responsible: pete.user.id }, ctx);
    expect(await dmsToPete()).toHaveLength(1);
    expect(((await dmsToPete())[0]!.payload as { text: string }).text).toMatch(/made you responsible/);
    // Paula closes it: Pete, a watcher, hears; then reopens it.
    await submitForm(h.deps, paula, "claim.close-form", { outcome: "settled", resolution: "Credit note" }, { claimId: claim.id, version: "1" });
    const closed = await dmsToPete();
    expect(closed).toHaveLength(2);
    expect((closed[1]!.payload as { text: string }).text).toMatch(/^👀 CLM-\d+, which you watch, was closed: Settled: Credit note/);
    expect(closed[1]!.dedupeKey).toBe(`claim-watch:${claim.id}:2:${pete.user.id}:slack`);
    await runAction(h.deps, paula, "claim.reopen", `${claim.id}:2`);
    expect(((await dmsToPete()).at(-1)!.payload as { text: string }).text).toMatch(/was reopened/);
    // Pete reopening himself would not tell him; he stops watching.
    expect(texts(viewOf(await runAction(h.deps, pete, "claim.unwatch", value)))).toContain("You stopped watching");
    expect(await h.db.claimWatcher.count({ where: { claimId: claim.id, userId: pete.user.id } })).toBe(0);
  });

  it("only those who may change a claim add watchers", async () => {
    const { view } = await openClaim(leo, "Acme Corp: missing parcel #shipment");
    const reply = viewOf(await runAction(h.deps, ana, "claim.add-watcher", button(view, "claim.add-watcher").value!));
    expect(reply.text).toMatch(/Only the claim's responsible, its team/);
    // Anyone who may see it may watch it.
    expect(texts(viewOf(await runAction(h.deps, ana, "claim.watch", button(view, "claim.watch").value!)))).toContain("You are watching");
  });
});
