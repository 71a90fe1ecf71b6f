// The one-line lead capture: `/crm lead Jane Roe, Globex, jane@globex.com: wants 40 seats #saas $40k !high`.
import type { Parsed } from "./calls.js";
import { LEAD_PRIORITY_LABELS, MAX_TITLE, normalizeEmail, sanitizePhone } from "./leads.js";

export interface QuickLead {
  title: string;
  contactName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  tags: string[];
  expectedRevenue?: number;
  /** 0 low … 3 very high (Odoo's stars). */
  priority?: number;
}

export const QUICK_LEAD_EXAMPLE = "/crm lead Jane Roe, Globex, jane@globex.com: wants 40 seats #saas $40k !high";
/** The largest amount the expected revenue column (decimal 14,2) holds, in whole units. */
export const MAX_REVENUE = 999_999_999_999;
const MAX_NAME = 200;
const MAX_TAGS = 10;
const MAX_TAG = 50;

const PRIORITY_WORDS: Record<string, number> = { low: 0, medium: 1, high: 2, veryhigh: 3, "very-high": 3 };

/**
 * Reads "[contact, company, email, phone:] title [#tag…] [$amount] [!priority]".
 * Before the colon the first plain part is the contact, the second the company; an email is recognised by "@",
 * a phone by being mostly digits, in any position. Without a colon the whole text is the title.
 */
export function parseQuickLead(text: string): Parsed<QuickLead> {
  let rest = ` ${text.trim()} `;

  const bangs = [...rest.matchAll(/\s!([\p{L}-]+)(?=\s)/gu)];
  if (bangs.length > 1) return { ok: false, reason: "Give at most one priority (!low, !medium, !high or !veryhigh)." };
  let priority: number | undefined;
  if (bangs[0]) {
    priority = PRIORITY_WORDS[bangs[0][1]!.toLowerCase()];
    if (priority === undefined) return { ok: false, reason: `Unknown priority “!${bangs[0][1]}”: use !low, !medium, !high or !veryhigh.` };
    rest = rest.replace(bangs[0][0], " ");
  }

  const amounts = [...rest.matchAll(/\s[$€£]([\d.,]+)([km]?)(?=[\s.,;]*\s)/giu)];
  if (amounts.length > 1) return { ok: false, reason: "Give at most one expected revenue ($40k or $12,500)." };
  let expectedRevenue: number | undefined;
  if (amounts[0]) {
    expectedRevenue = readAmount(amounts[0][1]!, amounts[0][2]!);
    if (expectedRevenue === undefined) return { ok: false, reason: `“${amounts[0][0].trim()}” is not an amount: write $40k, $1.5m or $12,500.` };
    if (expectedRevenue > MAX_REVENUE) return { ok: false, reason: "That expected revenue is too large." };
    rest = rest.replace(amounts[0][0], " ");
  }

  const tags: string[] = [];
  for (const m of rest.matchAll(/\s#(\p{L}[\p{L}\p{N}_-]*)(?=\s)/gu)) {
    const tag = m[1]!.slice(0, MAX_TAG);
    if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags.push(tag);
  }
  if (tags.length > MAX_TAGS) return { ok: false, reason: `Give at most ${MAX_TAGS} tags.` };
  rest = rest.replace(/\s#\p{L}[\p{L}\p{N}_-]*(?=\s)/gu, " ").replace(/\s{2,}/g, " ").trim();

  // A colon inside a link ("https://") or a time ("10:30") does not end the contact part.
  const colon = /:(?!\/\/)(?!\d)/.exec(rest);
  const contactPart = colon ? rest.slice(0, colon.index) : "";
  const title = (colon ? rest.slice(colon.index + 1) : rest).trim();
  const contact = colon ? readContact(contactPart) : { ok: true as const, value: {} };
  if (!contact.ok) return contact;
  if (!title) return { ok: false, reason: `Say what the lead is about${colon ? " after the colon" : ""}, e.g. \`${QUICK_LEAD_EXAMPLE}\`.` };
  if (title.length > MAX_TITLE) return { ok: false, reason: `The title is longer than ${MAX_TITLE} characters; use the form (/crm lead) and put the details in the notes.` };
  return { ok: true, value: { title, ...contact.value, tags, expectedRevenue, priority } };
}

type Contact = Pick<QuickLead, "contactName" | "companyName" | "email" | "phone">;

function readContact(part: string): Parsed<Contact> {
  const parts = part.split(",").map((p) => p.trim()).filter(Boolean);
  if (!parts.length) return { ok: false, reason: `The contact is missing before the colon, e.g. \`${QUICK_LEAD_EXAMPLE}\`.` };
  const out: Contact = {};
  const names: string[] = [];
  for (const p of parts) {
    if (p.includes("@")) {
      if (out.email) return { ok: false, reason: "Give one email address before the colon." };
      const email = normalizeEmail(p);
      if (!email || p.length > 254) return { ok: false, reason: `That email address is not valid: ${p}` };
      out.email = p;
    } else if (isPhone(p)) {
      if (out.phone) return { ok: false, reason: "Give one phone number before the colon." };
      out.phone = p;
    } else names.push(p);
  }
  if (names.length > 2) return { ok: false, reason: `Before the colon write the contact name, the company, an email and a phone, separated by commas; “${names[2]}” is none of those.` };
  if (names.some((n) => n.length > MAX_NAME)) return { ok: false, reason: `A contact or company name is longer than ${MAX_NAME} characters.` };
  [out.contactName, out.companyName] = names;
  if (out.contactName === undefined) delete out.contactName;
  if (out.companyName === undefined) delete out.companyName;
  return { ok: true, value: out };
}

/** Digits with the usual separators, enough of them to be matched as a phone (see sanitizePhone). */
function isPhone(text: string): boolean {
  return /^\+?[\d\s().\-/]+$/.test(text) && sanitizePhone(text) !== undefined;
}

/** "40" "12,500" "12,500.50" "1.5" with an optional k/m multiplier; undefined when it is not a number. */
function readAmount(digits: string, unit: string): number | undefined {
  const cleaned = digits.replace(/[.,]+$/, "");
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(cleaned) ? cleaned.replace(/,/g, "") : cleaned;
  if (!/^\d+(\.\d+)?$/.test(plain)) return undefined;
  const factor = unit.toLowerCase() === "k" ? 1_000 : unit.toLowerCase() === "m" ? 1_000_000 : 1;
  return Math.round(Number(plain) * factor * 100) / 100;
}

/** For help and answers: "!high" → "High". */
export function priorityLabel(priority: number): string {
  return LEAD_PRIORITY_LABELS[priority] ?? "Low";
}
