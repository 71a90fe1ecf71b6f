// Merge rules (Odoo's _merge_opportunity, notes §1.3): survivor ranking and its tie-break, field rules, provenance, selection checks.
import { describe, expect, it } from "vitest";
import type { PipelineStage } from "../../src/domain/leads.js";
import { checkMergeSelection, planMerge, provenanceSummary, rankForMerge, type MergeRecord } from "../../src/domain/merge.js";

const stages: PipelineStage[] = [
  { id: "new", teamId: null, name: "New", sequence: 1, kind: "open", probability: 10 },
  { id: "qualified", teamId: null, name: "Qualified", sequence: 2, kind: "open", probability: 30 },
  { id: "won", teamId: null, name: "Won", sequence: 70, kind: "won", probability: 100 },
  { id: "lost", teamId: null, name: "Lost", sequence: 80, kind: "lost", probability: 0 },
  { id: "b2b-intro", teamId: "b2b", name: "Intro", sequence: 1, kind: "open", probability: 5 },
  { id: "b2b-lost", teamId: "b2b", name: "Gone", sequence: 90, kind: "lost", probability: 0 },
];

function aRecord(over: Partial<MergeRecord> & { number: number }): MergeRecord {
  return {
    id: `id-${over.number}`,
    type: "opportunity",
    isOpen: true,
    mergedIntoId: null,
    stageId: "new",
    stageKind: "open",
    stageSequence: 1,
    probability: 10,
    title: `Deal ${over.number}`,
    contactName: null,
    companyName: null,
    email: null,
    phone: null,
    partnerId: null,
    salespersonId: null,
    teamId: null,
    expectedRevenue: null,
    channelId: null,
    campaignId: null,
    referredBy: null,
    nextAction: null,
    nextActionAt: null,
    expectedCloseAt: null,
    notes: null,
    priority: 0,
    tags: [],
    lostReasonId: null,
    street: null,
    city: null,
    zip: null,
    country: null,
    ...over,
  };
}

const numbers = (records: MergeRecord[]) => records.map((r) => r.number);

describe("survivor ranking", () => {
  it("puts an open record before a lost one, whatever its stage", () => {
    const lost = aRecord({ number: 1, isOpen: false, stageId: "lost", stageKind: "lost", stageSequence: 80, probability: 0 });
    const open = aRecord({ number: 2 });
    expect(numbers(rankForMerge([lost, open]))).toEqual([2, 1]);
  });

  it("puts an opportunity before a lead", () => {
    expect(numbers(rankForMerge([aRecord({ number: 1, type: "lead", stageSequence: 3 }), aRecord({ number: 2 })]))).toEqual([2, 1]);
  });

  it("puts the later stage first, then the higher probability", () => {
    const early = aRecord({ number: 1, stageSequence: 1, probability: 90 });
    const late = aRecord({ number: 2, stageSequence: 2, probability: 20 });
    const lateLikely = aRecord({ number: 3, stageSequence: 2, probability: 40 });
    expect(numbers(rankForMerge([early, late, lateLikely]))).toEqual([3, 2, 1]);
  });

  it("breaks a full tie in favour of the older record (lower number), whose reference is already linked everywhere", () => {
    expect(numbers(rankForMerge([aRecord({ number: 15 }), aRecord({ number: 12 }), aRecord({ number: 20 })]))).toEqual([12, 15, 20]);
  });
});

describe("planMerge field rules", () => {
  it("takes each plain field from the first record, survivor first, that has a value, and says where it came from", () => {
    const survivor = aRecord({ number: 10, stageSequence: 2, stageId: "qualified", title: "Big deal", email: "", phone: null, expectedRevenue: 0 });
    const other = aRecord({ number: 15, title: "Other", email: "Jane@Globex.com", phone: "+34 600 12 34 56", expectedRevenue: 5000, campaignId: "campaign-spring" });
    const plan = planMerge([other, survivor], stages);
    expect(plan.survivor.number).toBe(10);
    expect(plan.others.map((r) => r.number)).toEqual([15]);
    expect(plan.values).toMatchObject({
      title: "Big deal",
      email: "Jane@Globex.com",
      emailNormalized: "jane@globex.com",
      emailDomain: "globex.com",
      phone: "+34 600 12 34 56",
      phoneSanitized: "+34600123456",
      expectedRevenue: 5000,
      campaignId: "campaign-spring",
      stageId: "qualified",
    });
    expect(plan.provenance).toMatchObject({ title: ["OPP-0010"], email: ["OPP-0015"], expectedRevenue: ["OPP-0015"], campaignId: ["OPP-0015"], stageId: ["OPP-0010"] });
    expect(plan.provenance.referredBy).toBeUndefined();
  });

  it("concatenates notes with a blank line, each other record's part headed by its reference", () => {
    const plan = planMerge([aRecord({ number: 10, notes: "Wants 40 seats" }), aRecord({ number: 12, notes: "  " }), aRecord({ number: 15, notes: "Called twice" })], stages);
    expect(plan.values.notes).toBe("Wants 40 seats\n\nFrom OPP-0015:\nCalled twice");
    expect(plan.provenance.notes).toEqual(["OPP-0010", "OPP-0015"]);
  });

  it("becomes an opportunity if any record is one, keeps the highest priority and unites tags case-insensitively in order", () => {
    const plan = planMerge(
      [aRecord({ number: 10, type: "lead", priority: 1, tags: ["SaaS", "eu"] }), aRecord({ number: 11, isOpen: false, stageKind: "lost", stageId: "lost", priority: 3, tags: ["saas", "Renewal"] })],
      stages,
    );
    expect(plan.survivor.number).toBe(10);
    expect(plan.values.type).toBe("opportunity");
    expect(plan.values.priority).toBe(3);
    expect(plan.values.tags).toEqual(["SaaS", "eu", "Renewal"]);
    expect(plan.provenance).toMatchObject({ type: ["OPP-0011"], priority: ["OPP-0011"], tags: ["LEAD-0010", "OPP-0011"] });
  });

  it("clears the lost reason when the survivor is open, and keeps the first one when all are lost", () => {
    const lostA = aRecord({ number: 11, isOpen: false, stageId: "lost", stageKind: "lost", stageSequence: 80, lostReasonId: "too-expensive" });
    const lostB = aRecord({ number: 12, isOpen: false, stageId: "lost", stageKind: "lost", stageSequence: 80, lostReasonId: "no-stock" });
    expect(planMerge([aRecord({ number: 10 }), lostA], stages).values.lostReasonId).toBeNull();
    const allLost = planMerge([lostB, lostA], stages);
    expect(allLost.values.lostReasonId).toBe("too-expensive");
    expect(allLost.provenance.lostReasonId).toEqual(["OPP-0011"]);
  });

  it("copies the address as a block from the record with the most of it, never mixing records", () => {
    const survivor = aRecord({ number: 10, stageSequence: 2, city: "Madrid" });
    const fuller = aRecord({ number: 15, street: "Gran Via 1", zip: "28013", country: "Spain" });
    const plan = planMerge([survivor, fuller], stages);
    expect(plan.values).toMatchObject({ street: "Gran Via 1", city: null, zip: "28013", country: "Spain" });
    expect(plan.provenance.address).toEqual(["OPP-0015"]);
  });

  it("keeps the survivor's address when records have as much of it (survivor first)", () => {
    const plan = planMerge([aRecord({ number: 15, city: "Lyon" }), aRecord({ number: 10, city: "Paris" })], stages);
    expect(plan.values.city).toBe("Paris");
  });

  it("moves the stage to the merged team's first open stage when it is not in that team's pipeline", () => {
    const survivor = aRecord({ number: 10, stageId: "qualified", stageSequence: 2 });
    const plan = planMerge([survivor, aRecord({ number: 11, teamId: "b2b" })], stages);
    expect(plan.values.teamId).toBe("b2b");
    expect(plan.values.stageId).toBe("b2b-intro");
    const allLost = planMerge([aRecord({ number: 12, isOpen: false, stageId: "lost", stageKind: "lost", stageSequence: 80, teamId: "b2b" }), aRecord({ number: 13, isOpen: false, stageId: "lost", stageKind: "lost", stageSequence: 80 })], stages);
    expect(allLost.values.stageId).toBe("b2b-lost");
  });

  it("writes a history line naming the source of each field", () => {
    const plan = planMerge([aRecord({ number: 10, title: "A" }), aRecord({ number: 15, email: "x@globex.com", notes: "n" })], stages);
    const line = provenanceSummary(plan.provenance);
    expect(line).toContain("title from OPP-0010");
    expect(line).toContain("email from OPP-0015");
    expect(line).toContain("notes from OPP-0015");
  });
});

describe("checkMergeSelection", () => {
  const candidate = (number: number, over: Partial<MergeRecord> = {}) => aRecord({ number, ...over });

  it("accepts 2 to 5 distinct open or lost records", () => {
    expect(checkMergeSelection([candidate(1), candidate(2)])).toEqual({ ok: true });
    expect(checkMergeSelection([1, 2, 3, 4, 5].map((n) => candidate(n, n === 5 ? { stageKind: "lost" } : {})))).toEqual({ ok: true });
  });

  it("refuses a single record and 6 records", () => {
    expect(checkMergeSelection([candidate(1)])).toMatchObject({ ok: false, reason: expect.stringContaining("at least 2") });
    expect(checkMergeSelection([1, 2, 3, 4, 5, 6].map((n) => candidate(n)))).toMatchObject({ ok: false, reason: expect.stringContaining("At most 5 records") });
  });

  it("refuses a record chosen twice, naming it", () => {
    expect(checkMergeSelection([candidate(1), candidate(2), candidate(1)])).toMatchObject({ ok: false, reason: expect.stringContaining("OPP-0001 is chosen more than once") });
  });

  it("refuses won records, naming each", () => {
    const check = checkMergeSelection([candidate(1), candidate(2, { stageKind: "won" }), candidate(3, { stageKind: "won" })]);
    expect(check).toEqual({ ok: false, reason: "OPP-0002 and OPP-0003 are won; won opportunities cannot be merged." });
  });

  it("refuses records already merged away", () => {
    expect(checkMergeSelection([candidate(1), candidate(2, { mergedIntoId: "id-9" })])).toEqual({ ok: false, reason: "OPP-0002 was already merged into another record." });
  });
});
