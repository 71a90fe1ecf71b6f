// The SQL behind automation snapshots: one query per record model, the record with its partner (and categories),
// team, responsible person, watchers and attendees. Prisma's `include` sends one query per relation; the engine
// reads a snapshot before and after every change inside the user's transaction, so each round trip counts.
// Related rows are correlated scalar subqueries by primary key (a JSON object when several columns are needed) rather
// than LEFT JOINs: the planner has no join order to search, and each relation arrives in the shape the mapping uses.
import type { Db } from "../../db/client.js";
import { Prisma } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";

export type Reader = Db | Tx;

/** The related partner (with its categories, sorted by name as the database sorts; null when none). */
export interface PartnerJson {
  name: string;
  email: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  categories: string[] | null;
}
export interface TeamJson {
  name: string;
  kind: string;
}
export interface PersonJson {
  email: string;
  name: string;
  role: string;
}

/** The related partner, team and responsible person; null when the record has none. */
export interface RelatedRow {
  partner: PartnerJson | null;
  team: TeamJson | null;
  person: PersonJson | null;
}

interface BaseRow extends RelatedRow {
  id: string;
  number: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Watchers (case, claim): their user ids and outside emails, each null when there are none. */
interface WatcherColumns {
  watchers: { userIds: string[] | null; emails: string[] | null } | null;
}

export interface CaseRow extends BaseRow, WatcherColumns {
  subject: string;
  priority: string;
  stage: { name: string; kind: string };
  typeName: string | null;
  channel: string | null;
  campaign: string | null;
  isInternal: boolean;
  isBillable: boolean;
  level: number;
  closedAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  plannedCloseAt: Date | null;
  escalatedAt: Date | null;
  teamId: string;
  assigneeId: string | null;
  partnerId: string | null;
  contactEmail: string | null;
}

export interface ClaimRow extends BaseRow, WatcherColumns {
  subject: string;
  kind: string;
  state: string;
  priority: string;
  categoryName: string | null;
  sourceDocument: string | null;
  deadline: Date | null;
  closedAt: Date | null;
  teamId: string | null;
  responsibleId: string | null;
  partnerId: string | null;
}

export interface LeadRow extends BaseRow {
  type: "lead" | "opportunity";
  title: string;
  stage: { name: string; kind: string };
  priority: number;
  tags: string[];
  channel: string | null;
  campaign: string | null;
  /** numeric(14,2): a Decimal (or its text), never a float from the database. */
  expectedRevenue: { toString(): string } | null;
  probability: number;
  email: string | null;
  country: string | null;
  nextActionAt: Date | null;
  expectedCloseAt: Date | null;
  convertedAt: Date | null;
  wonAt: Date | null;
  lostAt: Date | null;
  teamId: string | null;
  salespersonId: string | null;
  partnerId: string | null;
}

export interface CallRow extends BaseRow {
  subject: string;
  direction: string;
  state: string;
  kind: string;
  durationMinutes: number | null;
  callAt: Date;
  ownerId: string;
  partnerId: string | null;
}

export interface MeetingRow extends BaseRow {
  title: string;
  status: string;
  startAt: Date;
  endAt: Date;
  location: string | null;
  isRecurring: boolean;
  rrule: string | null;
  timeZone: string;
  isAllDay: boolean;
  /** The series' moved or cancelled occurrences (JSON: ISO strings), null when none. */
  exceptions: { originalStart: string; isCancelled: boolean; startAt: string | null; endAt: string | null }[] | null;
  organizerId: string;
  partnerId: string | null;
  /** Users invited who have not declined; null when none. */
  attendeeUserIds: string[] | null;
}

export interface MergeRequestRow extends BaseRow {
  reason: string;
  state: string;
  decidedByEmail: string | null;
  teamId: string | null;
  requesterId: string;
}

export interface PartnerRow extends RelatedRow {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  kind: string;
  name: string;
  email: string | null;
  phone: string | null;
  country: string | null;
  industry: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  salespersonId: string | null;
  /** A person's company. */
  parentName: string | null;
  /** Sorted by name; null when none. */
  categories: string[] | null;
}

const NONE = Prisma.sql`NULL::json`;
const column = (name: string) => Prisma.raw(`r."${name}"`);

/**
 * The related partner (p), team (t) and person (u) as JSON objects, by the record's foreign key columns (constants of
 * this module, never input). In JSON, enums are plain strings.
 */
function related(fk: { partner?: string; team?: string; person: string }): Prisma.Sql {
  const partner = fk.partner
    ? Prisma.sql`(SELECT json_build_object('name', p.name, 'email', p.email, 'isCustomer', p."isCustomer", 'isSupplier', p."isSupplier",
        'categories', (SELECT array_agg(k.name ORDER BY k.name) FROM "PartnerCategoryMember" m JOIN "PartnerCategory" k ON k.id = m."categoryId"
                       WHERE m."partnerId" = p.id))
        FROM "Partner" p WHERE p.id = ${column(fk.partner)})`
    : NONE;
  const team = fk.team ? Prisma.sql`(SELECT json_build_object('name', t.name, 'kind', t.kind) FROM "Team" t WHERE t.id = ${column(fk.team)})` : NONE;
  const person = Prisma.sql`(SELECT json_build_object('email', u.email, 'name', u.name, 'role', u.role) FROM "User" u WHERE u.id = ${column(fk.person)})`;
  return Prisma.sql`${partner} AS partner, ${team} AS team, ${person} AS person`;
}

/** Watcher user ids and outside emails of a case or claim, from its watcher table. */
function watchers(table: "CaseWatcher" | "ClaimWatcher", fk: "caseId" | "claimId"): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('userIds', array_agg(w."userId") FILTER (WHERE w."userId" IS NOT NULL),
      'emails', array_agg(w.email) FILTER (WHERE w.email IS NOT NULL))
    FROM ${Prisma.raw(`"${table}"`)} w WHERE w.${Prisma.raw(`"${fk}"`)} = r.id) AS watchers`;
}

const BASE = Prisma.sql`r.id::text AS id, r.number, r."createdAt", r."updatedAt"`;

/** A lead's or case's channel (its code) and campaign (its name). */
const SOURCE = Prisma.sql`(SELECT ch.code FROM "Channel" ch WHERE ch.id = r."channelId") AS channel,
      (SELECT cp.name FROM "Campaign" cp WHERE cp.id = r."campaignId") AS campaign`;

export function caseRows(db: Reader, ids: string[]): Promise<CaseRow[]> {
  return db.$queryRaw<CaseRow[]>`
    SELECT ${BASE}, r.subject, r.priority::text AS priority,
      (SELECT json_build_object('name', s.name, 'kind', s.kind) FROM "CaseStage" s WHERE s.id = r."stageId") AS stage,
      (SELECT ty.name FROM "CaseType" ty WHERE ty.id = r."typeId") AS "typeName",
      ${SOURCE}, r."isInternal", r."isBillable", r.level, r."closedAt", r."firstResponseDueAt", r."resolutionDueAt",
      r."plannedCloseAt", r."escalatedAt", r."teamId"::text AS "teamId", r."assigneeId"::text AS "assigneeId",
      r."partnerId"::text AS "partnerId", (SELECT c.email FROM "Partner" c WHERE c.id = r."contactId") AS "contactEmail",
      ${watchers("CaseWatcher", "caseId")}, ${related({ partner: "partnerId", team: "teamId", person: "assigneeId" })}
    FROM "Case" r WHERE r.id = ANY(${ids}::uuid[])`;
}

export function claimRows(db: Reader, ids: string[]): Promise<ClaimRow[]> {
  return db.$queryRaw<ClaimRow[]>`
    SELECT ${BASE}, r.subject, r.kind::text AS kind, r.state::text AS state, r.priority::text AS priority,
      (SELECT cat.name FROM "ClaimCategory" cat WHERE cat.id = r."categoryId") AS "categoryName",
      r."sourceDocument", r.deadline, r."closedAt", r."teamId"::text AS "teamId", r."responsibleId"::text AS "responsibleId",
      r."partnerId"::text AS "partnerId",
      ${watchers("ClaimWatcher", "claimId")}, ${related({ partner: "partnerId", team: "teamId", person: "responsibleId" })}
    FROM "Claim" r WHERE r.id = ANY(${ids}::uuid[])`;
}

/** Leads merged into another are archived: rules act on the survivor only. */
export function leadRows(db: Reader, ids: string[]): Promise<LeadRow[]> {
  return db.$queryRaw<LeadRow[]>`
    SELECT ${BASE}, r.type::text AS type, r.title,
      (SELECT json_build_object('name', s.name, 'kind', s.kind) FROM "LeadStage" s WHERE s.id = r."stageId") AS stage,
      r.priority, r.tags, ${SOURCE}, r."expectedRevenue", r.probability, r.email, r.country,
      r."nextActionAt", r."expectedCloseAt", r."convertedAt", r."wonAt", r."lostAt", r."teamId"::text AS "teamId",
      r."salespersonId"::text AS "salespersonId", r."partnerId"::text AS "partnerId",
      ${related({ partner: "partnerId", team: "teamId", person: "salespersonId" })}
    FROM "Lead" r WHERE r.id = ANY(${ids}::uuid[]) AND r."mergedIntoId" IS NULL`;
}

export function callRows(db: Reader, ids: string[]): Promise<CallRow[]> {
  return db.$queryRaw<CallRow[]>`
    SELECT ${BASE}, r.subject, r.direction::text AS direction, r.state::text AS state, r.kind::text AS kind, r."durationMinutes",
      r."callAt", r."ownerId"::text AS "ownerId", r."partnerId"::text AS "partnerId",
      ${related({ partner: "partnerId", person: "ownerId" })}
    FROM "PhoneCall" r WHERE r.id = ANY(${ids}::uuid[])`;
}

export function meetingRows(db: Reader, ids: string[]): Promise<MeetingRow[]> {
  return db.$queryRaw<MeetingRow[]>`
    SELECT ${BASE}, r.title, r.status::text AS status, r."startAt", r."endAt", r.location, r.rrule IS NOT NULL AS "isRecurring",
      r.rrule, r."timeZone", r."isAllDay",
      (SELECT json_agg(json_build_object('originalStart', x."originalStart", 'isCancelled', x."isCancelled", 'startAt', x."startAt", 'endAt', x."endAt"))
        FROM "MeetingException" x WHERE x."meetingId" = r.id) AS exceptions,
      r."organizerId"::text AS "organizerId", r."partnerId"::text AS "partnerId",
      (SELECT array_agg(a."userId"::text) FROM "MeetingAttendee" a
        WHERE a."meetingId" = r.id AND a."userId" IS NOT NULL AND a.response <> 'declined') AS "attendeeUserIds",
      ${related({ partner: "partnerId", person: "organizerId" })}
    FROM "Meeting" r WHERE r.id = ANY(${ids}::uuid[])`;
}

export function mergeRequestRows(db: Reader, ids: string[]): Promise<MergeRequestRow[]> {
  return db.$queryRaw<MergeRequestRow[]>`
    SELECT ${BASE}, r.reason, r.state::text AS state, (SELECT d.email FROM "User" d WHERE d.id = r."decidedById") AS "decidedByEmail",
      r."teamId"::text AS "teamId", r."requesterId"::text AS "requesterId",
      ${related({ team: "teamId", person: "requesterId" })}
    FROM "MergeRequest" r WHERE r.id = ANY(${ids}::uuid[])`;
}

/** The partner itself (no number, no team): its categories, its company and its salesperson as the responsible person. */
export function partnerRows(db: Reader, ids: string[]): Promise<PartnerRow[]> {
  return db.$queryRaw<PartnerRow[]>`
    SELECT r.id::text AS id, r."createdAt", r."updatedAt", r.kind::text AS kind, r.name, r.email, r.phone, r.country, r.industry,
      r."isCustomer", r."isSupplier", r."salespersonId"::text AS "salespersonId",
      (SELECT pp.name FROM "Partner" pp WHERE pp.id = r."parentId") AS "parentName",
      (SELECT array_agg(k.name ORDER BY k.name) FROM "PartnerCategoryMember" m JOIN "PartnerCategory" k ON k.id = m."categoryId"
        WHERE m."partnerId" = r.id) AS categories,
      ${related({ person: "salespersonId" })}
    FROM "Partner" r WHERE r.id = ANY(${ids}::uuid[])`;
}
