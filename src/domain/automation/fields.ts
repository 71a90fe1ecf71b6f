// The fields a rule may name, per record type: for conditions, triggers, date offsets, placeholders and "set".
// A record's snapshot (src/handlers/automation/records.ts) fills exactly these keys.
import type { RecordModel, RecordType } from "./definition.js";
import { modelOf } from "./definition.js";

export type FieldKind = "text" | "number" | "bool" | "date" | "enum" | "user" | "tags";

export interface FieldSpec {
  kind: FieldKind;
  /** The allowed values of an enum field. */
  values?: readonly string[];
  /** May a "set" action change it (and what a value means there: a user's email, a team or stage name…). */
  settable?: boolean;
  /** One line for the help and the form. */
  help?: string;
}

/** Dates are ISO strings in a snapshot; users are their email (lower case); tags are string arrays. */
export type FieldValue = string | number | boolean | string[] | null;

const PRIORITIES = ["low", "medium", "high", "urgent"] as const;

/** Fields of the related partner, team and responsible person, on every record type that has them. */
const RELATED: Record<string, FieldSpec> = {
  "partner.name": { kind: "text" },
  "partner.email": { kind: "text" },
  "partner.categories": { kind: "tags", help: "The partner's categories (GOLD, Reseller…)" },
  "partner.customer": { kind: "bool" },
  "partner.supplier": { kind: "bool" },
  "team.name": { kind: "text" },
  "team.kind": { kind: "enum", values: ["sales", "support", "engineering", "purchasing"] },
  "responsible.email": { kind: "text" },
  "responsible.name": { kind: "text" },
  "responsible.role": { kind: "enum", values: ["admin", "manager", "agent"] },
};

const COMMON: Record<string, FieldSpec> = {
  ref: { kind: "text", help: "CASE-0042, CLM-0042, LEAD-0042/OPP-0042, CALL-0042, MTG-0042, MRG-0042, CTR-0042" },
  title: { kind: "text" },
  responsible: { kind: "user", help: "The responsible person's email" },
  team: { kind: "text", help: "The team's name" },
  partner: { kind: "text", help: "The customer's (or supplier's) name" },
  created: { kind: "date" },
  updated: { kind: "date" },
};

export const FIELDS: Record<RecordModel, Record<string, FieldSpec>> = {
  case: {
    ...COMMON,
    responsible: { kind: "user", settable: true, help: "The assignee's email" },
    team: { kind: "text", settable: true },
    priority: { kind: "enum", values: PRIORITIES, settable: true },
    stage: { kind: "text", settable: true, help: "The stage's name (of the case's team)" },
    "stage-kind": { kind: "enum", values: ["open", "waiting", "done", "cancelled"] },
    type: { kind: "text", help: "The case type's name" },
    channel: { kind: "text", help: "The channel's code: email, phone, web, chat… (/crm channels)" },
    campaign: { kind: "text", help: "The campaign's name, if any" },
    origin: { kind: "text", help: "The channel's code, as channel (kept for rules written before channels were records)" },
    internal: { kind: "bool" },
    billable: { kind: "bool" },
    level: { kind: "number" },
    closed: { kind: "date" },
    "first-response-due": { kind: "date" },
    "resolution-due": { kind: "date" },
    "planned-close": { kind: "date" },
    escalated: { kind: "date" },
  },
  claim: {
    ...COMMON,
    responsible: { kind: "user", settable: true },
    team: { kind: "text", settable: true },
    kind: { kind: "enum", values: ["customer", "supplier"] },
    state: { kind: "enum", values: ["new", "in_progress", "settled", "rejected"], settable: true },
    priority: { kind: "enum", values: PRIORITIES, settable: true },
    category: { kind: "text" },
    "source-document": { kind: "text" },
    deadline: { kind: "date" },
    closed: { kind: "date" },
  },
  lead: {
    ...COMMON,
    responsible: { kind: "user", settable: true, help: "The salesperson's email" },
    team: { kind: "text", settable: true },
    type: { kind: "enum", values: ["lead", "opportunity"] },
    stage: { kind: "text", settable: true, help: "The pipeline stage's name" },
    "stage-kind": { kind: "enum", values: ["open", "won", "lost"] },
    priority: { kind: "number", settable: true, help: "0 low, 1 medium, 2 high, 3 very high" },
    tags: { kind: "tags", settable: true, help: "Set adds the given tags" },
    channel: { kind: "text", help: "The channel's code: direct, email, phone, web, referral… (/crm channels)" },
    campaign: { kind: "text", help: "The campaign's name, if any" },
    "expected-revenue": { kind: "number" },
    probability: { kind: "number" },
    email: { kind: "text" },
    country: { kind: "text" },
    "next-action": { kind: "date" },
    "expected-close": { kind: "date" },
    converted: { kind: "date" },
    won: { kind: "date" },
    lost: { kind: "date" },
  },
  call: {
    ...COMMON,
    direction: { kind: "enum", values: ["inbound", "outbound"] },
    state: { kind: "enum", values: ["planned", "held", "cancelled"] },
    kind: { kind: "enum", values: ["call", "voicemail"] },
    duration: { kind: "number", help: "Minutes" },
    "call-at": { kind: "date", help: "When the call was held, or is due" },
  },
  meeting: {
    ...COMMON,
    responsible: { kind: "user", help: "The organizer's email" },
    status: { kind: "enum", values: ["confirmed", "cancelled"] },
    start: { kind: "date", help: "The first occurrence's start" },
    "next-start": { kind: "date", help: "The next occurrence's start (a single meeting's start): a time rule on it fires before every occurrence" },
    end: { kind: "date" },
    location: { kind: "text" },
    recurring: { kind: "bool" },
  },
  "merge-request": {
    ...COMMON,
    responsible: { kind: "user", help: "The requester's email" },
    state: { kind: "enum", values: ["pending", "approved", "rejected", "cancelled"] },
    reason: { kind: "text" },
    "decided-by": { kind: "user" },
  },
  contract: {
    ...COMMON,
    responsible: { kind: "user", help: "The salesperson's email" },
    start: { kind: "date", help: "The first day (00:00 UTC)" },
    end: { kind: "date", help: "The last day (00:00 UTC); empty when the contract has no end" },
    billing: { kind: "enum", values: ["fixed_price", "time_and_materials", "prepaid_hours"] },
    state: { kind: "enum", values: ["draft", "open", "closed", "cancelled"] },
    prepaid: { kind: "number", help: "Prepaid hours" },
    used: { kind: "number", help: "Billable hours logged on the contract's cases" },
    "used-percent": { kind: "number", help: "Percent of the prepaid hours used" },
  },
  /** A partner rule's record is the partner: its own fields stand where other records have partner.*; no team. */
  partner: {
    ref: { kind: "text", help: "The partner's name (partners have no number)" },
    title: { kind: "text", help: "The partner's name" },
    name: { kind: "text" },
    kind: { kind: "enum", values: ["company", "person"] },
    email: { kind: "text" },
    phone: { kind: "text" },
    country: { kind: "text" },
    industry: { kind: "text" },
    customer: { kind: "bool" },
    supplier: { kind: "bool" },
    responsible: { kind: "user", settable: true, help: "The salesperson's email" },
    categories: { kind: "tags", help: "The partner's categories (GOLD, Reseller…); joining or leaving one is a change" },
    parent: { kind: "text", help: "A person's company (its name)" },
    created: { kind: "date" },
    updated: { kind: "date", help: "The partner's own last change (joining or leaving a category does not move it)" },
  },
};

/** Every field a rule on `type` may name, including the related partner/team/responsible fields (a partner: responsible only). */
export function fieldsOf(type: RecordType): Record<string, FieldSpec> {
  if (type === "partner") return { ...FIELDS.partner, ...relatedOnly("responsible.") };
  return { ...FIELDS[modelOf(type)], ...RELATED };
}

function relatedOnly(prefix: string): Record<string, FieldSpec> {
  return Object.fromEntries(Object.entries(RELATED).filter(([key]) => key.startsWith(prefix)));
}

/** The word placeholders use for the record itself: {{case.ref}}, {{lead.title}}, {{merge-request.reason}}. */
export function placeholderPrefix(type: RecordType): string {
  return type;
}

/**
 * A record as rules see it: the catalog's fields (plain values) and what actions need to reach people.
 * Built by src/handlers/automation/records.ts; the same shape before and after a change.
 */
export interface RecordSnapshot {
  type: RecordModel;
  id: string;
  ref: string;
  fields: Record<string, FieldValue>;
  teamId: string | null;
  responsibleId: string | null;
  /** The related partner; a partner's own id when the record is a partner. */
  partnerId: string | null;
  /** Where a customer email goes (the contact's or partner's email, or a lead's own email); null when none. */
  customerEmail: string | null;
  /** Users following the record (case and claim watchers; the organizer's colleagues for meetings: none). */
  watcherUserIds: string[];
  /** Outside addresses following the record. */
  watcherEmails: string[];
  /** Meetings: colleagues invited who have not declined. */
  attendeeUserIds: string[];
  createdAt: string;
  updatedAt: string;
}
