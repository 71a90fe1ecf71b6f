// Plain rules for channels and campaigns (no I/O): a channel's code from its name, a campaign's dates and status.
// Campaign dates are calendar days stored at 00:00 UTC; the end day is the campaign's last day.
import { dayText, parseDay } from "./contracts.js";

export { dayText };

export const CHANNEL_NAME_MAX = 50;

export type CampaignStatus = "running" | "upcoming" | "ended" | "closed";

/** Running or upcoming campaigns are listed first; ended and closed ones after them. */
export const isCurrent = (status: CampaignStatus): boolean => status === "running" || status === "upcoming";

export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Closed by hand wins; otherwise the dates against `today` (the UTC calendar day), the same test the forms use to offer it. */
export function campaignStatus(c: { isActive: boolean; startsOn: Date | null; endsOn: Date | null }, today: Date): CampaignStatus {
  if (!c.isActive) return "closed";
  const day = startOfUtcDay(today);
  if (c.startsOn && c.startsOn > day) return "upcoming";
  if (c.endsOn && c.endsOn < day) return "ended";
  return "running";
}

/** "Trade fair 2027" → "trade-fair-2027": lower-case a-z, 0-9 and single dashes (accents dropped); "" when nothing is left. */
export function channelCode(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, CHANNEL_NAME_MAX);
}

export type CampaignDates = { ok: true; startsOn: Date | null; endsOn: Date | null } | { ok: false; errors: { startsOn?: string; endsOn?: string } };

/** The first and last day as typed ("2027-01-01", either may be empty): real days, the last not before the first. */
export function checkCampaignDates(input: { startsOn?: string; endsOn?: string }): CampaignDates {
  const errors: { startsOn?: string; endsOn?: string } = {};
  const startsOn = input.startsOn ? parseDay(input.startsOn) : null;
  const endsOn = input.endsOn ? parseDay(input.endsOn) : null;
  if (startsOn === undefined) errors.startsOn = `“${input.startsOn}” is not a day: write it as YYYY-MM-DD, e.g. 2027-01-01.`;
  if (endsOn === undefined) errors.endsOn = `“${input.endsOn}” is not a day: write it as YYYY-MM-DD, e.g. 2027-03-31.`;
  if (startsOn && endsOn && endsOn < startsOn) errors.endsOn = `The last day (${dayText(endsOn)}) is before the first day (${dayText(startsOn)}).`;
  if (errors.startsOn || errors.endsOn) return { ok: false, errors };
  return { ok: true, startsOn: startsOn ?? null, endsOn: endsOn ?? null };
}
