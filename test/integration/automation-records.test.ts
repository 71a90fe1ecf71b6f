import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Who } from "../../src/bot/dispatch.js";
import { fieldsOf } from "../../src/domain/automation/fields.js";
import type { RecordSnapshot } from "../../src/domain/automation/fields.js";
import {
  addWatchers,
  applySet,
  canSeeRecord,
  findRecordByRef,
  loadSnapshot,
  loadSnapshots,
  openButtonOf,
  planFollowUpCall,
  recipientsOf,
  recordIdsPage,
} from "../../src/handlers/automation/records.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const NOW = new Date("2026-12-10T10:00:00.000Z");
const sorted = (keys: string[]) => [...keys].sort();

describe("automation records: snapshots, set, watchers, follow-ups and who may see them", () => {
  let h: HandlerHarness;
  let support: { id: string };
  let engineering: { id: string };
  let sales: { id: string };
  let purchasing: { id: string };
  let ana: Who; // support agent, mixed-case email
  let sam: Who; // sales agent
  let paula: Who; // purchasing agent
  let mia: Who; // sales manager
  let acme: { id: string };
  let contact: { id: string };
  let printers: { id: string };

  beforeAll(async () => {
    h = await handlerHarness({ now: () => NOW });
    support = await h.db.team.create({ data: { name: "Support", kind: "support", emailAlias: "support@ours.example" } });
    engineering = await h.db.team.create({ data: { name: "Engineering", kind: "engineering" } });
    sales = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    purchasing = await h.db.team.create({ data: { name: "Purchasing", kind: "purchasing" } });
    await h.db.caseStage.createMany({
      data: [
        { teamId: support.id, name: "Open", sequence: 1, kind: "open" },
        { teamId: support.id, name: "Waiting", sequence: 2, kind: "waiting" },
        { teamId: support.id, name: "Solved", sequence: 3, kind: "done" },
      ],
    });
    ana = await aPerson(h.db, { teamIds: [support.id] });
    await h.db.user.update({ where: { id: ana.user.id }, data: { email: `Ana.Ruiz-${Date.now()}@Example.com`, name: "Ana Ruiz" } });
    sam = await aPerson(h.db, { teamIds: [sales.id] });
    paula = await aPerson(h.db, { teamIds: [purchasing.id] });
    mia = await aPerson(h.db, { role: "manager", managedTeamIds: [sales.id] });
    await h.db.team.update({ where: { id: sales.id }, data: { managerId: mia.user.id } });
    const gold = await h.db.partnerCategory.create({ data: { name: "GOLD" } });
    acme = await h.db.partner.create({ data: { kind: "company", name: "Acme Corp", email: "Info@Acme.example", isSupplier: true, categoryMembers: { create: [{ categoryId: gold.id, source: "manual", reason: "test" }] } } });
    contact = await h.db.partner.create({ data: { kind: "person", name: "Jo Acme", email: "jo@acme.example", parentId: acme.id } });
    printers = await h.db.caseType.create({ data: { name: "Printers", teamId: support.id } });
  });
  afterAll(async () => h?.close());

  const emailOf = async (who: Who) => (await h.db.user.findUniqueOrThrow({ where: { id: who.user.id } })).email;

  async function aCase(over: { internal?: boolean; teamId?: string; assigneeId?: string | null } = {}) {
    const teamId = over.teamId ?? support.id;
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { OR: [{ teamId, name: "Open" }, { teamId: null, name: "New" }] }, orderBy: { teamId: "asc" } });
    return h.db.case.create({
      data: {
        subject: "Label printer offline",
        teamId,
        stageId: stage.id,
        typeId: teamId === support.id ? printers.id : null,
        priority: "high",
        partnerId: acme.id,
        contactId: contact.id,
        assigneeId: over.assigneeId === undefined ? ana.user.id : over.assigneeId,
        isInternal: over.internal ?? false,
        channelId: (await h.db.channel.findUniqueOrThrow({ where: { code: "email" } })).id,
        plannedCloseAt: new Date("2026-12-20T09:00:00Z"),
      },
    });
  }

  async function aLead(over: { type?: "lead" | "opportunity"; email?: string | null; salespersonId?: string | null } = {}) {
    const stage = await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    return h.db.lead.create({
      data: {
        title: "200 seats",
        type: over.type ?? "opportunity",
        email: over.email === undefined ? "Buyer@Acme.example" : over.email,
        partnerId: acme.id,
        teamId: sales.id,
        salespersonId: over.salespersonId === undefined ? sam.user.id : over.salespersonId,
        stageId: stage.id,
        probability: stage.probability,
        tags: ["saas"],
        expectedRevenue: "12500.50",
        country: "ES",
        channelId: (await h.db.channel.findUniqueOrThrow({ where: { code: "web" } })).id,
        campaignId: (await h.db.campaign.upsert({ where: { name: "Spring fair" }, create: { name: "Spring fair" }, update: {} })).id,
      },
    });
  }

  async function aClaim(kind: "customer" | "supplier", responsibleId: string | null = null) {
    const category = await h.db.claimCategory.upsert({ where: { name: "Shipment" }, create: { name: "Shipment" }, update: {} });
    return h.db.claim.create({ data: { kind, subject: "Broken pallets", partnerId: acme.id, teamId: purchasing.id, categoryId: category.id, state: "in_progress", sourceDocument: "PO-77", responsibleId } });
  }

  const snap = async (model: RecordSnapshot["type"], id: string) => (await loadSnapshot(h.db, model, id))!;

  describe("snapshots", () => {
    it("fills every catalog key of a case with its values, the customer email from the contact first", async () => {
      const c = await aCase();
      await h.db.caseWatcher.createMany({ data: [{ caseId: c.id, userId: sam.user.id }, { caseId: c.id, email: "Boss@Acme.example" }] });
      const s = await snap("case", c.id);
      expect(sorted(Object.keys(s.fields))).toEqual(sorted(Object.keys(fieldsOf("case"))));
      expect(s.ref).toBe(`CASE-${String(c.number).padStart(4, "0")}`);
      expect(s.fields).toMatchObject({
        ref: s.ref,
        title: "Label printer offline",
        responsible: (await emailOf(ana)).toLowerCase(),
        team: "Support",
        partner: "Acme Corp",
        priority: "high",
        stage: "Open",
        "stage-kind": "open",
        type: "Printers",
        channel: "email",
        origin: "email",
        campaign: null,
        internal: false,
        billable: false,
        level: 0,
        closed: null,
        "planned-close": "2026-12-20T09:00:00.000Z",
        "partner.email": "info@acme.example",
        "partner.categories": ["GOLD"],
        "partner.supplier": true,
        "team.kind": "support",
        "responsible.name": "Ana Ruiz",
        "responsible.role": "agent",
      });
      expect(s.fields.created).toBe(c.createdAt.toISOString());
      expect(s.customerEmail).toBe("jo@acme.example");
      expect(s.watcherUserIds).toEqual([sam.user.id]);
      expect(s.watcherEmails).toEqual(["boss@acme.example"]);
      expect(s).toMatchObject({ teamId: support.id, responsibleId: ana.user.id, partnerId: acme.id });
    });

    it("reads a claim's state as stored and its customer email from the partner", async () => {
      const c = await aClaim("supplier");
      const s = await snap("claim", c.id);
      expect(sorted(Object.keys(s.fields))).toEqual(sorted(Object.keys(fieldsOf("claim"))));
      expect(s.fields).toMatchObject({ ref: `CLM-${String(c.number).padStart(4, "0")}`, title: "Broken pallets", kind: "supplier", state: "in_progress", category: "Shipment", "source-document": "PO-77", responsible: null, "responsible.email": null, team: "Purchasing" });
      expect(s.customerEmail).toBe("info@acme.example");
    });

    it("names an opportunity OPP- and a lead LEAD-, with its own email before the partner's; a merged lead is gone", async () => {
      const opp = await aLead();
      const s = await snap("lead", opp.id);
      expect(sorted(Object.keys(s.fields))).toEqual(sorted(Object.keys(fieldsOf("opportunity"))));
      expect(s.fields).toMatchObject({ ref: `OPP-${String(opp.number).padStart(4, "0")}`, type: "opportunity", stage: "New", "stage-kind": "open", tags: ["saas"], "expected-revenue": 12500.5, probability: 10, priority: 0, email: "buyer@acme.example", country: "ES", channel: "web", campaign: "Spring fair", won: null });
      expect(s.customerEmail).toBe("buyer@acme.example");
      const lead = await aLead({ type: "lead", email: null });
      const l = await snap("lead", lead.id);
      expect(l.ref).toBe(`LEAD-${String(lead.number).padStart(4, "0")}`);
      expect(l.customerEmail).toBe("info@acme.example");

      await h.db.lead.update({ where: { id: lead.id }, data: { mergedIntoId: opp.id, isOpen: false } });
      expect(await loadSnapshot(h.db, "lead", lead.id)).toBeNull();
      const page = await recordIdsPage(h.db, "lead", null, 1000);
      expect(page).toContain(opp.id);
      expect(page).not.toContain(lead.id);
      expect(page).toEqual([...page].sort());
      expect(await findRecordByRef(h.db, `LEAD-${lead.number}`)).toBeNull();
    });

    it("reads calls, meetings (attendees who have not declined) and merge requests", async () => {
      const call = await h.db.phoneCall.create({ data: { subject: "Renewal", state: "planned", direction: "inbound", callAt: new Date("2026-12-11T08:00:00Z"), ownerId: sam.user.id, partnerId: acme.id, durationMinutes: 15 } });
      const c = await snap("call", call.id);
      expect(sorted(Object.keys(c.fields))).toEqual(sorted(Object.keys(fieldsOf("call"))));
      expect(c.fields).toMatchObject({ ref: `CALL-${String(call.number).padStart(4, "0")}`, title: "Renewal", state: "planned", direction: "inbound", kind: "call", duration: 15, "call-at": "2026-12-11T08:00:00.000Z", team: null });

      const meeting = await h.db.meeting.create({
        data: {
          uid: `m-${Date.now()}@test`, title: "Kick-off", startAt: new Date("2026-12-12T09:00:00Z"), endAt: new Date("2026-12-12T10:00:00Z"), timeZone: "UTC", organizerId: ana.user.id, location: "Room 1",
          attendees: { create: [{ userId: sam.user.id, response: "accepted" }, { userId: mia.user.id, response: "declined" }, { email: "jo@acme.example" }] },
        },
      });
      const m = await snap("meeting", meeting.id);
      expect(sorted(Object.keys(m.fields))).toEqual(sorted(Object.keys(fieldsOf("meeting"))));
      expect(m.fields).toMatchObject({ ref: `MTG-${String(meeting.number).padStart(4, "0")}`, status: "confirmed", start: "2026-12-12T09:00:00.000Z", location: "Room 1", recurring: false });
      expect(m.attendeeUserIds).toEqual([sam.user.id]);

      const request = await h.db.mergeRequest.create({ data: { teamId: sales.id, requesterId: sam.user.id, reason: "Same customer twice", state: "rejected", decidedById: mia.user.id } });
      const r = await snap("merge-request", request.id);
      expect(sorted(Object.keys(r.fields))).toEqual(sorted(Object.keys(fieldsOf("merge-request"))));
      expect(r.fields).toMatchObject({ ref: `MRG-${String(request.number).padStart(4, "0")}`, title: "Same customer twice", reason: "Same customer twice", state: "rejected", "decided-by": (await emailOf(mia)).toLowerCase(), team: "Sales" });
    });

    it("loads many at once in the order asked, leaving out the missing and malformed ids", async () => {
      const a = await aCase();
      const b = await aCase();
      const many = await loadSnapshots(h.db, "case", [b.id, "not-an-id", "00000000-0000-4000-8000-000000000000", a.id]);
      expect(many.map((s) => s.id)).toEqual([b.id, a.id]);
      expect(await loadSnapshot(h.db, "case", "CASE-1")).toBeNull();
    });

    it("finds records by the references people write", async () => {
      const c = await aCase();
      const claim = await aClaim("customer");
      const opp = await aLead();
      const call = await h.db.phoneCall.create({ data: { subject: "x", callAt: NOW, ownerId: sam.user.id } });
      expect(await findRecordByRef(h.db, `CASE-${c.number}`)).toEqual({ model: "case", id: c.id });
      expect(await findRecordByRef(h.db, ` case-${String(c.number).padStart(4, "0")} `)).toEqual({ model: "case", id: c.id });
      expect(await findRecordByRef(h.db, `CLM-${claim.number}`)).toEqual({ model: "claim", id: claim.id });
      expect(await findRecordByRef(h.db, `OPP-${opp.number}`)).toEqual({ model: "lead", id: opp.id });
      expect(await findRecordByRef(h.db, `lead-${opp.number}`)).toEqual({ model: "lead", id: opp.id });
      expect(await findRecordByRef(h.db, `CALL-${call.number}`)).toEqual({ model: "call", id: call.id });
      expect(await findRecordByRef(h.db, String(call.number))).toBeNull();
      expect(await findRecordByRef(h.db, "CASE-999999")).toBeNull();
      expect(await findRecordByRef(h.db, "RULE-1")).toBeNull();
      const m = await h.db.meeting.create({ data: { uid: `r-${Date.now()}@t`, title: "t", startAt: NOW, endAt: NOW, timeZone: "UTC", organizerId: ana.user.id } });
      expect(await findRecordByRef(h.db, `MTG-${m.number}`)).toEqual({ model: "meeting", id: m.id });
      const r = await h.db.mergeRequest.create({ data: { requesterId: sam.user.id, reason: "dup" } });
      expect(await findRecordByRef(h.db, `mrg-${r.number}`)).toEqual({ model: "merge-request", id: r.id });
    });
  });

  describe("set", () => {
    const versionOf = async (id: string) => (await h.db.case.findUniqueOrThrow({ where: { id } })).version;

    it("sets a case's responsible, refuses an unknown person, and changes nothing for the same one", async () => {
      const c = await aCase({ assigneeId: null });
      const s = await snap("case", c.id);
      expect(await applySet(h.db, s, "responsible", "nobody@example.com", NOW)).toEqual({ ok: false, reason: "no active user nobody@example.com" });
      const set = await applySet(h.db, s, "responsible", (await emailOf(ana)).toUpperCase(), NOW);
      expect(set).toEqual({ ok: true, summary: `assigned to ${(await emailOf(ana)).toLowerCase()}` });
      expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).assigneeId).toBe(ana.user.id);
      expect(await versionOf(c.id)).toBe(1);
      const again = await applySet(h.db, s, "responsible", await emailOf(ana), NOW);
      expect(again.ok && again.summary).toMatch(/^already /);
      expect(await versionOf(c.id)).toBe(1);
      await h.db.user.update({ where: { id: sam.user.id }, data: { isActive: false } });
      expect((await applySet(h.db, s, "responsible", await emailOf(sam), NOW)).ok).toBe(false);
      await h.db.user.update({ where: { id: sam.user.id }, data: { isActive: true } });
    });

    it("moves a case to a done stage (closed) and back to an open one (reopened)", async () => {
      const c = await aCase();
      const s = await snap("case", c.id);
      expect(await applySet(h.db, s, "stage", "solved", NOW)).toEqual({ ok: true, summary: "stage set to Solved (closed)" });
      let now = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { stage: true } });
      expect(now).toMatchObject({ isOpen: false, closedAt: NOW, progress: 100, version: 1 });
      expect(now.stage.name).toBe("Solved");
      expect(await applySet(h.db, s, "stage", "Open", NOW)).toEqual({ ok: true, summary: "stage set to Open" });
      now = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { stage: true } });
      expect(now).toMatchObject({ isOpen: true, closedAt: null, version: 2 });
      const bad = await applySet(h.db, s, "stage", "Completed", NOW);
      expect(bad).toEqual({ ok: false, reason: 'no stage "Completed" for team Support (its stages: Open, Waiting, Solved)' });
      expect((await applySet(h.db, s, "stage", "Open", NOW)).ok && "no-op").toBe("no-op");
      expect(await versionOf(c.id)).toBe(2);
    });

    it("moves a case to another team onto a stage of that team, dropping the old team's type; sets priority", async () => {
      const c = await aCase();
      const s = await snap("case", c.id);
      expect(await applySet(h.db, s, "team", "Nowhere", NOW)).toEqual({ ok: false, reason: 'no team named "Nowhere"' });
      expect(await applySet(h.db, s, "team", "engineering", NOW)).toEqual({ ok: true, summary: "moved to team Engineering" });
      const moved = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { stage: true } });
      expect(moved).toMatchObject({ teamId: engineering.id, typeId: null, isOpen: true });
      expect(moved.stage).toMatchObject({ teamId: null, name: "New" });
      expect(await applySet(h.db, s, "priority", "critical", NOW)).toMatchObject({ ok: false });
      // With deps, the SLA deadlines follow (no policy here: nothing scheduled, nothing breaks).
      await h.db.$transaction((tx) => applySet(tx, s, "priority", "urgent", NOW, h.deps));
      expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).priority).toBe("urgent");
      expect(await applySet(h.db, s, "level", 3, NOW)).toEqual({ ok: false, reason: "a rule cannot set level on a case" });
    });

    it("sets a claim's state (closing and reopening it), responsible, team and priority", async () => {
      const c = await aClaim("customer");
      const s = await snap("claim", c.id);
      expect(await applySet(h.db, s, "state", "settled", NOW)).toEqual({ ok: true, summary: "state set to settled" });
      expect(await h.db.claim.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "settled", closedAt: NOW, version: 1 });
      expect(await applySet(h.db, s, "state", "in progress", NOW)).toEqual({ ok: true, summary: "state set to in_progress" });
      expect(await h.db.claim.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "in_progress", closedAt: null, version: 2 });
      expect(await applySet(h.db, s, "state", "closed", NOW)).toMatchObject({ ok: false });
      expect(await applySet(h.db, s, "state", "in_progress", NOW)).toEqual({ ok: true, summary: "already in_progress" });
      expect((await applySet(h.db, s, "responsible", await emailOf(paula), NOW)).ok).toBe(true);
      expect((await applySet(h.db, s, "team", "Support", NOW)).ok).toBe(true);
      expect((await applySet(h.db, s, "priority", "LOW", NOW)).ok).toBe(true);
      expect(await h.db.claim.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ responsibleId: paula.user.id, teamId: support.id, priority: "low", version: 5 });
    });

    it("moves a lead to Won (closed, 100%) and back to an open stage; priority 0–3; tags added once", async () => {
      const l = await aLead();
      const s = await snap("lead", l.id);
      expect(await applySet(h.db, s, "stage", "Won", NOW)).toEqual({ ok: true, summary: "stage set to Won" });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({ isOpen: false, probability: 100, wonAt: NOW, lostAt: null, stageChangedAt: NOW, version: 1 });
      expect(await applySet(h.db, s, "stage", "qualified", NOW)).toEqual({ ok: true, summary: "stage set to Qualified" });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({ isOpen: true, probability: 30, wonAt: null, version: 2 });
      expect(await applySet(h.db, s, "stage", "Closing", NOW)).toMatchObject({ ok: false });

      expect(await applySet(h.db, s, "priority", 5, NOW)).toMatchObject({ ok: false });
      expect(await applySet(h.db, s, "priority", "2", NOW)).toEqual({ ok: true, summary: "priority set to 2" });
      expect(await applySet(h.db, s, "tags", ["SaaS", "vip", "#hot", "vip"], NOW)).toEqual({ ok: true, summary: "tagged vip, hot" });
      expect(await applySet(h.db, s, "tags", "vip", NOW)).toEqual({ ok: true, summary: "already tagged vip" });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({ priority: 2, tags: ["saas", "vip", "hot"], version: 4 });

      expect(await applySet(h.db, s, "responsible", await emailOf(mia), NOW)).toMatchObject({ ok: true });
      expect(await applySet(h.db, s, "team", "Support", NOW)).toEqual({ ok: true, summary: "moved to team Support" });
      expect(await h.db.lead.findUniqueOrThrow({ where: { id: l.id } })).toMatchObject({ salespersonId: mia.user.id, teamId: support.id, version: 6 });
    });

    it("refuses fields a rule cannot set and records that cannot be set at all", async () => {
      const l = await aLead();
      expect(await applySet(h.db, await snap("lead", l.id), "probability", 50, NOW)).toMatchObject({ ok: false });
      const call = await h.db.phoneCall.create({ data: { subject: "x", callAt: NOW, ownerId: sam.user.id } });
      expect(await applySet(h.db, await snap("call", call.id), "state", "held", NOW)).toMatchObject({ ok: false });
    });
  });

  describe("watchers and follow-ups", () => {
    it("adds a user watcher, an outside address, and skips aliases, bad addresses, repeats and people who may not see the case", async () => {
      const c = await aCase({ internal: true });
      const s = await snap("case", c.id);
      const outsider = await aPerson(h.db, { teamIds: [engineering.id] });
      const colleague = await aPerson(h.db, { teamIds: [support.id] });
      const result = await applyWatchers(s, [colleague.user.email.toUpperCase(), "Partner@Outside.example", "support@ours.example", "not an email", outsider.user.email]);
      expect(result.added).toEqual([colleague.user.email.toLowerCase(), "partner@outside.example"]);
      expect(result.skipped.map((x) => x.who)).toEqual(["support@ours.example", "not an email", outsider.user.email.toLowerCase()]);
      expect(result.skipped[2]!.reason).toMatch(/may not see CASE-/);
      const rows = await h.db.caseWatcher.findMany({ where: { caseId: c.id } });
      expect(rows.map((w) => w.userId ?? w.email).sort()).toEqual([colleague.user.id, "partner@outside.example"].sort());
      const again = await applyWatchers(s, ["partner@outside.example"]);
      expect(again).toEqual({ added: [], skipped: [{ who: "partner@outside.example", reason: "already watching" }] });

      const claim = await aClaim("supplier");
      const onClaim = await applyWatchers(await snap("claim", claim.id), [paula.user.email, sam.user.email]);
      expect(onClaim.added).toEqual([paula.user.email.toLowerCase()]);
      expect(onClaim.skipped[0]!.who).toBe(sam.user.email.toLowerCase());

      const l = await aLead();
      expect(await applyWatchers(await snap("lead", l.id), ["x@y.example"])).toEqual({ added: [], skipped: [{ who: "x@y.example", reason: "lead records have no watchers" }] });
    });

    function applyWatchers(s: RecordSnapshot, people: string[]) {
      return h.db.$transaction((tx) => addWatchers(tx, s, people));
    }

    it("plans a follow-up call for the responsible person with the record's partner and lead, and its due job", async () => {
      const l = await aLead();
      const s = await snap("lead", l.id);
      const due = new Date("2027-01-15T09:30:00Z");
      const planned = await h.db.$transaction((tx) => planFollowUpCall(tx, h.deps, s, "Check in after the demo", due));
      if (!planned.ok) throw new Error(planned.reason);
      const call = await h.db.phoneCall.findUniqueOrThrow({ where: { id: planned.callId } });
      expect(planned.callRef).toBe(`CALL-${String(call.number).padStart(4, "0")}`);
      expect(call).toMatchObject({ state: "planned", direction: "outbound", subject: "Check in after the demo", ownerId: sam.user.id, partnerId: acme.id, leadId: l.id, callAt: due });
      const jobs = await h.db.$queryRawUnsafe<{ data: { callAt: string } }[]>(`SELECT data FROM pgboss.job WHERE name = 'call-due' AND data->>'callId' = $1`, call.id);
      expect(jobs.map((j) => j.data.callAt)).toEqual([due.toISOString()]);

      const nobody = await aCase({ assigneeId: null });
      const refused = await h.db.$transaction((tx) => planFollowUpCall(tx, h.deps, { ...s, responsibleId: null }, "x", due));
      expect(refused).toMatchObject({ ok: false });
      const onCase = await h.db.$transaction((tx) => planFollowUpCall(tx, h.deps, { ...s, type: "case", id: nobody.id, responsibleId: null, ref: "CASE-X" }, "x", due));
      expect(onCase).toEqual({ ok: false, reason: "CASE-X has no responsible person to make the call" });
    });
  });

  describe("who may see a record", () => {
    it("hides a supplier claim from an agent outside purchasing, shows it to purchasing and its responsible", async () => {
      const claim = await aClaim("supplier");
      const s = await snap("claim", claim.id);
      expect(await canSeeRecord(h.db, ana.user.id, s)).toBe(false);
      expect(await canSeeRecord(h.db, paula.user.id, s)).toBe(true);
      await h.db.claim.update({ where: { id: claim.id }, data: { responsibleId: ana.user.id } });
      expect(await canSeeRecord(h.db, ana.user.id, await snap("claim", claim.id))).toBe(true);
      expect(await canSeeRecord(h.db, ana.user.id, await snap("claim", (await aClaim("customer")).id))).toBe(true);
    });

    it("shows another team's case unless it is internal; never to an inactive user", async () => {
      const open = await snap("case", (await aCase()).id);
      const internal = await snap("case", (await aCase({ internal: true, assigneeId: null })).id);
      expect(await canSeeRecord(h.db, sam.user.id, open)).toBe(true);
      expect(await canSeeRecord(h.db, sam.user.id, internal)).toBe(false);
      expect(await canSeeRecord(h.db, ana.user.id, internal)).toBe(true);
      const gone = await aPerson(h.db, { teamIds: [support.id] });
      await h.db.user.update({ where: { id: gone.user.id }, data: { isActive: false } });
      expect(await canSeeRecord(h.db, gone.user.id, open)).toBe(false);
      expect(await canSeeRecord(h.db, "not-a-user", open)).toBe(false);
      expect((await recipientsOf(h.db, [ana.user.id, gone.user.id, "junk"])).map((r) => r.id)).toEqual([ana.user.id]);
    });

    it("shows a merge request to its requester and the team's people only, a meeting to those invited", async () => {
      const r = await h.db.mergeRequest.create({ data: { teamId: sales.id, requesterId: sam.user.id, reason: "dup" } });
      const s = await snap("merge-request", r.id);
      expect(await canSeeRecord(h.db, sam.user.id, s)).toBe(true);
      expect(await canSeeRecord(h.db, mia.user.id, s)).toBe(true);
      expect(await canSeeRecord(h.db, ana.user.id, s)).toBe(false);
      const m = await h.db.meeting.create({ data: { uid: `v-${Date.now()}@t`, title: "t", startAt: NOW, endAt: NOW, timeZone: "UTC", organizerId: ana.user.id, attendees: { create: [{ userId: sam.user.id, response: "declined" }] } } });
      const ms = await snap("meeting", m.id);
      expect(await canSeeRecord(h.db, sam.user.id, ms)).toBe(true);
      expect(await canSeeRecord(h.db, paula.user.id, ms)).toBe(false);
      expect(openButtonOf(ms)).toEqual({ actionId: "meeting.show", value: m.id });
      expect(openButtonOf(s)).toBeNull();
    });
  });
});
