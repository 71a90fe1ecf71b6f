// The facts criteria read, for every partner (or a few) in one query: grouped joins, not a query per partner.
import { Prisma } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { PartnerFacts } from "../../domain/segments/criteria.js";

const DAY_MS = 86_400_000;

export interface FactsNeeded {
  /** Windows of days for won revenue (revenueWindows of the criteria). */
  windows: number[];
  openCases: boolean;
  lastContact: boolean;
}

type Reader = Pick<Tx, "$queryRaw">;

interface Row {
  id: string;
  country: string | null;
  industry: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  won: number[] | null;
  openCases: number | null;
  lastContactAt: Date | null;
}

/**
 * Last contact is the latest of: a held call, a confirmed meeting's first start already past, a case, claim or
 * lead created for the partner, and an email received or sent on one of its cases, claims or leads (automatic mail,
 * refused and bounced mail are stored as ignored, rejected or bounce, and do not count).
 */
function lastContactJoin(only: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`LEFT JOIN (
    SELECT "partnerId", max(at) AS at FROM (
      SELECT "partnerId", "callAt" AS at FROM "PhoneCall" WHERE state = 'held' AND "callAt" <= ${now} ${only}
      UNION ALL SELECT "partnerId", "startAt" FROM "Meeting" WHERE status = 'confirmed' AND "startAt" <= ${now} ${only}
      UNION ALL SELECT "partnerId", "createdAt" FROM "Case" WHERE true ${only}
      UNION ALL SELECT "partnerId", "createdAt" FROM "Lead" WHERE true ${only}
      UNION ALL SELECT "partnerId", "createdAt" FROM "Claim" WHERE true ${only}
      ${emailContacts("Case", "case", only, now)}
      ${emailContacts("Claim", "claim", only, now)}
      ${emailContacts("Lead", "lead", only, now)}
    ) contact WHERE "partnerId" IS NOT NULL GROUP BY "partnerId"
  ) lc ON lc."partnerId" = p.id`;
}

/** The latest email of each of the partner's records of one kind (the (recordType, recordId, createdAt) index). */
function emailContacts(table: "Case" | "Claim" | "Lead", recordType: string, only: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`UNION ALL SELECT r."partnerId", (SELECT max(m."createdAt") FROM "EmailMessage" m
        WHERE m."recordType" = ${recordType} AND m."recordId" = r.id::text AND m.status IN ('created', 'threaded', 'sent') AND m."createdAt" <= ${now})
      FROM ${Prisma.raw(`"${table}"`)} r WHERE true ${only}`;
}

function wonJoin(windows: number[], only: Prisma.Sql, now: Date): Prisma.Sql {
  const since = windows.map((d) => new Date(now.getTime() - d * DAY_MS));
  const sums = Prisma.join(since.map((s) => Prisma.sql`coalesce(sum("expectedRevenue") FILTER (WHERE "wonAt" >= ${s}), 0)::float8`));
  return Prisma.sql`LEFT JOIN (
    SELECT "partnerId", ARRAY[${sums}] AS won FROM "Lead"
    WHERE type = 'opportunity' AND "mergedIntoId" IS NULL AND "wonAt" >= ${since[since.length - 1]!} AND "wonAt" <= ${now} ${only}
    GROUP BY "partnerId"
  ) w ON w."partnerId" = p.id`;
}

/** Facts by partner id: every partner when `partnerIds` is absent. Only the joins the criteria need are made. */
export async function loadPartnerFacts(db: Reader, needed: FactsNeeded, now: Date, partnerIds?: string[]): Promise<Map<string, PartnerFacts>> {
  const only = partnerIds ? Prisma.sql`AND "partnerId" = ANY(${partnerIds}::uuid[])` : Prisma.empty;
  const windows = [...needed.windows].sort((a, b) => a - b);
  const rows = await db.$queryRaw<Row[]>`
    SELECT p.id, p.country, p.industry, p."isCustomer", p."isSupplier",
      ${windows.length ? Prisma.sql`w.won` : Prisma.sql`NULL::float8[]`} AS won,
      ${needed.openCases ? Prisma.sql`oc.n` : Prisma.sql`NULL::int`} AS "openCases",
      ${needed.lastContact ? Prisma.sql`lc.at` : Prisma.sql`NULL::timestamptz`} AS "lastContactAt"
    FROM "Partner" p
    ${windows.length ? wonJoin(windows, only, now) : Prisma.empty}
    ${needed.openCases ? Prisma.sql`LEFT JOIN (SELECT "partnerId", count(*)::int AS n FROM "Case" WHERE "isOpen" ${only} GROUP BY "partnerId") oc ON oc."partnerId" = p.id` : Prisma.empty}
    ${needed.lastContact ? lastContactJoin(only, now) : Prisma.empty}
    ${partnerIds ? Prisma.sql`WHERE p.id = ANY(${partnerIds}::uuid[])` : Prisma.empty}`;
  const facts = new Map<string, PartnerFacts>();
  for (const r of rows) {
    const wonRevenue: Record<number, number> = {};
    windows.forEach((d, i) => (wonRevenue[d] = Number(r.won?.[i] ?? 0)));
    facts.set(r.id, {
      country: r.country,
      industry: r.industry,
      isCustomer: r.isCustomer,
      isSupplier: r.isSupplier,
      wonRevenue,
      openCases: r.openCases ?? 0,
      lastContactAt: r.lastContactAt ? new Date(r.lastContactAt) : null,
    });
  }
  return facts;
}
