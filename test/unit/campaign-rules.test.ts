// Channel codes from names, campaign days and status: src/domain/campaigns.ts.
import { describe, expect, it } from "vitest";
import { campaignStatus, channelCode, checkCampaignDates } from "../../src/domain/campaigns.js";

const day = (text: string) => new Date(`${text}T00:00:00.000Z`);

describe("channel codes", () => {
  it("are the name in lower case a-z0-9 with single dashes, accents dropped", () => {
    expect(channelCode("Trade fair")).toBe("trade-fair");
    expect(channelCode("  Messe / Ausstellung 2027! ")).toBe("messe-ausstellung-2027");
    expect(channelCode("Événement")).toBe("evenement");
    expect(channelCode("!!!")).toBe("");
  });
});

describe("campaign days", () => {
  it("reads YYYY-MM-DD as the UTC day, either may be empty", () => {
    expect(checkCampaignDates({ startsOn: "2027-01-01", endsOn: "2027-03-31" })).toEqual({ ok: true, startsOn: day("2027-01-01"), endsOn: day("2027-03-31") });
    expect(checkCampaignDates({})).toEqual({ ok: true, startsOn: null, endsOn: null });
    expect(checkCampaignDates({ startsOn: "2027-01-01", endsOn: "2027-01-01" })).toMatchObject({ ok: true });
  });

  it("refuses a last day before the first on endsOn, and days that do not exist on their field", () => {
    expect(checkCampaignDates({ startsOn: "2027-03-01", endsOn: "2027-02-28" })).toEqual({ ok: false, errors: { endsOn: "The last day (2027-02-28) is before the first day (2027-03-01)." } });
    expect(checkCampaignDates({ startsOn: "2027-02-30", endsOn: "31/03/2027" })).toEqual({
      ok: false,
      errors: { startsOn: "“2027-02-30” is not a day: write it as YYYY-MM-DD, e.g. 2027-01-01.", endsOn: "“31/03/2027” is not a day: write it as YYYY-MM-DD, e.g. 2027-03-31." },
    });
  });

  it("a campaign runs from its first day through its last (UTC), unless closed", () => {
    const spring = { isActive: true, startsOn: day("2027-01-01"), endsOn: day("2027-03-31") };
    expect(campaignStatus(spring, new Date("2026-12-31T23:59:59Z"))).toBe("upcoming");
    expect(campaignStatus(spring, new Date("2027-01-01T00:00:00Z"))).toBe("running");
    expect(campaignStatus(spring, new Date("2027-03-31T23:59:59Z"))).toBe("running");
    expect(campaignStatus(spring, new Date("2027-04-01T00:00:00Z"))).toBe("ended");
    expect(campaignStatus({ ...spring, isActive: false }, new Date("2027-02-01T00:00:00Z"))).toBe("closed");
    expect(campaignStatus({ isActive: true, startsOn: null, endsOn: null }, new Date())).toBe("running");
  });
});
