// Category membership by criteria: computes every partner's facts in one query, then adds the partners that match
// (with the reason), removes criteria members that no longer match, and never touches members added by hand.
import { Prisma } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import { criteriaSchema, evaluateCriteria, neededFacts, revenueWindows, type Criterion } from "../../domain/segments/criteria.js";
import { watchPartnerCategories } from "../automation/events.js";
import type { Deps } from "../deps.js";
import { categoryMembershipChanged } from "../visits/membership.js";
import { loadPartnerFacts, type FactsNeeded } from "./partner-facts.js";

/** Changes written per transaction: each join or leave also runs the visits hook, so transactions stay short. */
const CHUNK = 500;
const REASON_MAX = 500;
const TX_OPTIONS = { maxWait: 10_000, timeout: 60_000 };

export interface EvaluationOutcome {
  category: string;
  joined: number;
  left: number;
  members: number;
}

interface StoredCategory {
  id: string;
  name: string;
  criteria: Criterion | null;
}

interface Changes {
  joins: { partnerId: string; reason: string }[];
  reasons: { partnerId: string; reason: string }[];
  leaves: string[];
}

/** Stored criteria that no longer parse (written by an older version) count as none: logged, never guessed. */
function readCriteria(deps: Pick<Deps, "logger">, category: { id: string; criteria: unknown }): Criterion | null {
  if (category.criteria === null || category.criteria === undefined) return null;
  const parsed = criteriaSchema.safeParse(category.criteria);
  if (parsed.success) return parsed.data;
  deps.logger.warn({ categoryId: category.id, problems: parsed.error.issues.map((i) => i.message) }, "category criteria unreadable; treated as none");
  return null;
}

function neededBy(criteria: (Criterion | null)[]): FactsNeeded {
  const needed: FactsNeeded = { windows: [], openCases: false, lastContact: false };
  for (const c of criteria) {
    if (!c) continue;
    needed.windows = [...new Set([...needed.windows, ...revenueWindows(c)])];
    const n = neededFacts(c);
    needed.openCases ||= n.openCases;
    needed.lastContact ||= n.lastContact;
  }
  return needed;
}

/** What must change for one category, given the facts of the partners in scope and its current criteria members. */
function changesFor(category: StoredCategory, facts: Awaited<ReturnType<typeof loadPartnerFacts>>, members: Map<string, { source: string; reason: string }>, now: Date): Changes {
  const changes: Changes = { joins: [], reasons: [], leaves: [] };
  for (const [partnerId, f] of facts) {
    const verdict = category.criteria ? evaluateCriteria(category.criteria, f, now) : undefined;
    const member = members.get(partnerId);
    const reason = verdict?.reason.slice(0, REASON_MAX) ?? "";
    if (verdict?.matches && !member) changes.joins.push({ partnerId, reason });
    else if (verdict?.matches && member?.source === "criteria" && member.reason !== reason) changes.reasons.push({ partnerId, reason });
    else if (!verdict?.matches && member?.source === "criteria") changes.leaves.push(partnerId);
  }
  return changes;
}

/** Writes the changes in the transaction; the visits hook hears only of rows really inserted or deleted. */
async function applyChanges(tx: Tx, deps: Deps, categoryId: string, changes: Changes): Promise<{ joined: number; left: number }> {
  let joined: string[] = [];
  let left: string[] = [];
  // Partner rules see a join or leave as a change of the partner's categories.
  const watch = await watchPartnerCategories(tx, deps, [...changes.joins.map((j) => j.partnerId), ...changes.leaves], null);
  if (changes.joins.length) {
    const rows = await tx.$queryRaw<{ partnerId: string }[]>`
      INSERT INTO "PartnerCategoryMember" ("partnerId", "categoryId", source, reason)
      SELECT j.pid, ${categoryId}::uuid, 'criteria'::"CategorySource", j.reason
      FROM unnest(${changes.joins.map((j) => j.partnerId)}::uuid[], ${changes.joins.map((j) => j.reason)}::text[]) AS j(pid, reason)
      JOIN "Partner" p ON p.id = j.pid
      ON CONFLICT ("partnerId", "categoryId") DO NOTHING
      RETURNING "partnerId"`;
    joined = rows.map((r) => r.partnerId);
  }
  if (changes.reasons.length) {
    await tx.$executeRaw`
      UPDATE "PartnerCategoryMember" m SET reason = r.reason
      FROM unnest(${changes.reasons.map((j) => j.partnerId)}::uuid[], ${changes.reasons.map((j) => j.reason)}::text[]) AS r(pid, reason)
      WHERE m."categoryId" = ${categoryId}::uuid AND m."partnerId" = r.pid AND m.source = 'criteria'`;
  }
  if (changes.leaves.length) {
    const rows = await tx.$queryRaw<{ partnerId: string }[]>`
      DELETE FROM "PartnerCategoryMember"
      WHERE "categoryId" = ${categoryId}::uuid AND source = 'criteria' AND "partnerId" = ANY(${changes.leaves}::uuid[])
      RETURNING "partnerId"`;
    left = rows.map((r) => r.partnerId);
  }
  for (const partnerId of joined) await categoryMembershipChanged(tx, deps, { partnerId, categoryId, joined: true });
  for (const partnerId of left) await categoryMembershipChanged(tx, deps, { partnerId, categoryId, joined: false });
  await watch.done([...joined, ...left]);
  return { joined: joined.length, left: left.length };
}

async function membersOf(db: Pick<Tx, "partnerCategoryMember">, categoryId: string, partnerIds?: string[]) {
  const rows = await db.partnerCategoryMember.findMany({ where: { categoryId, ...(partnerIds ? { partnerId: { in: partnerIds } } : {}) }, select: { partnerId: true, source: true, reason: true } });
  return new Map(rows.map((r) => [r.partnerId, { source: r.source as string, reason: r.reason }]));
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Every partner against one category's criteria (none: every criteria member leaves). Marks the category evaluated. */
export async function evaluateCategory(deps: Deps, categoryId: string): Promise<EvaluationOutcome | undefined> {
  const row = await deps.db.partnerCategory.findUnique({ where: { id: categoryId }, select: { id: true, name: true, criteria: true } });
  if (!row) return undefined;
  const category: StoredCategory = { id: row.id, name: row.name, criteria: readCriteria(deps, row) };
  const now = deps.now();
  const facts = category.criteria ? await loadPartnerFacts(deps.db, neededBy([category.criteria]), now) : await factsOfMembers(deps, categoryId, now);
  const changes = changesFor(category, facts, await membersOf(deps.db, categoryId), now);
  let joined = 0;
  let left = 0;
  const work = [...changes.joins.map((j) => ({ join: j })), ...changes.reasons.map((r) => ({ reason: r })), ...changes.leaves.map((l) => ({ leave: l }))];
  for (const part of chunks(work, CHUNK)) {
    const done = await deps.db.$transaction(
      (tx) =>
        applyChanges(tx, deps, categoryId, {
          joins: part.flatMap((w) => ("join" in w ? [w.join] : [])),
          reasons: part.flatMap((w) => ("reason" in w ? [w.reason] : [])),
          leaves: part.flatMap((w) => ("leave" in w ? [w.leave] : [])),
        }),
      TX_OPTIONS,
    );
    joined += done.joined;
    left += done.left;
  }
  await deps.db.partnerCategory.update({ where: { id: categoryId }, data: { evaluatedAt: now } });
  const members = await deps.db.partnerCategoryMember.count({ where: { categoryId } });
  return { category: category.name, joined, left, members };
}

/** Without criteria only the current members matter (they all leave unless added by hand): no facts query. */
async function factsOfMembers(deps: Deps, categoryId: string, now: Date) {
  const ids = (await deps.db.partnerCategoryMember.findMany({ where: { categoryId, source: "criteria" }, select: { partnerId: true } })).map((m) => m.partnerId);
  return ids.length ? loadPartnerFacts(deps.db, { windows: [], openCases: false, lastContact: false }, now, ids) : new Map();
}

/** The nightly pass: every category, one after the other (a failing one is logged and the rest still run). */
export async function evaluateAllCategories(deps: Deps): Promise<EvaluationOutcome[]> {
  const categories = await deps.db.partnerCategory.findMany({ select: { id: true }, orderBy: { name: "asc" } });
  const outcomes: EvaluationOutcome[] = [];
  for (const { id } of categories) {
    try {
      const outcome = await evaluateCategory(deps, id);
      if (outcome) outcomes.push(outcome);
    } catch (error) {
      deps.logger.error({ err: error, categoryId: id }, "category evaluation failed");
    }
  }
  return outcomes;
}

/** One partner against every category with criteria (or with criteria members), in the caller's transaction. */
export async function reevaluatePartner(tx: Tx, deps: Deps, partnerId: string): Promise<{ joined: number; left: number }> {
  const rows = await tx.partnerCategory.findMany({
    where: { OR: [{ criteria: { not: Prisma.AnyNull } }, { members: { some: { partnerId, source: "criteria" } } }] },
    select: { id: true, name: true, criteria: true },
  });
  if (!rows.length) return { joined: 0, left: 0 };
  const categories = rows.map((r): StoredCategory => ({ id: r.id, name: r.name, criteria: readCriteria(deps, r) }));
  const now = deps.now();
  const facts = await loadPartnerFacts(tx, neededBy(categories.map((c) => c.criteria)), now, [partnerId]);
  let joined = 0;
  let left = 0;
  for (const category of categories) {
    const done = await applyChanges(tx, deps, category.id, changesFor(category, facts, await membersOf(tx, category.id, [partnerId]), now));
    joined += done.joined;
    left += done.left;
  }
  return { joined, left };
}

/** The debounced job's work (reevaluatePartnerSoon): one partner, in its own transaction. */
export function reevaluatePartnerNow(deps: Deps, partnerId: string): Promise<{ joined: number; left: number }> {
  return deps.db.$transaction((tx) => reevaluatePartner(tx, deps, partnerId), TX_OPTIONS);
}
