import { describe, expect, it } from "vitest";
import type { Offset, Trigger } from "../../src/domain/automation/definition.js";
import type { RecordSnapshot } from "../../src/domain/automation/fields.js";
import { addOffset, describeOffset, momentOf } from "../../src/domain/automation/moments.js";

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const off = (amount: number, unit: Offset["unit"]): Offset => ({ amount, unit });

describe("addOffset: minutes and hours are elapsed time", () => {
  it("adds and subtracts minutes", () => {
    expect(iso(addOffset(at("2026-12-05T14:00:00Z"), off(-5, "minutes"), "UTC"))).toBe("2026-12-05T13:55:00.000Z");
  });

  it("counts hours across the Berlin spring change as real hours (02:00 local is skipped)", () => {
    // 2026-03-29 01:30 CET (00:30Z) + 2 hours = 02:30Z = 04:30 CEST
    expect(iso(addOffset(at("2026-03-29T00:30:00Z"), off(2, "hours"), "Europe/Berlin"))).toBe("2026-03-29T02:30:00.000Z");
  });
});

describe("addOffset: days and months are wall-clock in the rule's zone", () => {
  it("keeps 09:00 Berlin across the spring change (2026-03-29)", () => {
    expect(iso(addOffset(at("2026-03-28T08:00:00Z"), off(1, "days"), "Europe/Berlin"))).toBe("2026-03-29T07:00:00.000Z");
  });

  it("keeps 09:00 Berlin across the autumn change (2026-10-25)", () => {
    expect(iso(addOffset(at("2026-10-24T07:00:00Z"), off(1, "days"), "Europe/Berlin"))).toBe("2026-10-25T08:00:00.000Z");
    expect(iso(addOffset(at("2026-10-25T08:00:00Z"), off(-1, "days"), "Europe/Berlin"))).toBe("2026-10-24T07:00:00.000Z");
  });

  it("keeps 09:00 New York across its spring (2026-03-08) and autumn (2026-11-01) changes", () => {
    expect(iso(addOffset(at("2026-03-07T14:00:00Z"), off(1, "days"), "America/New_York"))).toBe("2026-03-08T13:00:00.000Z");
    expect(iso(addOffset(at("2026-10-31T13:00:00Z"), off(1, "days"), "America/New_York"))).toBe("2026-11-01T14:00:00.000Z");
  });

  it("resolves a wall time that DST skips to the later side (compatible)", () => {
    // 02:30 Berlin on 28 March + 1 day: 02:30 does not exist on 29 March, so it is 03:30 CEST (01:30Z)
    expect(iso(addOffset(at("2026-03-28T01:30:00Z"), off(1, "days"), "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
  });

  it("resolves a repeated wall time to the earlier one (compatible)", () => {
    // 02:30 Berlin on 24 October + 1 day: 02:30 happens twice on 25 October; the first is 02:30 CEST (00:30Z)
    expect(iso(addOffset(at("2026-10-24T00:30:00Z"), off(1, "days"), "Europe/Berlin"))).toBe("2026-10-25T00:30:00.000Z");
  });

  it("ends months on the month's last day: 31 Jan + 1 month", () => {
    expect(iso(addOffset(at("2026-01-31T10:00:00Z"), off(1, "months"), "UTC"))).toBe("2026-02-28T10:00:00.000Z");
    expect(iso(addOffset(at("2028-01-31T10:00:00Z"), off(1, "months"), "UTC"))).toBe("2028-02-29T10:00:00.000Z");
  });

  it("goes from 29 Feb 2028 to 29 Feb a year on (28 Feb 2029) and 31 Mar − 1 month to 28/29 Feb", () => {
    expect(iso(addOffset(at("2028-02-29T10:00:00Z"), off(12, "months"), "UTC"))).toBe("2029-02-28T10:00:00.000Z");
    expect(iso(addOffset(at("2028-02-29T10:00:00Z"), off(1, "months"), "UTC"))).toBe("2028-03-29T10:00:00.000Z");
    expect(iso(addOffset(at("2026-03-31T10:00:00Z"), off(-1, "months"), "UTC"))).toBe("2026-02-28T10:00:00.000Z");
    expect(iso(addOffset(at("2028-03-31T10:00:00Z"), off(-1, "months"), "UTC"))).toBe("2028-02-29T10:00:00.000Z");
  });

  it("counts months on the wall clock across DST: 09:00 Berlin in March is 09:00 in April", () => {
    expect(iso(addOffset(at("2026-03-15T08:00:00Z"), off(1, "months"), "Europe/Berlin"))).toBe("2026-04-15T07:00:00.000Z");
  });
});

function aMeeting(fields: RecordSnapshot["fields"] = {}): RecordSnapshot {
  return {
    type: "meeting",
    id: "m1",
    ref: "MTG-0001",
    fields: { start: "2026-12-05T14:00:00.000Z", end: null, ...fields },
    teamId: null,
    responsibleId: null,
    partnerId: null,
    customerEmail: null,
    watcherUserIds: [],
    watcherEmails: [],
    attendeeUserIds: [],
    createdAt: "2026-12-01T09:00:00.000Z",
    updatedAt: "2026-12-02T16:30:00.000Z",
  };
}

describe("momentOf: when a time trigger fires for a record", () => {
  it("time: the record's date plus the offset", () => {
    const trigger: Trigger = { kind: "time", field: "start", offset: off(-5, "minutes") };
    expect(iso(momentOf(trigger, aMeeting(), "UTC"))).toBe("2026-12-05T13:55:00.000Z");
  });

  it("time: null when the date is not set", () => {
    expect(momentOf({ kind: "time", field: "end", offset: off(1, "hours") }, aMeeting(), "UTC")).toBeNull();
    expect(momentOf({ kind: "time", field: "start", offset: off(1, "hours") }, aMeeting({ start: "" }), "UTC")).toBeNull();
    expect(momentOf({ kind: "time", field: "nowhere", offset: off(1, "hours") }, aMeeting(), "UTC")).toBeNull();
  });

  it("time: a plain date counts from its midnight in the rule's zone", () => {
    const moment = momentOf({ kind: "time", field: "start", offset: off(-30, "days") }, aMeeting({ start: "2026-12-31" }), "Europe/Berlin");
    expect(iso(moment)).toBe("2026-11-30T23:00:00.000Z");
  });

  it("after-created: creation plus the offset", () => {
    expect(iso(momentOf({ kind: "after-created", offset: off(2, "days") }, aMeeting(), "UTC"))).toBe("2026-12-03T09:00:00.000Z");
  });

  it("after-updated: the last change plus the offset", () => {
    expect(iso(momentOf({ kind: "after-updated", offset: off(3, "hours") }, aMeeting(), "UTC"))).toBe("2026-12-02T19:30:00.000Z");
  });

  it("is null for triggers that are not about time", () => {
    for (const trigger of [{ kind: "created" }, { kind: "saved" }, { kind: "field-set", field: "status", value: "cancelled" }, { kind: "email-received" }, { kind: "email-sent" }] as Trigger[]) {
      expect(momentOf(trigger, aMeeting(), "UTC")).toBeNull();
    }
  });
});

describe("describeOffset", () => {
  it.each<[Offset, string]>([
    [off(-5, "minutes"), "5 minutes before"],
    [off(30, "days"), "30 days after"],
    [off(1, "months"), "1 month after"],
    [off(-1, "hours"), "1 hour before"],
    [off(0, "minutes"), "at that moment"],
  ])("%o reads %s", (offset, words) => expect(describeOffset(offset)).toBe(words));
});
