// Reading records as automation rules see them: one snapshot per record, exactly the catalog's fields (fields.ts).
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { RecordModel } from "../../domain/automation/definition.js";
import type { FieldValue, RecordSnapshot } from "../../domain/automation/fields.js";
import { callReference } from "../../domain/calls.js";
import { caseReference } from "../../domain/cases.js";
import { claimReference } from "../../domain/claims.js";
import { leadReference } from "../../domain/leads.js";
import { meetingReference } from "../../domain/meetings.js";
import { mergeRequestReference } from "../../domain/merge.js";

export type Reader = Db | Tx;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids a query may take: anything else would be a database error on a uuid column, and names no record anyway. */
export const validIds = (ids: string[]) => [...new Set(ids.filter((id) => UUID.test(id)))];

const person = { select: { email: true, name: true, role: true } } as const;
const partner = { select: { name: true, email: true, isCustomer: true, isSupplier: true, categories: { select: { name: true }, orderBy: { name: "asc" } } } } as const;
const team = { select: { name: true, kind: true } } as const;

type Person = { email: string; name: string; role: string } | null;
type Partner = { name: string; email: string | null; isCustomer: boolean; isSupplier: boolean; categories: { name: string }[] } | null;
type Team = { name: string; kind: string } | null;
type Watcher = { userId: string | null; email: string | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const emailOf = (p: { email: string } | null) => (p ? p.email.toLowerCase() : null);

/** The related partner.*, team.* and responsible.* fields; all null when the record has none. */
function relatedFields(p: Partner, t: Team, r: Person): Record<string, FieldValue> {
  return {
    "partner.name": p?.name ?? null,
    "partner.email": p?.email?.toLowerCase() ?? null,
    "partner.categories": p ? p.categories.map((c) => c.name) : null,
    "partner.customer": p ? p.isCustomer : null,
    "partner.supplier": p ? p.isSupplier : null,
    "team.name": t?.name ?? null,
    "team.kind": t?.kind ?? null,
    "responsible.email": emailOf(r),
    "responsible.name": r?.name ?? null,
    "responsible.role": r?.role ?? null,
  };
}

interface Parts {
  ref: string;
  title: string;
  own: Record<string, FieldValue>;
  partner: Partner;
  team: Team;
  responsible: Person;
  teamId: string | null;
  responsibleId: string | null;
  partnerId: string | null;
  customerEmail: string | null;
  watchers?: Watcher[];
  attendeeUserIds?: string[];
}

function snapshotOf(type: RecordModel, row: { id: string; createdAt: Date; updatedAt: Date }, p: Parts): RecordSnapshot {
  const createdAt = row.createdAt.toISOString();
  const updatedAt = row.updatedAt.toISOString();
  const watchers = p.watchers ?? [];
  return {
    type,
    id: row.id,
    ref: p.ref,
    fields: {
      ref: p.ref,
      title: p.title,
      responsible: emailOf(p.responsible),
      team: p.team?.name ?? null,
      partner: p.partner?.name ?? null,
      created: createdAt,
      updated: updatedAt,
      ...p.own,
      ...relatedFields(p.partner, p.team, p.responsible),
    },
    teamId: p.teamId,
    responsibleId: p.responsibleId,
    partnerId: p.partnerId,
    customerEmail: p.customerEmail?.trim().toLowerCase() || null,
    watcherUserIds: watchers.flatMap((w) => (w.userId ? [w.userId] : [])),
    watcherEmails: watchers.flatMap((w) => (w.email ? [w.email.toLowerCase()] : [])),
    attendeeUserIds: p.attendeeUserIds ?? [],
    createdAt,
    updatedAt,
  };
}

const watchers = { select: { userId: true, email: true } } as const;

async function caseSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const rows = await db.case.findMany({
    where: { id: { in: ids } },
    include: { team, partner, watchers, assignee: person, stage: { select: { name: true, kind: true } }, type: { select: { name: true } }, contact: { select: { email: true } } },
  });
  return rows.map((c) =>
    snapshotOf("case", c, {
      ref: caseReference(c.number),
      title: c.subject,
      own: {
        priority: c.priority,
        stage: c.stage.name,
        "stage-kind": c.stage.kind,
        type: c.type?.name ?? null,
        origin: c.origin,
        internal: c.isInternal,
        billable: c.isBillable,
        level: c.level,
        closed: iso(c.closedAt),
        "first-response-due": iso(c.firstResponseDueAt),
        "resolution-due": iso(c.resolutionDueAt),
        "planned-close": iso(c.plannedCloseAt),
        escalated: iso(c.escalatedAt),
      },
      partner: c.partner,
      team: c.team,
      responsible: c.assignee,
      teamId: c.teamId,
      responsibleId: c.assigneeId,
      partnerId: c.partnerId,
      customerEmail: c.contact?.email || c.partner?.email || null,
      watchers: c.watchers,
    }),
  );
}

async function claimSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const rows = await db.claim.findMany({ where: { id: { in: ids } }, include: { team, partner, watchers, responsible: person, category: { select: { name: true } } } });
  return rows.map((c) =>
    snapshotOf("claim", c, {
      ref: claimReference(c.number),
      title: c.subject,
      own: {
        kind: c.kind,
        state: c.state,
        priority: c.priority,
        category: c.category?.name ?? null,
        "source-document": c.sourceDocument,
        deadline: iso(c.deadline),
        closed: iso(c.closedAt),
      },
      partner: c.partner,
      team: c.team,
      responsible: c.responsible,
      teamId: c.teamId,
      responsibleId: c.responsibleId,
      partnerId: c.partnerId,
      customerEmail: c.partner?.email ?? null,
      watchers: c.watchers,
    }),
  );
}

async function leadSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  // A merged-away record is archived: rules act on the survivor only.
  const rows = await db.lead.findMany({ where: { id: { in: ids }, mergedIntoId: null }, include: { team, partner, salesperson: person, stage: { select: { name: true, kind: true } } } });
  return rows.map((l) =>
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
        "expected-revenue": l.expectedRevenue === null ? null : Number(l.expectedRevenue),
        probability: l.probability,
        email: l.email?.toLowerCase() ?? null,
        country: l.country,
        "next-action": iso(l.nextActionAt),
        "expected-close": iso(l.expectedCloseAt),
        converted: iso(l.convertedAt),
        won: iso(l.wonAt),
        lost: iso(l.lostAt),
      },
      partner: l.partner,
      team: l.team,
      responsible: l.salesperson,
      teamId: l.teamId,
      responsibleId: l.salespersonId,
      partnerId: l.partnerId,
      customerEmail: l.email || l.partner?.email || null,
    }),
  );
}

async function callSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const rows = await db.phoneCall.findMany({ where: { id: { in: ids } }, include: { partner, owner: person } });
  return rows.map((c) =>
    snapshotOf("call", c, {
      ref: callReference(c.number),
      title: c.subject,
      own: { direction: c.direction, state: c.state, kind: c.kind, duration: c.durationMinutes, "call-at": iso(c.callAt) },
      partner: c.partner,
      team: null,
      responsible: c.owner,
      teamId: null,
      responsibleId: c.ownerId,
      partnerId: c.partnerId,
      customerEmail: null,
    }),
  );
}

async function meetingSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const rows = await db.meeting.findMany({ where: { id: { in: ids } }, include: { partner, organizer: person, attendees: { select: { userId: true, response: true } } } });
  return rows.map((m) =>
    snapshotOf("meeting", m, {
      ref: meetingReference(m.number),
      title: m.title,
      own: { status: m.status, start: iso(m.startAt), end: iso(m.endAt), location: m.location, recurring: m.rrule !== null },
      partner: m.partner,
      team: null,
      responsible: m.organizer,
      teamId: null,
      responsibleId: m.organizerId,
      partnerId: m.partnerId,
      customerEmail: null,
      attendeeUserIds: m.attendees.flatMap((a) => (a.userId && a.response !== "declined" ? [a.userId] : [])),
    }),
  );
}

async function mergeRequestSnapshots(db: Reader, ids: string[]): Promise<RecordSnapshot[]> {
  const rows = await db.mergeRequest.findMany({ where: { id: { in: ids } }, include: { team, requester: person, decidedBy: { select: { email: true } } } });
  return rows.map((r) =>
    snapshotOf("merge-request", r, {
      ref: mergeRequestReference(r.number),
      title: r.reason,
      own: { state: r.state, reason: r.reason, "decided-by": emailOf(r.decidedBy) },
      partner: null,
      team: r.team,
      responsible: r.requester,
      teamId: r.teamId,
      responsibleId: r.requesterId,
      partnerId: null,
      customerEmail: null,
    }),
  );
}

const LOADERS: Record<RecordModel, (db: Reader, ids: string[]) => Promise<RecordSnapshot[]>> = {
  case: caseSnapshots,
  claim: claimSnapshots,
  lead: leadSnapshots,
  call: callSnapshots,
  meeting: meetingSnapshots,
  "merge-request": mergeRequestSnapshots,
};

/** Snapshots of the records that still exist, in the order of `ids` (one query per call). */
export async function loadSnapshots(db: Reader, model: RecordModel, ids: string[]): Promise<RecordSnapshot[]> {
  const wanted = validIds(ids);
  if (!wanted.length) return [];
  const found = new Map((await LOADERS[model](db, wanted)).map((s) => [s.id, s]));
  return wanted.flatMap((id) => found.get(id) ?? []);
}

/** The record as rules see it; null when it is gone (or a lead merged into another). */
export async function loadSnapshot(db: Reader, model: RecordModel, id: string): Promise<RecordSnapshot | null> {
  return (await loadSnapshots(db, model, [id]))[0] ?? null;
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
  }
  return rows.map((r) => r.id);
}
