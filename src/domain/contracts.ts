// Customer contracts (OpenERP's analytic account used as a contract): references, form checks, renewal, prepaid
// usage warnings and the weekly expiration digest. Dates are calendar days stored at 00:00 UTC; the end day is the
// contract's last day, so it has ended once the following day has begun.
import { fromLocalInput, toLocalInput } from "./time.js";

export const CONTRACT_BILLINGS = ["fixed_price", "time_and_materials", "prepaid_hours"] as const;
export type ContractBilling = (typeof CONTRACT_BILLINGS)[number];
export type ContractState = "draft" | "open" | "closed" | "cancelled";

export const BILLING_LABELS: Record<ContractBilling, string> = {
  fixed_price: "Fixed price",
  time_and_materials: "Time and materials",
  prepaid_hours: "Prepaid hours",
};

const DAY_MS = 24 * 3600_000;

export function contractReference(number: number): string {
  return `CTR-${String(number).padStart(4, "0")}`;
}

/** Reads "CTR-0042" or "ctr-42" as a contract number; a bare number is not a reference (it could be a name). */
export function parseContractReference(text: string): number | undefined {
  const m = /^ctr-?0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** "2026-12-31" → that day at 00:00 UTC; undefined when it is no real day. */
export function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return undefined;
  const at = new Date(`${text.trim()}T00:00:00.000Z`);
  return Number.isNaN(at.getTime()) || !at.toISOString().startsWith(text.trim()) ? undefined : at;
}

export const dayText = (at: Date): string => at.toISOString().slice(0, 10);
export const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * DAY_MS);

/** The form's values as typed (text), before checking. */
export interface ContractDraftInput {
  name?: string;
  start?: string;
  end?: string;
  billing?: string;
  unitPrice?: string;
  prepaidHours?: string;
}

export interface ContractTerms {
  name: string;
  startsAt: Date;
  endsAt: Date | null;
  billing: ContractBilling;
  unitPrice: number | null;
  prepaidUnits: number | null;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** A price or a number of hours as typed ("1,200.50"): the number, nothing when empty, "bad" when it is not one. */
export function readAmount(text: string | undefined): number | undefined | "bad" {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text.trim().replace(/,/g, ""));
  return Number.isFinite(n) ? n : "bad";
}

/** The terms of a contract form, or an error per field a person can act on. */
export function checkContractTerms(input: ContractDraftInput): Checked<ContractTerms> {
  const errors: Record<string, string> = {};
  const name = input.name?.trim() ?? "";
  if (!name) errors.name = "Give the contract a name.";
  else if (name.length > 200) errors.name = "Keep the name under 200 characters.";
  const startsAt = input.start ? parseDay(input.start) : undefined;
  if (!startsAt) errors.start = "Give the first day as YYYY-MM-DD, e.g. 2026-01-01.";
  const endsAt = input.end ? parseDay(input.end) : null;
  if (endsAt === undefined) errors.end = "Write the last day as YYYY-MM-DD, or leave it empty for no end.";
  else if (endsAt && startsAt && endsAt < startsAt) errors.end = "The contract cannot end before it starts.";
  const billing = CONTRACT_BILLINGS.find((b) => b === input.billing);
  if (!billing) errors.billing = "Choose fixed price, time and materials or prepaid hours.";
  const price = readAmount(input.unitPrice);
  if (price === "bad") errors.unitPrice = "Write the price as a number, e.g. 95 or 1200.50.";
  else if (price !== undefined && price < 0) errors.unitPrice = "The price cannot be negative.";
  else if (price !== undefined && price >= 1e12) errors.unitPrice = "That price is too large.";
  const hours = readAmount(input.prepaidHours);
  if (hours === "bad") errors.prepaidHours = "Write the hours as a number, e.g. 40.";
  else if (hours !== undefined && billing !== "prepaid_hours") errors.prepaidHours = "Prepaid hours go only with prepaid-hours billing; leave this empty or change the billing.";
  else if (billing === "prepaid_hours" && (hours === undefined || hours <= 0)) errors.prepaidHours = "Say how many hours are prepaid (more than 0).";
  else if (hours !== undefined && hours > 100_000) errors.prepaidHours = "That is more hours than a contract can hold.";
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { name, startsAt: startsAt!, endsAt: endsAt ?? null, billing: billing!, unitPrice: price === undefined ? null : (price as number), prepaidUnits: hours === undefined ? null : (hours as number) },
  };
}

/** Open (and draft) contracts can change; closed and cancelled ones are history. */
export const isLive = (c: { state: ContractState }): boolean => c.state === "open" || c.state === "draft";

export function closeDecision(c: { state: ContractState }): { ok: true } | { ok: false; reason: string } {
  return isLive(c) ? { ok: true } : { ok: false, reason: `This contract is already ${c.state}.` };
}

export interface RenewableContract {
  name: string;
  state: ContractState;
  endsAt: Date | null;
  hasRenewal: boolean;
  partnerId: string;
  salespersonId: string | null;
  teamId: string | null;
  billing: ContractBilling;
  unitPrice: number | null;
  prepaidUnits: number | null;
}

/** The new contract: the old one's terms, from the day after its last day. */
export interface Renewal extends Omit<RenewableContract, "state" | "endsAt" | "hasRenewal"> {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The next contract: same customer, salesperson, team, billing and prepaid hours, starting the day after the old
 * one's last day, ending on `newEnd` at `price` (the old price when none is given).
 */
export function planRenewal(old: RenewableContract, newEnd: Date, price: number | null | undefined): Checked<Renewal> {
  if (!isLive(old)) return { ok: false, errors: { end: `This contract is ${old.state}; only an open contract can be renewed.` } };
  if (old.hasRenewal) return { ok: false, errors: { end: "This contract was already renewed." } };
  if (!old.endsAt) return { ok: false, errors: { end: "This contract has no end date, so there is nothing to renew: set one with Edit first." } };
  const startsAt = addDays(old.endsAt, 1);
  if (newEnd < startsAt) return { ok: false, errors: { end: `The renewal starts on ${dayText(startsAt)}; its last day cannot be before that.` } };
  if (price !== undefined && price !== null && price < 0) return { ok: false, errors: { unitPrice: "The price cannot be negative." } };
  const { name, partnerId, salespersonId, teamId, billing, prepaidUnits } = old;
  return { ok: true, value: { name, partnerId, salespersonId, teamId, billing, prepaidUnits, unitPrice: price ?? old.unitPrice, startsAt, endsAt: newEnd } };
}

export const USAGE_WARNINGS = ["80", "100"] as const;
export type UsageWarning = (typeof USAGE_WARNINGS)[number];

/** Percent of prepaid hours used (rounded down), or null when nothing is prepaid. */
export function percentUsed(c: { prepaidUnits: number | null; unitsUsed: number }): number | null {
  if (!c.prepaidUnits || c.prepaidUnits <= 0) return null;
  return Math.floor((c.unitsUsed / c.prepaidUnits) * 100 + 1e-9);
}

/** The prepaid-usage warnings reached and not sent yet (80 %, then 100 %), each once per contract. */
export function warningsDue(c: { billing: ContractBilling; prepaidUnits: number | null; unitsUsed: number; usageWarned: string[] }): UsageWarning[] {
  const percent = c.billing === "prepaid_hours" ? percentUsed(c) : null;
  if (percent === null) return [];
  return USAGE_WARNINGS.filter((w) => percent >= Number(w) && !c.usageWarned.includes(w));
}

export interface DigestContract {
  state: ContractState;
  endsAt: Date | null;
  hasRenewal: boolean;
}

export interface DigestParts<C> {
  /** Ended in the last 7 days. */
  justExpired: C[];
  /** Ended earlier, still open and not renewed (OpenERP's "expired and still not processed"). */
  stillOpen: C[];
  /** Ending within 30 days. */
  expiringSoon: C[];
}

export const JUST_EXPIRED_DAYS = 7;
export const EXPIRING_DAYS = 30;

/**
 * OpenERP's weekly "contract expiration reminder" in three parts. A contract ends when its last day is over
 * (endsAt + 1 day): just expired when that is in (now - 7 days, now], still open when earlier, expiring soon when it
 * is in (now, now + 30 days]. Only live, unrenewed contracts count: a renewed or closed one was handled.
 */
export function digestParts<C extends DigestContract>(contracts: C[], now: Date): DigestParts<C> {
  const parts: DigestParts<C> = { justExpired: [], stillOpen: [], expiringSoon: [] };
  for (const c of contracts) {
    if (!isLive(c) || c.hasRenewal || !c.endsAt) continue;
    const ended = addDays(c.endsAt, 1).getTime();
    if (ended <= now.getTime() - JUST_EXPIRED_DAYS * DAY_MS) parts.stillOpen.push(c);
    else if (ended <= now.getTime()) parts.justExpired.push(c);
    else if (ended <= now.getTime() + EXPIRING_DAYS * DAY_MS) parts.expiringSoon.push(c);
  }
  const byEnd = (a: C, b: C) => a.endsAt!.getTime() - b.endsAt!.getTime();
  return { justExpired: parts.justExpired.sort(byEnd), stillOpen: parts.stillOpen.sort(byEnd), expiringSoon: parts.expiringSoon.sort(byEnd) };
}

export const isEmptyDigest = (p: DigestParts<unknown>): boolean => !p.justExpired.length && !p.stillOpen.length && !p.expiringSoon.length;

/** The ISO week of an instant (UTC), "2026-W01"; weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Each reader's digest is due on Monday at 08:00 in the reader's own time zone (docs/contracts.md). */
export const DIGEST_LOCAL_HOUR = 8;

/** The reader's local calendar day at `at`, as a UTC midnight (for weekday and ISO week arithmetic). */
function localDay(at: Date, timeZone: string): Date {
  return new Date(`${toLocalInput(at, timeZone).slice(0, 10)}T00:00:00Z`);
}

/** Monday 08:00 of the reader's local week containing `at` (DST-correct: the instant of that local time). */
export function localDigestMoment(at: Date, timeZone: string): Date {
  const day = localDay(at, timeZone);
  const monday = addDays(day, -((day.getUTCDay() || 7) - 1));
  return fromLocalInput(`${monday.toISOString().slice(0, 10)}T${String(DIGEST_LOCAL_HOUR).padStart(2, "0")}:00`, timeZone)!;
}

/** The ISO week of the reader's local day at `at`: the digest's "once a week" is per local week. */
export function localIsoWeek(at: Date, timeZone: string): string {
  return isoWeek(localDay(at, timeZone));
}

/** The digest job runs at the start of every hour (UTC): the first hour boundary strictly after `at`. */
export function nextDigestRun(at: Date): Date {
  return new Date((Math.floor(at.getTime() / 3_600_000) + 1) * 3_600_000);
}
