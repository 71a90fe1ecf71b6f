// Reading partner categories: by name (any case), the list with member counts, one category's first members.
import { criteriaSchema, type Criterion } from "../../domain/segments/criteria.js";
import type { Tx } from "../../db/outbox.js";
import { isUuid } from "../button-value.js";

type Reader = Pick<Tx, "partnerCategory" | "partnerCategoryMember">;

export interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  criteria: Criterion | null;
  /** Stored criteria that no longer parse: shown as such, evaluated as none. */
  hasUnreadableCriteria: boolean;
  evaluatedAt: Date | null;
  updatedAt: Date;
}

const select = { id: true, name: true, description: true, criteria: true, evaluatedAt: true, updatedAt: true } as const;

function toRow(r: { id: string; name: string; description: string | null; criteria: unknown; evaluatedAt: Date | null; updatedAt: Date }): CategoryRow {
  const parsed = r.criteria === null || r.criteria === undefined ? undefined : criteriaSchema.safeParse(r.criteria);
  return { ...r, criteria: parsed?.success ? parsed.data : null, hasUnreadableCriteria: parsed !== undefined && !parsed.success };
}

export async function findCategoryByName(db: Reader, name: string): Promise<CategoryRow | undefined> {
  const row = await db.partnerCategory.findFirst({ where: { name: { equals: name.trim(), mode: "insensitive" } }, select });
  return row ? toRow(row) : undefined;
}

export async function findCategoryById(db: Reader, id: string): Promise<CategoryRow | undefined> {
  if (!isUuid(id)) return undefined;
  const row = await db.partnerCategory.findUnique({ where: { id }, select });
  return row ? toRow(row) : undefined;
}

export async function listCategories(db: Reader): Promise<(CategoryRow & { members: number })[]> {
  // One after the other: `db` may be a transaction, whose queries share one connection.
  const rows = await db.partnerCategory.findMany({ select, orderBy: { name: "asc" } });
  const counts = await db.partnerCategoryMember.groupBy({ by: ["categoryId"], _count: { _all: true } });
  const byId = new Map(counts.map((c) => [c.categoryId, c._count._all]));
  return rows.map((r) => ({ ...toRow(r), members: byId.get(r.id) ?? 0 }));
}

export interface MemberLine {
  partnerId: string;
  name: string;
  source: "manual" | "criteria";
  reason: string;
}

/** The first `take` members by name, and how many there are. */
export async function membersOf(db: Reader, categoryId: string, take: number): Promise<{ members: MemberLine[]; total: number }> {
  const rows = await db.partnerCategoryMember.findMany({ where: { categoryId }, orderBy: { partner: { name: "asc" } }, take, select: { partnerId: true, source: true, reason: true, partner: { select: { name: true } } } });
  const total = await db.partnerCategoryMember.count({ where: { categoryId } });
  return { members: rows.map((r) => ({ partnerId: r.partnerId, name: r.partner.name, source: r.source, reason: r.reason })), total };
}

/** A partner's categories with the reason, for the partner card. */
export async function categoriesOfPartner(db: Reader, partnerId: string): Promise<{ name: string; source: "manual" | "criteria"; reason: string }[]> {
  const rows = await db.partnerCategoryMember.findMany({ where: { partnerId }, orderBy: { category: { name: "asc" } }, select: { source: true, reason: true, category: { select: { name: true } } } });
  return rows.map((r) => ({ name: r.category.name, source: r.source, reason: r.reason }));
}

export async function categoryNames(db: Reader): Promise<string[]> {
  return (await db.partnerCategory.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 30 })).map((c) => c.name);
}
