// Lead and opportunity rules (Odoo's crm.lead, notes §1.1): references, normalised contact data for
// duplicate detection, stages and probability. Merge rules live in merge.ts; the quick form in lead-quick-form.ts.

export type LeadType = "lead" | "opportunity";
export type LeadStageKind = "open" | "won" | "lost";

/** Odoo's stars: 0 low, 1 medium, 2 high, 3 very high. */
export const LEAD_PRIORITY_LABELS = ["Low", "Medium", "High", "Very high"] as const;
export const MAX_TITLE = 300;
/** Odoo's SEARCH_RESULT_LIMIT: a duplicate search that finds more than this is too vague to show. */
export const DUPLICATE_LIMIT = 21;
/** Odoo refuses merges of more than 5 records "to prevent data loss". */
export const MAX_MERGE = 5;

/** LEAD-0042 while a lead, OPP-0042 once an opportunity: one number for the record's whole life. */
export function leadReference(lead: { number: number; type: LeadType }): string {
  return `${lead.type === "opportunity" ? "OPP" : "LEAD"}-${String(lead.number).padStart(4, "0")}`;
}

/** Reads "LEAD-0042", "opp-42" as a lead number; a bare number is not a reference. */
export function parseLeadReference(text: string): number | undefined {
  const m = /^(?:lead|opp)-0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * Public webmail domains: the same domain there says nothing about being the same customer
 * (Odoo keeps such a list too, in `mail.mail_common_domains`).
 */
export const WEBMAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.es", "ymail.com", "hotmail.com", "hotmail.co.uk",
  "hotmail.fr", "hotmail.es", "outlook.com", "outlook.es", "live.com", "live.fr", "msn.com", "aol.com", "icloud.com", "me.com",
  "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.com", "yandex.ru",
  "mail.ru", "qq.com", "163.com", "126.com", "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "orange.fr", "free.fr",
  "laposte.net", "wanadoo.fr", "libero.it", "t-online.de", "btinternet.com", "comcast.net", "verizon.net", "att.net",
]);

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** "Jane Roe <Jane@Globex.com>" or " jane@globex.com " → "jane@globex.com"; undefined when there is no valid address. */
export function normalizeEmail(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const inAngles = /<([^>]+)>/.exec(raw);
  const email = (inAngles ? inAngles[1]! : raw).trim().toLowerCase();
  return EMAIL.test(email) ? email : undefined;
}

/** The domain of a normalised email, unless it is a public webmail domain. */
export function companyDomain(email: string | undefined): string | undefined {
  const domain = email?.split("@")[1];
  return domain && !WEBMAIL_DOMAINS.has(domain) ? domain : undefined;
}

/**
 * Phone numbers compared by their digits (a leading + kept): "+34 600-12 34 56" and "+34600123456" match.
 * Fewer than 6 digits is not a phone number worth matching on.
 */
export function sanitizePhone(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/\D/g, "");
  if (digits.length < 6) return undefined;
  return raw.trim().startsWith("+") ? `+${digits}` : digits;
}

/** The columns duplicate detection reads, computed from what was typed. */
export function matchKeys(contact: { email?: string | null; phone?: string | null }): { emailNormalized: string | null; emailDomain: string | null; phoneSanitized: string | null } {
  const emailNormalized = normalizeEmail(contact.email) ?? null;
  return { emailNormalized, emailDomain: companyDomain(emailNormalized ?? undefined) ?? null, phoneSanitized: sanitizePhone(contact.phone) ?? null };
}

/** Why another record counts as a duplicate (shown on the card next to its link). */
export type DuplicateReason = "email" | "domain" | "phone" | "partner";

export interface MatchableLead {
  id: string;
  emailNormalized: string | null;
  emailDomain: string | null;
  phoneSanitized: string | null;
  partnerId: string | null;
}

/** The strongest reason `other` duplicates `lead` (same email, then partner, then phone, then domain), if any. */
export function duplicateReason(lead: MatchableLead, other: MatchableLead): DuplicateReason | undefined {
  if (lead.id === other.id) return undefined;
  if (lead.emailNormalized && lead.emailNormalized === other.emailNormalized) return "email";
  if (lead.partnerId && lead.partnerId === other.partnerId) return "partner";
  if (lead.phoneSanitized && lead.phoneSanitized === other.phoneSanitized) return "phone";
  if (lead.emailDomain && lead.emailDomain === other.emailDomain) return "domain";
  return undefined;
}

export const DUPLICATE_REASON_LABELS: Record<DuplicateReason, string> = {
  email: "same email",
  partner: "same customer",
  phone: "same phone",
  domain: "same email domain",
};


export interface PipelineStage {
  id: string;
  teamId: string | null;
  name: string;
  sequence: number;
  kind: LeadStageKind;
  probability: number;
}

/** A team's own pipeline stages if it has any, else the shared ones; in sequence order. */
export function pipelineStagesFor<S extends { teamId: string | null; sequence: number }>(stages: S[], teamId: string | null): S[] {
  const own = teamId ? stages.filter((s) => s.teamId === teamId) : [];
  return (own.length ? own : stages.filter((s) => s.teamId === null)).sort((a, b) => a.sequence - b.sequence);
}

/** Where a new lead or a converted opportunity starts: the first open stage. */
export function firstOpenStage<S extends PipelineStage>(stages: S[]): S | undefined {
  return stages.find((s) => s.kind === "open");
}

/**
 * Odoo's `action_set_won`: the first won stage after the current one, else the last won stage at or before it.
 */
export function wonStageFrom<S extends PipelineStage>(stages: S[], current: { sequence: number }): S | undefined {
  const won = stages.filter((s) => s.kind === "won");
  return won.find((s) => s.sequence > current.sequence) ?? won.filter((s) => s.sequence <= current.sequence).at(-1) ?? won[0];
}

export function lostStageOf<S extends PipelineStage>(stages: S[]): S | undefined {
  return stages.find((s) => s.kind === "lost");
}

/** Weighted (prorated) revenue, as Odoo's prorated_revenue: expected × probability / 100. */
export function weightedRevenue(expected: number, probability: number): number {
  return Math.round(expected * probability) / 100;
}
