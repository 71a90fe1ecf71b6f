// The short celebration posted when an opportunity is won: Odoo's "rainbow man" (notes §1.1), as plain rules.

const DAY_MS = 24 * 3600_000;

/** The windows the records are measured over, ending at `now`; the year starts on 1 January UTC. */
export function celebrationWindows(now: Date): { since30: Date; since7: Date; yearStart: Date } {
  return {
    since30: new Date(now.getTime() - 30 * DAY_MS),
    since7: new Date(now.getTime() - 7 * DAY_MS),
    yearStart: new Date(Date.UTC(now.getUTCFullYear(), 0, 1)),
  };
}

/**
 * What the rules read, about deals won *other than this one*: the highest expected revenue in each window
 * (null when there is none) and how many the salesperson won this year.
 */
export interface WinRecords {
  revenue: number | null;
  hasTeam: boolean;
  hasSalesperson: boolean;
  teamMax30: number | null;
  teamMax7: number | null;
  personalMax30: number | null;
  personalMax7: number | null;
  personalWonThisYear: number;
}

/**
 * Odoo's `_get_rainbowman_message` [O18 `addons/crm/models/crm_lead.py`], checked in its order: first deal of the
 * year, then team record for 30 days, team 7 days, personal 30 days, personal 7 days; the first that holds wins.
 * A record means beating every other deal in the window (a tie is not a record, as in Odoo ≥ 17's tests); a deal
 * without revenue can only be a first deal (Odoo only counts deals for it when expected_revenue is empty).
 */
export function celebrationFor(r: WinRecords): string | undefined {
  if (r.hasSalesperson && r.personalWonThisYear === 0) return "Go, go, go! Congrats for your first deal."; // Odoo: total_won == 1
  if (!r.revenue || r.revenue <= 0) return undefined;
  const beats = (max: number | null) => max === null || r.revenue! > max;
  if (r.hasTeam && beats(r.teamMax30)) return "Boom! Team record for the past 30 days."; // Odoo: max_team_30
  if (r.hasTeam && beats(r.teamMax7)) return "Yeah! Deal of the last 7 days for the team."; // Odoo: max_team_7
  if (r.hasSalesperson && beats(r.personalMax30)) return "You just beat your personal record for the past 30 days."; // Odoo: max_user_30
  if (r.hasSalesperson && beats(r.personalMax7)) return "You just beat your personal record for the past 7 days."; // Odoo: max_user_7
  return undefined;
}
