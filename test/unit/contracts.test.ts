// Contracts in the domain: references, the form's checks, renewal dates, prepaid warnings, the digest's parts and week.
import { describe, expect, it } from "vitest";
import {
  checkContractTerms,
  contractReference,
  digestParts,
  isoWeek,
  localDigestMoment,
  localIsoWeek,
  nextDigestRun,
  parseContractReference,
  percentUsed,
  planRenewal,
  warningsDue,
  type ContractState,
  type RenewableContract,
} from "../../src/domain/contracts.js";
import { policy, type Actor } from "../../src/domain/policy.js";

const day = (d: string) => new Date(`${d}T00:00:00.000Z`);

function aContract(over: Partial<RenewableContract> = {}): RenewableContract {
  return { name: "Support 2026", state: "open", endsAt: day("2026-12-31"), hasRenewal: false, partnerId: "p1", salespersonId: "u1", teamId: "t1", billing: "prepaid_hours", unitPrice: 90, prepaidUnits: 40, ...over };
}

describe("contract references", () => {
  it("writes CTR-0042 and reads it back in any case, with or without zeros", () => {
    expect(contractReference(42)).toBe("CTR-0042");
    expect(parseContractReference("ctr-42")).toBe(42);
    expect(parseContractReference(" CTR-0042 ")).toBe(42);
    expect(parseContractReference("Acme")).toBeUndefined();
    expect(parseContractReference("42")).toBeUndefined();
  });
});

describe("the contract form's checks", () => {
  const valid = { name: "Support", start: "2026-01-01", end: "2026-12-31", billing: "prepaid_hours", unitPrice: "95.50", prepaidHours: "40" };

  it("accepts a prepaid contract and reads its days and amounts", () => {
    const checked = checkContractTerms(valid);
    expect(checked).toEqual({ ok: true, value: { name: "Support", startsAt: day("2026-01-01"), endsAt: day("2026-12-31"), billing: "prepaid_hours", unitPrice: 95.5, prepaidUnits: 40 } });
  });

  it("gives an error per field: end before start, negative price, prepaid hours with another billing", () => {
    const checked = checkContractTerms({ ...valid, end: "2025-12-31", unitPrice: "-1", billing: "fixed_price" });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors.end).toMatch(/cannot end before it starts/);
    expect(checked.errors.unitPrice).toMatch(/cannot be negative/);
    expect(checked.errors.prepaidHours).toMatch(/only with prepaid-hours billing/);
  });

  it("asks for the hours of a prepaid contract, a real start day and a name", () => {
    const checked = checkContractTerms({ billing: "prepaid_hours", start: "2026-02-30", name: " " });
    expect(checked.ok ? [] : Object.keys(checked.errors).sort()).toEqual(["name", "prepaidHours", "start"]);
  });

  it("allows no end day (a contract renewed by hand)", () => {
    const checked = checkContractTerms({ ...valid, end: undefined, billing: "fixed_price", prepaidHours: undefined });
    expect(checked.ok && checked.value.endsAt).toBeNull();
  });
});

describe("renewal", () => {
  it("starts the day after the old one's last day, keeps customer, people, billing and hours, takes the new price", () => {
    const plan = planRenewal(aContract(), day("2027-12-31"), 100);
    expect(plan).toEqual({ ok: true, value: { name: "Support 2026", partnerId: "p1", salespersonId: "u1", teamId: "t1", billing: "prepaid_hours", prepaidUnits: 40, unitPrice: 100, startsAt: day("2027-01-01"), endsAt: day("2027-12-31") } });
  });

  it("keeps the old price when none is given, and a one-day renewal is allowed", () => {
    const plan = planRenewal(aContract(), day("2027-01-01"), undefined);
    expect(plan.ok && plan.value.unitPrice).toBe(90);
  });

  it("refuses an end before the renewal's first day, a closed or already renewed contract, and one with no end", () => {
    const refused = (c: Partial<RenewableContract>, end = "2027-06-30") => {
      const plan = planRenewal(aContract(c), day(end), undefined);
      return plan.ok ? "" : Object.values(plan.errors)[0];
    };
    expect(refused({}, "2026-12-31")).toMatch(/starts on 2027-01-01/);
    expect(refused({ state: "closed" })).toMatch(/closed/);
    expect(refused({ hasRenewal: true })).toMatch(/already renewed/);
    expect(refused({ endsAt: null })).toMatch(/no end date/);
  });
});

describe("prepaid usage warnings", () => {
  const usage = (unitsUsed: number, usageWarned: string[] = [], billing: RenewableContract["billing"] = "prepaid_hours") => ({ billing, prepaidUnits: 20, unitsUsed, usageWarned });

  it("is due at 80% and at 100%, each only until it was sent", () => {
    expect(warningsDue(usage(15.9))).toEqual([]);
    expect(warningsDue(usage(16))).toEqual(["80"]);
    expect(warningsDue(usage(16, ["80"]))).toEqual([]);
    expect(warningsDue(usage(20, ["80"]))).toEqual(["100"]);
    expect(warningsDue(usage(25))).toEqual(["80", "100"]);
    expect(warningsDue(usage(25, ["80", "100"]))).toEqual([]);
  });

  it("never warns for other billing methods, and has no percent without prepaid hours", () => {
    expect(warningsDue(usage(30, [], "time_and_materials"))).toEqual([]);
    expect(percentUsed({ prepaidUnits: null, unitsUsed: 3 })).toBeNull();
    expect(percentUsed({ prepaidUnits: 3, unitsUsed: 1 })).toBe(33);
  });
});

describe("the digest's three parts", () => {
  const NOW = new Date("2026-06-15T08:00:00.000Z"); // a Monday
  const c = (end: string | null, state: ContractState = "open", hasRenewal = false) => ({ end, state, endsAt: end ? day(end) : null, hasRenewal });
  const ends = (list: { end: string | null }[]) => list.map((x) => x.end);

  it("sorts by when the last day is over: within 7 days back, earlier, within 30 days ahead", () => {
    const parts = digestParts(
      [
        c("2026-06-14"), // ended 2026-06-15 00:00: just expired
        c("2026-06-08"), // ended 2026-06-09 00:00, 6 days 8 h ago: just expired
        c("2026-06-07"), // ended 2026-06-08 00:00, 7 days 8 h ago: still open
        c("2026-06-15"), // its last day is today: expiring
        c("2026-07-14"), // ends 2026-07-15 00:00, within 30 days: expiring
        c("2026-07-15"), // ends 2026-07-16 00:00, 30 days 16 h: not yet
        c(null),
      ],
      NOW,
    );
    expect(ends(parts.justExpired)).toEqual(["2026-06-08", "2026-06-14"]);
    expect(ends(parts.stillOpen)).toEqual(["2026-06-07"]);
    expect(ends(parts.expiringSoon)).toEqual(["2026-06-15", "2026-07-14"]);
  });

  it("puts a contract whose end is exactly 7 days ago among the still open, and exactly 30 days ahead among the expiring", () => {
    const at = new Date("2026-06-15T00:00:00.000Z");
    const parts = digestParts([c("2026-06-07"), c("2026-07-14")], at);
    expect(ends(parts.stillOpen)).toEqual(["2026-06-07"]);
    expect(ends(parts.expiringSoon)).toEqual(["2026-07-14"]);
  });

  it("leaves out renewed, closed and cancelled contracts: they were handled", () => {
    const parts = digestParts([c("2026-06-10", "closed"), c("2026-06-10", "open", true), c("2026-06-20", "cancelled")], NOW);
    expect([...parts.justExpired, ...parts.stillOpen, ...parts.expiringSoon]).toEqual([]);
  });
});

describe("the digest's week and moment", () => {
  it("names ISO weeks across the year's turn", () => {
    expect(isoWeek(new Date("2026-01-01T12:00:00Z"))).toBe("2026-W01");
    expect(isoWeek(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toBe("2026-W01");
  });

  it("is Monday 08:00 of the reader's own local week, in their time zone", () => {
    const at = (iso: string, tz: string) => localDigestMoment(new Date(iso), tz).toISOString();
    expect(at("2026-06-18T10:00:00Z", "UTC")).toBe("2026-06-15T08:00:00.000Z");
    expect(at("2026-06-18T10:00:00Z", "Europe/Berlin")).toBe("2026-06-15T06:00:00.000Z");
    expect(at("2026-06-18T10:00:00Z", "America/Los_Angeles")).toBe("2026-06-15T15:00:00.000Z");
    // Sunday 23:00 UTC is already Monday in Tokyo: that Monday's 08:00 is the moment of the new local week.
    expect(at("2026-06-21T23:00:00Z", "Asia/Tokyo")).toBe("2026-06-21T23:00:00.000Z");
    // Monday 06:00 UTC is still Sunday in Los Angeles: the moment is the Monday before.
    expect(at("2026-06-22T06:00:00Z", "America/Los_Angeles")).toBe("2026-06-15T15:00:00.000Z");
    // The week DST starts in Europe: Monday 08:00 is CEST, 06:00 UTC; the week before, CET, 07:00 UTC.
    expect(at("2026-03-30T12:00:00Z", "Europe/Berlin")).toBe("2026-03-30T06:00:00.000Z");
    expect(at("2026-03-27T12:00:00Z", "Europe/Berlin")).toBe("2026-03-23T07:00:00.000Z");
  });

  it("counts the week by the reader's local day, and runs at each hour's start", () => {
    expect(localIsoWeek(new Date("2026-06-21T23:00:00Z"), "Asia/Tokyo")).toBe("2026-W26");
    expect(localIsoWeek(new Date("2026-06-21T23:00:00Z"), "UTC")).toBe("2026-W25");
    expect(nextDigestRun(new Date("2026-06-15T07:59:59Z")).toISOString()).toBe("2026-06-15T08:00:00.000Z");
    expect(nextDigestRun(new Date("2026-06-15T08:00:00Z")).toISOString()).toBe("2026-06-15T09:00:00.000Z");
  });
});

describe("who may see, change and create contracts", () => {
  const actor = (over: Partial<Actor> = {}): Actor => ({ id: "x", role: "agent", teamIds: [], managedTeamIds: [], ...over });
  const facts = { salespersonId: "sam", teamId: "sales" };

  it("lets the salesperson, the team's members and manager, and admins see and change it; nobody else", () => {
    expect(policy.viewContract(actor({ id: "sam" }), facts).ok).toBe(true);
    expect(policy.viewContract(actor({ teamIds: ["sales"] }), facts).ok).toBe(true);
    expect(policy.editContract(actor({ role: "manager", managedTeamIds: ["sales"] }), facts).ok).toBe(true);
    expect(policy.editContract(actor({ role: "admin" }), facts).ok).toBe(true);
    expect(policy.viewContract(actor({ role: "manager", managedTeamIds: ["support"] }), facts).ok).toBe(false);
    expect(policy.viewContract(actor(), { salespersonId: null, teamId: null }).ok).toBe(false);
  });

  it("lets managers, admins and sales team members create contracts", () => {
    expect(policy.createContract(actor({ teamIds: ["sales"] }), ["sales"]).ok).toBe(true);
    expect(policy.createContract(actor({ role: "manager" }), ["sales"]).ok).toBe(true);
    expect(policy.createContract(actor({ teamIds: ["support"] }), ["sales"]).ok).toBe(false);
  });
});
