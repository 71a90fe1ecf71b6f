// Reading records as automation rules see them: one snapshot per record, exactly the catalog's fields (fields.ts).
import type { RecordModel } from "../../domain/automation/definition.js";
import type { FieldValue, RecordSnapshot } from "../../domain/automation/fields.js";
import { callReference } from "../../domain/calls.js";
import { caseReference } from "../../domain/cases.js";
import { claimReference } from "../../domain/claims.js";
import { leadReference } from "../../domain/leads.js";
import { meetingReference } from "../../domain/meetings.js";
import { mergeRequestReference } from "../../domain/merge.js";
import { nextOccurrenceAfter } from "../../domain/recurrence.js";
import { contractIdsPage, loadContractSnapshots } from "./contract-snapshot.js";
import {
  callRows,
  caseRows,
  claimRows,
  leadRows,
  meetingRows,
  mergeRequestRows,
  partnerRows,
  type CallRow,
  type CaseRow,
  type ClaimRow,
  type LeadRow,
  type MeetingRow,
  type MergeRequestRow,
  type PartnerRow,
  type Reader,
  type RelatedRow,
} from "./snapshot-sql.js";

export type { Reader } from "./snapshot-sql.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids a query may take: anything else would be a database error on a uuid column, and names no record anyway. */
export const validIds = (ids: string[]) => [...new Set(ids.filter((id) => UUID.test(id)))];

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const lower = (s: string | null) => (s === null ? null : s.toLowerCase());

/** The related partner.*, team.* and responsible.* fields; all null when the record has none. */
function relatedFields({ partner: p, team: t, person: r }: RelatedRow): Record<string, FieldValue> {
  return {
    "partner.name": p?.name ?? null,
    "partner.email": p?.email?.toLowerCase() ?? null,
    "partner.categories": p ? (p.categories ?? []) : null,
    "partner.customer": p ? p.isCustomer : null,
    "partner.supplier": p ? p.isSupplier : null,
    "team.name": t?.name ?? null,
    "team.kind": t?.kind ?? null,
    "responsible.email": r ? r.email.toLowerCase() : null,
    "responsible.name": r?.name ?? null,
    "responsible.role": r?.role ?? null,
  };
}

interface Parts {
  ref: string;
  title: string;
  own: Record<string, FieldValue>;
  teamId: string | null;
  responsibleId: string | null;
  partnerId: string | null;
  customerEmail: string | null;
  watchers?: { userIds: string[] | null; emails: string[] | null } | null;
  attendeeUserIds?: string[] | null;
}

type BaseRow = RelatedRow & { id: string; createdAt: Date; updatedAt: Date };

function snapshotOf(type: RecordModel, row: BaseRow, p: Parts): RecordSnapshot {
  const createdAt = row.createdAt.toISOString();
  const updatedAt = row.updatedAt.toISOString();
  return {
    type,
    id: row.id,
    ref: p.ref,
    fields: {
      ref: p.ref,
      title: p.title,
      responsible: row.person ? row.person.email.toLowerCase() : null,
      team: row.team?.name ?? null,
      partner: row.partner?.name ?? null,
      created: createdAt,
      updated: updatedAt,
      ...p.own,
      ...relatedFields(row),
    },
    teamId: p.teamId,
    responsibleId: p.responsibleId,
    partnerId: p.partnerId,
    customerEmail: p.customerEmail?.trim().toLowerCase() || null,
    watcherUserIds: p.watchers?.userIds ?? [],
    watcherEmails: (p.watchers?.emails ?? []).map((e) => e.toLowerCase()),
    attendeeUserIds: p.attendeeUserIds ?? [],
    createdAt,
    updatedAt,
  };
}

const caseSnapshot = (c: CaseRow) =>
  snapshotOf("case", c, {
    ref: caseReference(c.number),
    title: c.subject,
    own: {
      priority: c.priority,
      stage: c.stage.name,
      "stage-kind": c.stage.kind,
      type: c.typeName,
      channel: c.channel,
      origin: c.channel,
      campaign: c.campaign,
      internal: c.isInternal,
      billable: c.isBillable,
      level: c.level,
      closed: iso(c.closedAt),
      "first-response-due": iso(c.firstResponseDueAt),
      "resolution-due": iso(c.resolutionDueAt),
      "planned-close": iso(c.plannedCloseAt),
      escalated: iso(c.escalatedAt),
    },
    teamId: c.teamId,
    responsibleId: c.assigneeId,
    partnerId: c.partnerId,
    customerEmail: c.contactEmail || c.partner?.email || null,
    watchers: c.watchers,
  });

const claimSnapshot = (c: ClaimRow) =>
  snapshotOf("claim", c, {
    ref: claimReference(c.number),
    title: c.subject,
    own: {
      kind: c.kind,
      state: c.state,
      priority: c.priority,
      category: c.categoryName,
      "source-document": c.sourceDocument,
      deadline: iso(c.deadline),
      closed: iso(c.closedAt),
    },
    teamId: c.teamId,
    responsibleId: c.responsibleId,
    partnerId: c.partnerId,
    customerEmail: c.partner?.email ?? null,
    watchers: c.watchers,
  });

const leadSnapshot = (l: LeadRow) =>
  snapshotOf("lead", l, {
    ref: leadReference(l),
    title: l.title,
    own: {
      type: l.type,
      stage: l.stage.name,
      "stage-kind": l.stage.kind,
      priority: l.priority,
      tags: [...l.tags],
      channel: l.channel,
      campaign: l.campaign,
      "expected-revenue": l.expectedRevenue === null ? null : Number(l.expectedRevenue.toString()),
      probability: l.probability,
      email: lower(l.email),
      country: l.country,
      "next-action": iso(l.nextActionAt),
      "expected-close": iso(l.expectedCloseAt),
      converted: iso(l.convertedAt),
      won: iso(l.wonAt),
      lost: iso(l.lostAt),
    },
    teamId: l.teamId,
    responsibleId: l.salespersonId,
    partnerId: l.partnerId,
    customerEmail: l.email || l.partner?.email || null,
  });

const callSnapshot = (c: CallRow) =>
  snapshotOf("call", c, {
    ref: callReference(c.number),
    title: c.subject,
    own: { direction: c.direction, state: c.state, kind: c.kind, duration: c.durationMinutes, "call-at": iso(c.callAt) },
    teamId: null,
    responsibleId: c.ownerId,
    partnerId: c.partnerId,
    customerEmail: null,
  });

/**
 * `next-start` is the start of the series' next occurrence after `at` (moves and cancellations applied; a single
 * meeting's own start), so a time rule on it fires before every occurrence (rule-moments.ts plans the next one).
 */
function nextStart(m: MeetingRow, at: Date): string | null {
  if (!m.rrule) return iso(m.startAt);
  const exceptions = (m.exceptions ?? []).map((x) => ({ originalStart: new Date(x.originalStart), isCancelled: x.isCancelled, startAt: x.startAt ? new Date(x.startAt) : null, endAt: x.endAt ? new Date(x.endAt) : null }));
  const next = nextOccurrenceAfter({ startAt: m.startAt, endAt: m.endAt, timeZone: m.timeZone, isAllDay: m.isAllDay, rrule: m.rrule }, exceptions, at);
  return next ? next.startAt.toISOString() : null;
}

const meetingSnapshot = (m: MeetingRow, at: Date) =>
  snapshotOf("meeting", m, {
    ref: meetingReference(m.number),
    title: m.title,
    own: { status: m.status, start: iso(m.startAt), "next-start": nextStart(m, at), end: iso(m.endAt), location: m.location, recurring: m.isRecurring },
    teamId: null,
    responsibleId: m.organizerId,
    partnerId: m.partnerId,
    customerEmail: null,
    attendeeUserIds: m.attendeeUserIds,
  });

const mergeRequestSnapshot = (r: MergeRequestRow) =>
  snapshotOf("merge-request", r, {
    ref: mergeRequestReference(r.number),
    title: r.reason,
    own: { state: r.state, reason: r.reason, "decided-by": lower(r.decidedByEmail) },
    teamId: r.teamId,
    responsibleId: r.requesterId,
    partnerId: null,
    customerEmail: null,
  });

/** The partner is the record: its own fields (no partner.* or team.*), its salesperson as the responsible person. */
function partnerSnapshot(p: PartnerRow): RecordSnapshot {
  const createdAt = p.createdAt.toISOString();
  const updatedAt = p.updatedAt.toISOString();
  const person = p.person;
  return {
    type: "partner",
    id: p.id,
    ref: p.name,
    fields: {
      ref: p.name,
      title: p.name,
      name: p.name,
      kind: p.kind,
      email: lower(p.email),
      phone: p.phone,
      country: p.country,
      industry: p.industry,
      customer: p.isCustomer,
      supplier: p.isSupplier,
      responsible: person ? person.email.toLowerCase() : null,
      categories: p.categories ?? [],
      parent: p.parentName,
      created: createdAt,
      updated: updatedAt,
      "responsible.email": person ? person.email.toLowerCase() : null,
      "responsible.name": person?.name ?? null,
      "responsible.role": person?.role ?? null,
    },
    teamId: null,
    responsibleId: p.salespersonId,
    // Its own id: a follow-up call from a partner rule is a call with the partner.
    partnerId: p.id,
    customerEmail: p.email?.trim().toLowerCase() || null,
    watcherUserIds: [],
    watcherEmails: [],
    attendeeUserIds: [],
    createdAt,
    updatedAt,
  };
}

/** One query per model. Contracts are read by their own module (contract-snapshot.ts), wired here. */
/** `at`: the time a snapshot's time-relative fields are read at (a meeting's next start); now, unless a moment is re-checked. */
const LOADERS: Record<RecordModel, (db: Reader, ids: string[], at: Date) => Promise<RecordSnapshot[]>> = {
  case: async (db, ids) => (await caseRows(db, ids)).map(caseSnapshot),
  claim: async (db, ids) => (await claimRows(db, ids)).map(claimSnapshot),
  lead: async (db, ids) => (await leadRows(db, ids)).map(leadSnapshot),
  call: async (db, ids) => (await callRows(db, ids)).map(callSnapshot),
  meeting: async (db, ids, at) => (await meetingRows(db, ids)).map((m) => meetingSnapshot(m, at)),
  "merge-request": async (db, ids) => (await mergeRequestRows(db, ids)).map(mergeRequestSnapshot),
  contract: loadContractSnapshots,
  partner: async (db, ids) => (await partnerRows(db, ids)).map(partnerSnapshot),
};

/** Snapshots of the records that still exist, in the order of `ids` (one query per call). */
export async function loadSnapshots(db: Reader, model: RecordModel, ids: string[], at: Date = new Date()): Promise<RecordSnapshot[]> {
  const wanted = validIds(ids);
  if (!wanted.length) return [];
  const found = new Map((await LOADERS[model](db, wanted, at)).map((s) => [s.id, s]));
  return wanted.flatMap((id) => found.get(id) ?? []);
}

/** The record as rules see it; null when it is gone (or a lead merged into another). */
export async function loadSnapshot(db: Reader, model: RecordModel, id: string, at: Date = new Date()): Promise<RecordSnapshot | null> {
  return (await loadSnapshots(db, model, [id], at))[0] ?? null;
}
/** A page of record ids in id order, after `afterId` (for leads, merged-away records are left out). */
export async function recordIdsPage(db: Reader, model: RecordModel, afterId: string | null, limit: number): Promise<string[]> {
  const args = { where: afterId ? { id: { gt: afterId } } : {}, orderBy: { id: "asc" as const }, take: limit, select: { id: true } };
  let rows: { id: string }[];
  switch (model) {
    case "case":
      rows = await db.case.findMany(args);
      break;
    case "claim":
      rows = await db.claim.findMany(args);
      break;
    case "lead":
      rows = await db.lead.findMany({ ...args, where: { ...args.where, mergedIntoId: null } });
      break;
    case "call":
      rows = await db.phoneCall.findMany(args);
      break;
    case "meeting":
      rows = await db.meeting.findMany(args);
      break;
    case "merge-request":
      rows = await db.mergeRequest.findMany(args);
      break;
    case "contract":
      return contractIdsPage(db, afterId, limit);
    case "partner":
      rows = await db.partner.findMany(args);
      break;
  }
  return rows.map((r) => r.id);
}
