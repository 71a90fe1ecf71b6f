// Merging opportunities with a manager's approval, through the dispatcher on a real database: the request form,
// who decides, the once-only decision (double click, second manager, concurrent retry), reject, withdraw, the
// re-preview when a record changed, and what the approved merge writes (values, archive, calls, timeline, history).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { MERGE_REJECT_FORM_ID, MERGE_REQUEST_FORM_ID } from "../../src/bot/views/merge-views.js";
import type { Action, Form, MessageView, Reply } from "../../src/bot/views/view.js";
import type { Db } from "../../src/db/client.js";
import { matchKeys } from "../../src/domain/leads.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
}

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
}

function readAll(view: MessageView): string {
  return [view.text, ...view.blocks.flatMap((b) => ("text" in b ? [b.text] : b.type === "fields" ? b.fields.map((f) => `${f.label}: ${f.value}`) : []))].join("\n");
}

function buttons(view: MessageView): Action[] {
  return view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
}

function button(view: MessageView, id: string): Action {
  const found = buttons(view).find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} button in ${JSON.stringify(view.blocks)}`);
  return found;
}

interface LeadSeed {
  title?: string;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
  city?: string | null;
  street?: string | null;
  salespersonId?: string | null;
  teamId?: string | null;
  stage?: string;
  tags?: string[];
}

let seq = 0;

async function anOpportunity(db: Db, over: LeadSeed = {}) {
  seq += 1;
  const stage = await db.leadStage.findFirstOrThrow({ where: { teamId: null, name: over.stage ?? "New" } });
  const email = over.email === undefined ? null : over.email;
  return db.lead.create({
    data: {
      title: over.title ?? `Deal ${seq}`,
      type: "opportunity",
      email,
      phone: over.phone ?? null,
      ...matchKeys({ email, phone: over.phone }),
      notes: over.notes ?? null,
      city: over.city ?? null,
      street: over.street ?? null,
      tags: over.tags ?? [],
      salespersonId: over.salespersonId ?? null,
      teamId: over.teamId ?? null,
      stageId: stage.id,
      probability: stage.probability,
      isOpen: stage.kind === "open",
      wonAt: stage.kind === "won" ? new Date() : null,
    },
  });
}

const ref = (lead: { number: number }) => `OPP-${String(lead.number).padStart(4, "0")}`;

describe("merge requests", () => {
  let h: HandlerHarness;
  let salesId: string;
  let ana: Who; // Sales agent, asks for merges
  let bob: Who; // Sales agent
  let mia: Who; // manages Sales
  let ivan: Who; // manages EMEA, Sales' parent team
  let admin: Who;
  let outsider: Who; // manages Enterprise

  beforeAll(async () => {
    h = await handlerHarness();
    const emea = await h.db.team.create({ data: { name: "EMEA", kind: "sales" } });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", parentId: emea.id, slackChannelId: "CSALES", managersSlackChannelId: "CSALESMGR", managersTeamsConversationId: "19:mgr@thread.tacv2" } });
    const enterprise = await h.db.team.create({ data: { name: "Enterprise", kind: "sales" } });
    salesId = sales.id;
    ana = await aPerson(h.db, { teamIds: [sales.id] });
    bob = await aPerson(h.db, { teamIds: [sales.id] });
    mia = await aPerson(h.db, { role: "manager", managedTeamIds: [sales.id] });
    ivan = await aPerson(h.db, { role: "manager", managedTeamIds: [emea.id] });
    outsider = await aPerson(h.db, { role: "manager", managedTeamIds: [enterprise.id] });
    admin = await aPerson(h.db, { role: "admin" });
    await h.db.team.update({ where: { id: sales.id }, data: { managerId: mia.user.id } });
    await h.db.team.update({ where: { id: emea.id }, data: { managerId: ivan.user.id } });
    await h.db.team.update({ where: { id: enterprise.id }, data: { managerId: outsider.user.id } });
  });
  afterAll(async () => h?.close());

  let older: Awaited<ReturnType<typeof anOpportunity>>;
  let newer: Awaited<ReturnType<typeof anOpportunity>>;
  let phone: string;
  beforeEach(async () => {
    const email = `jane${seq}@globex${seq}.test`;
    phone = `+34 600 12 ${String(seq).padStart(2, "0")} 56`;
    older = await anOpportunity(h.db, { title: "Globex seats", email, notes: "Wants 40 seats", city: "Madrid", salespersonId: ana.user.id, teamId: salesId, tags: ["SaaS"] });
    newer = await anOpportunity(h.db, { title: "Globex renewal", email, phone, notes: "Called twice", street: "Gran Via 1", city: "Madrid", salespersonId: bob.user.id, teamId: salesId, tags: ["saas", "eu"] });
  });

  async function request(who: Who, leads: { id: string }[], reason = "Same customer, asked twice") {
    return submitForm(h.deps, who, MERGE_REQUEST_FORM_ID, { leadIds: leads.map((l) => l.id).join(","), reason }, {});
  }

  async function requested(leads = [older, newer]) {
    const reply = await request(ana, leads);
    expect(reply.kind).toBe("done");
    return h.db.mergeRequest.findFirstOrThrow({ where: { items: { some: { leadId: leads[0]!.id } } }, orderBy: { number: "desc" }, include: { items: { orderBy: { position: "asc" } } } });
  }

  it("opens the form from the card with this record and its duplicates ticked", async () => {
    const form = formOf(await runAction(h.deps, ana, "lead.merge", `${older.id}:${older.version}`));
    expect(form.id).toBe(MERGE_REQUEST_FORM_ID);
    const records = form.fields.find((f) => f.id === "leadIds")!;
    expect(records.kind).toBe("checkboxes");
    expect(records.options?.map((o) => o.value)).toEqual([older.id, newer.id]);
    expect(records.initial).toBe(`${older.id},${newer.id}`);
    expect(form.fields.find((f) => f.id === "reason")?.isOptional).toBeFalsy();
  });

  it("/crm merge opens the form with the named records ticked, and names a reference that does not exist", async () => {
    const form = formOf(await runCommand(h.deps, ana, `merge ${ref(newer)} ${ref(older)}`, slack));
    expect(form.fields[0]!.initial).toBe(`${newer.id},${older.id}`);
    expect(viewOf(await runCommand(h.deps, ana, "merge OPP-99999", slack)).text).toBe("There is no lead or opportunity number 99999 (LEAD-99999 / OPP-99999).");
    expect(viewOf(await runCommand(h.deps, ana, "merge Globex", slack)).text).toContain("“Globex” is not a lead or opportunity reference");
  });

  it("stores the request with each record's version, notes it on each record and tells the team's manager and managers' channel", async () => {
    const reply = await request(ana, [newer, older]);
    const answer = viewOf(reply);
    const mrg = await h.db.mergeRequest.findFirstOrThrow({ where: { items: { some: { leadId: older.id } } }, include: { items: { orderBy: { position: "asc" } } } });
    expect(mrg).toMatchObject({ state: "pending", teamId: salesId, requesterId: ana.user.id, reason: "Same customer, asked twice", version: 0 });
    // The older record survives a tie: it comes first.
    expect(mrg.items.map((i) => [i.leadId, i.version])).toEqual([[older.id, older.version], [newer.id, newer.version]]);
    expect(answer.text).toContain(`sent for approval: ${ref(newer)} into ${ref(older)}`);
    expect(button(answer, "merge.cancel").value).toBe(`${mrg.id}:0`);
    const entries = await h.db.timelineEntry.findMany({ where: { recordType: "lead", recordId: { in: [older.id, newer.id] }, kind: "merge-requested" } });
    expect(entries).toHaveLength(2);
    expect(entries[0]!.summary).toMatch(new RegExp(`^Merge requested: MRG-\\d{4} by ${ana.user.name}: Same customer`));
    const copies = await h.db.outbox.findMany({ where: { subjectKey: `merge:${mrg.id}` }, orderBy: { target: "asc" } });
    expect(copies.map((c) => [c.channel, c.target])).toEqual([["teams", "19:mgr@thread.tacv2"], ["slack", "CSALESMGR"], ["slack", mia.user.slackUserId]].sort((a, b) => a[1]!.localeCompare(b[1]!)));
    const card = copies[0]!.payload as unknown as MessageView;
    expect(button(card, "merge.approve").value).toBe(`${mrg.id}:0`);
    expect(readAll(card)).toContain(`email: ${older.email} — _${ref(older)}_`);
    expect(readAll(card)).toContain(`phone: ${phone} — _${ref(newer)}_`);
    expect(readAll(card)).toContain(`address: Gran Via 1, Madrid — _${ref(newer)}_`);
  });

  it("refuses a second pending request on a record, naming it and the request", async () => {
    const first = await requested();
    const third = await anOpportunity(h.db, { teamId: salesId, salespersonId: ana.user.id });
    const reply = await request(ana, [third, newer]);
    expect(reply).toEqual({ kind: "errors", errors: { leadIds: `${ref(newer)} is already in MRG-${String(first.number).padStart(4, "0")}, waiting for a decision. Wait for it, or withdraw it first.` } });
  });

  it("lets only one of two requests submitted at once claim a shared record", async () => {
    const third = await anOpportunity(h.db, { teamId: salesId, salespersonId: ana.user.id });
    const replies = await Promise.all([request(ana, [older, newer]), request(bob, [third, newer])]);
    expect(replies.map((r) => r.kind).sort()).toEqual(["done", "errors"]);
    expect(await h.db.mergeRequestLead.count({ where: { leadId: newer.id, request: { state: "pending" } } })).toBe(1);
  });

  it("an admin sets and clears where the team's managers see merge requests", async () => {
    const saved = viewOf(await runCommand(h.deps, admin, "admin team update Enterprise --managers-slack-channel C0MGRS001 --managers-teams-conversation 19:mgrs@thread.tacv2", slack));
    expect(saved.text).toBe("Team updated: Enterprise");
    expect(readAll(saved)).toContain("Enterprise (managers)'s notifications go to Slack channel C0MGRS001");
    expect(await h.db.team.findUniqueOrThrow({ where: { name: "Enterprise" } })).toMatchObject({ managersSlackChannelId: "C0MGRS001", managersTeamsConversationId: "19:mgrs@thread.tacv2" });
    await runCommand(h.deps, admin, "admin team update Enterprise --managers-slack-channel none", slack);
    expect(await h.db.team.findUniqueOrThrow({ where: { name: "Enterprise" } })).toMatchObject({ managersSlackChannelId: null, managersTeamsConversationId: "19:mgrs@thread.tacv2" });
    expect(readAll(viewOf(await runCommand(h.deps, admin, "admin team update Enterprise --managers-slack-channel general", slack)))).not.toContain("Team updated");
  });

  it("refuses 6 records, a won record, a record of another team, and a missing reason", async () => {
    const six = [older, newer, ...(await Promise.all([1, 2, 3, 4].map(() => anOpportunity(h.db, { teamId: salesId }))))];
    expect(await request(ana, six)).toMatchObject({ kind: "errors", errors: { leadIds: expect.stringContaining("At most 5 records can be merged at once (6 were chosen)") } });
    const won = await anOpportunity(h.db, { teamId: salesId, stage: "Won" });
    expect(await request(ana, [older, won])).toEqual({ kind: "errors", errors: { leadIds: `${ref(won)} is won; won opportunities cannot be merged.` } });
    const foreign = await anOpportunity(h.db, { teamId: (await h.db.team.findUniqueOrThrow({ where: { name: "Enterprise" } })).id, salespersonId: outsider.user.id });
    expect(await request(ana, [older, foreign])).toMatchObject({ kind: "errors", errors: { leadIds: expect.stringContaining("only ask to merge opportunities you may change") } });
    expect(await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: `${older.id},${newer.id}`, reason: " " }, {})).toEqual({ kind: "errors", errors: { reason: "Say why these records should be merged." } });
    expect(await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: "x,y", reason: "r" }, {})).toEqual({ kind: "errors", errors: { leadIds: "Those choices are not records any more; open the form again." } });
    expect(await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: `${older.id},${older.id}`, reason: "r" }, {})).toEqual({ kind: "errors", errors: { leadIds: "Choose each record once." } });
    expect(await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: `${older.id},${newer.id}`, reason: "r".repeat(1001) }, {})).toMatchObject({ kind: "errors", errors: { reason: "Keep the reason under 1000 characters." } });
    expect(await h.db.mergeRequest.count({ where: { items: { some: { leadId: older.id } } } })).toBe(0);
  });

  it("approve merges once: values, archive, calls, timeline, history, cards and the requester told", async () => {
    const call = await h.db.phoneCall.create({ data: { subject: "Intro call", callAt: new Date(), ownerId: bob.user.id, leadId: newer.id } });
    await h.db.timelineEntry.create({ data: { recordType: "lead", recordId: newer.id, kind: "note", summary: "Asked for a discount", data: { via: "chat" } } });
    const mrg = await requested();
    const reply = await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`);
    expect(reply.kind).toBe("done");
    expect(viewOf(reply).text).toMatch(new RegExp(`^MRG-\\d{4} was approved by ${mia.user.name} at .*: ${ref(newer)} merged into ${ref(older)}$`));

    const survivor = await h.db.lead.findUniqueOrThrow({ where: { id: older.id } });
    expect(survivor).toMatchObject({ title: "Globex seats", phone, phoneSanitized: phone.replace(/ /g, ""), street: "Gran Via 1", salespersonId: ana.user.id, tags: ["SaaS", "eu"], isOpen: true, version: older.version + 1 });
    expect(survivor.notes).toBe(`Wants 40 seats\n\nFrom ${ref(newer)}:\nCalled twice`);
    expect(await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ isOpen: false, mergedIntoId: older.id, mergedAt: expect.any(Date), version: newer.version + 1 });
    expect(await h.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ leadId: older.id });
    const moved = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "lead", recordId: older.id, summary: `From ${ref(newer)}: Asked for a discount` } });
    expect(moved.data).toEqual({ via: "chat", mergedFrom: ref(newer) });
    const history = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "lead", recordId: older.id, kind: "merged" } });
    expect(history.summary).toContain(`Merged ${ref(newer)} into ${ref(older)} (MRG-`);
    expect(history.summary).toContain(`approved by ${mia.user.name}: title from ${ref(older)}`);
    expect(history.summary).toContain(`phone from ${ref(newer)}`);
    expect(history.actorId).toBe(mia.user.id);
    expect(await h.db.mergeRequest.findUniqueOrThrow({ where: { id: mrg.id } })).toMatchObject({ state: "approved", decidedById: mia.user.id, survivorId: older.id, version: 1 });

    const copies = await h.db.outbox.findMany({ where: { subjectKey: `merge:${mrg.id}` }, orderBy: { createdAt: "asc" } });
    expect(copies).toHaveLength(6); // 3 request cards, then 3 decided cards on the same targets
    expect(new Set(copies.slice(3).map((c) => c.target))).toEqual(new Set(copies.slice(0, 3).map((c) => c.target)));
    expect((copies[5]!.payload as unknown as MessageView).text).toContain("was approved by");
    const told = await h.db.outbox.findMany({ where: { target: ana.user.slackUserId!, dedupeKey: `merge:${mrg.id}:outcome:slack` } });
    expect(told).toHaveLength(1);
    const archivedCard = await h.db.outbox.findFirstOrThrow({ where: { subjectKey: `lead:${newer.id}` }, orderBy: { createdAt: "desc" } });
    expect((archivedCard.payload as unknown as MessageView).text).toContain(`merged into ${ref(older)}`);
    expect(button(archivedCard.payload as unknown as MessageView, "lead.open").value).toBe(older.id);
  });

  it("ignores a second click, a second manager and a concurrent retry: one merge", async () => {
    const mrg = await requested();
    const [a, b] = await Promise.all([runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`), runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`)]);
    expect([a.kind, b.kind].sort()).toEqual(["done", "message"]);
    const outboxBefore = await h.db.outbox.count();
    const survivorBefore = await h.db.lead.findUniqueOrThrow({ where: { id: older.id } });
    for (const who of [mia, admin, ivan]) {
      const late = viewOf(await runAction(h.deps, who, "merge.approve", `${mrg.id}:0`));
      expect(late.text).toMatch(new RegExp(`^MRG-\\d{4} was already approved by ${mia.user.name} at .*; nothing was changed\\.`));
    }
    expect(await h.db.outbox.count()).toBe(outboxBefore);
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: older.id } })).version).toBe(survivorBefore.version);
    expect(await h.db.timelineEntry.count({ where: { recordType: "lead", recordId: older.id, kind: "merged" } })).toBe(1);
  });

  it("refuses deciders who may not decide, and the requester", async () => {
    const mrg = await requested();
    for (const who of [bob, outsider]) {
      expect(viewOf(await runAction(h.deps, who, "merge.approve", `${mrg.id}:0`)).text).toBe("Only a manager of the sales team (or an admin) can approve or reject this merge.");
    }
    expect(viewOf(await runAction(h.deps, ana, "merge.approve", `${mrg.id}:0`)).text).toContain("You asked for this merge");
    expect(viewOf(await runAction(h.deps, ana, "merge.reject", `${mrg.id}:0`)).text).toContain("You asked for this merge");
    expect(await h.db.mergeRequest.findUniqueOrThrow({ where: { id: mrg.id } })).toMatchObject({ state: "pending", version: 0 });
    expect(viewOf(await runAction(h.deps, mia, "merge.approve", "not-a-value")).text).toContain("no longer exists");
  });

  it("sends a manager's own request to the parent team's manager, who may decide it", async () => {
    const reply = await submitForm(h.deps, mia, MERGE_REQUEST_FORM_ID, { leadIds: `${older.id},${newer.id}`, reason: "Duplicates" }, {});
    expect(viewOf(reply).text).toContain("sent for approval");
    const mrg = await h.db.mergeRequest.findFirstOrThrow({ where: { requesterId: mia.user.id }, orderBy: { number: "desc" } });
    const dms = await h.db.outbox.findMany({ where: { subjectKey: `merge:${mrg.id}`, channel: "slack", target: { startsWith: "U" } } });
    expect(dms.map((d) => d.target)).toEqual([ivan.user.slackUserId]);
    expect(viewOf(await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`)).text).toContain("You asked for this merge");
    expect((await runAction(h.deps, ivan, "merge.approve", `${mrg.id}:0`)).kind).toBe("done");
  });

  it("reject asks for a reason, tells the requester, and is decided once", async () => {
    const mrg = await requested();
    const form = formOf(await runAction(h.deps, mia, "merge.reject", `${mrg.id}:0`));
    expect(form).toMatchObject({ id: MERGE_REJECT_FORM_ID, context: { requestId: mrg.id, version: "0" } });
    expect(await submitForm(h.deps, mia, MERGE_REJECT_FORM_ID, { reason: "" }, form.context!)).toEqual({ kind: "errors", errors: { reason: "Say why the merge is rejected; the requester is told." } });
    const done = viewOf(await submitForm(h.deps, mia, MERGE_REJECT_FORM_ID, { reason: "Different deals" }, form.context!));
    expect(done.text).toMatch(/^MRG-\d{4} was rejected by/);
    expect(await h.db.mergeRequest.findUniqueOrThrow({ where: { id: mrg.id } })).toMatchObject({ state: "rejected", decisionNote: "Different deals", decidedById: mia.user.id });
    const told = await h.db.outbox.findFirstOrThrow({ where: { dedupeKey: `merge:${mrg.id}:outcome:slack` } });
    expect(told.target).toBe(ana.user.slackUserId);
    expect(readAll(told.payload as unknown as MessageView)).toContain("Different deals");
    expect(await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ isOpen: true, mergedIntoId: null, version: newer.version });
    expect(viewOf(await submitForm(h.deps, admin, MERGE_REJECT_FORM_ID, { reason: "Again" }, form.context!)).text).toMatch(/was already rejected by/);
    expect(viewOf(await runAction(h.deps, admin, "merge.approve", `${mrg.id}:0`)).text).toMatch(/was already rejected by/);
  });

  it("lets the requester withdraw; a late approve then changes nothing", async () => {
    const mrg = await requested();
    expect(viewOf(await runAction(h.deps, bob, "merge.cancel", `${mrg.id}:0`)).text).toContain("Only the person who asked for the merge");
    expect(viewOf(await runAction(h.deps, ana, "merge.cancel", `${mrg.id}:0`)).text).toMatch(/^MRG-\d{4} was withdrawn by/);
    expect(viewOf(await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`)).text).toMatch(/was already withdrawn by/);
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).mergedIntoId).toBeNull();
  });

  it("does not merge a record that changed since the request: the preview is refreshed everywhere, then approve works", async () => {
    const mrg = await requested();
    await h.db.lead.update({ where: { id: newer.id }, data: { title: "Globex renewal 2027", version: { increment: 1 } } });
    const refreshed = viewOf(await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`));
    expect(readAll(refreshed)).toContain(`${ref(newer)} changed since the merge was requested, so nothing was merged.`);
    expect(button(refreshed, "merge.approve").value).toBe(`${mrg.id}:1`);
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).mergedIntoId).toBeNull();
    const stored = await h.db.mergeRequest.findUniqueOrThrow({ where: { id: mrg.id }, include: { items: true } });
    expect(stored).toMatchObject({ state: "pending", version: 1 });
    expect(stored.items.find((i) => i.leadId === newer.id)!.version).toBe(newer.version + 1);
    const latest = await h.db.outbox.findFirstOrThrow({ where: { subjectKey: `merge:${mrg.id}`, target: "CSALESMGR" }, orderBy: { createdAt: "desc" } });
    expect(readAll(latest.payload as unknown as MessageView)).toContain("changed since the merge was requested");
    expect(viewOf(await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`)).text).toContain("This card was out of date");
    expect((await runAction(h.deps, mia, "merge.approve", `${mrg.id}:1`)).kind).toBe("done");
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).mergedIntoId).toBe(older.id);
  });

  it("offers only Reject once a record was won after the request", async () => {
    const mrg = await requested();
    const won = await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "won" } });
    await h.db.lead.update({ where: { id: newer.id }, data: { stageId: won.id, probability: 100, isOpen: false, version: { increment: 1 } } });
    const refreshed = viewOf(await runAction(h.deps, mia, "merge.approve", `${mrg.id}:0`));
    expect(readAll(refreshed)).toContain(`${ref(newer)} is won; won opportunities cannot be merged. Nothing was merged; this request can only be rejected or withdrawn now.`);
    expect(buttons(refreshed).map((b) => b.id)).not.toContain("merge.approve");
    expect((await runAction(h.deps, mia, "merge.approve", `${mrg.id}:1`)).kind).toBe("message");
    expect((await h.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).mergedIntoId).toBeNull();
  });
});
