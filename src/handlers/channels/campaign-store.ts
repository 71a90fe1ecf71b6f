// Reading and saving campaigns: by name (any case) or id, the list with its counts (one grouped query per kind of
// record, never one per campaign), one campaign's leads by stage, and the create/edit/close writes chat and CLI share.
import type { Tx } from "../../db/outbox.js";
import { isUuid } from "../button-value.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR } from "../admin/audit.js";
import { isUniqueViolation } from "../admin/command.js";
import { campaignStatus, isCurrent, type CampaignStatus } from "../../domain/campaigns.js";

type Reader = Deps["db"] | Tx;

export interface CampaignRow {
  id: string;
  name: string;
  channelId: string | null;
  channel: { name: string; isActive: boolean } | null;
  startsOn: Date | null;
  endsOn: Date | null;
  isActive: boolean;
  createdAt: Date;
}

/** Leads and opportunities merged into another record are left out: the survivor counts for them. */
export interface CampaignCounts {
  leads: number;
  opportunities: number;
  won: number;
  wonRevenue: number;
  openCases: number;
  cases: number;
}

export type CampaignSummary = CampaignRow & { status: CampaignStatus; counts: CampaignCounts };

const select = { id: true, name: true, channelId: true, startsOn: true, endsOn: true, isActive: true, createdAt: true, channel: { select: { name: true, isActive: true } } } as const;


export function findCampaignByName(db: Reader, name: string): Promise<CampaignRow | null> {
  return db.campaign.findFirst({ where: { name: { equals: name.trim(), mode: "insensitive" } }, select });
}

export async function findCampaignById(db: Reader, id: string): Promise<CampaignRow | null> {
  return isUuid(id) ? db.campaign.findUnique({ where: { id }, select }) : null;
}

export async function campaignNames(db: Reader): Promise<string[]> {
  return (await db.campaign.findMany({ select: { name: true }, orderBy: { createdAt: "desc" }, take: 500 })).map((c) => c.name);
}

const noCounts = (): CampaignCounts => ({ leads: 0, opportunities: 0, won: 0, wonRevenue: 0, openCases: 0, cases: 0 });

/** Three grouped queries (leads by type, won opportunities with revenue, cases by open) for any number of campaigns. */
export async function countsByCampaign(db: Reader, ids: string[]): Promise<Map<string, CampaignCounts>> {
  const counts = new Map(ids.map((id) => [id, noCounts()]));
  if (!ids.length) return counts;
  // One after the other: `db` may be a transaction, whose queries share one connection.
  const byType = await db.lead.groupBy({ by: ["campaignId", "type"], where: { campaignId: { in: ids }, mergedIntoId: null }, _count: { _all: true } });
  const won = await db.lead.groupBy({ by: ["campaignId"], where: { campaignId: { in: ids }, mergedIntoId: null, type: "opportunity", wonAt: { not: null } }, _count: { _all: true }, _sum: { expectedRevenue: true } });
  const cases = await db.case.groupBy({ by: ["campaignId", "isOpen"], where: { campaignId: { in: ids } }, _count: { _all: true } });
  for (const g of byType) {
    const c = counts.get(g.campaignId!)!;
    if (g.type === "lead") c.leads += g._count._all;
    else c.opportunities += g._count._all;
  }
  for (const g of won) Object.assign(counts.get(g.campaignId!)!, { won: g._count._all, wonRevenue: Number(g._sum.expectedRevenue ?? 0) });
  for (const g of cases) {
    const c = counts.get(g.campaignId!)!;
    c.cases += g._count._all;
    if (g.isOpen) c.openCases += g._count._all;
  }
  return counts;
}

/** Running and upcoming campaigns first, then ended and closed ones; newest first within each. The first `shown` get counts. */
export async function listCampaigns(db: Reader, today: Date, shown: number): Promise<{ campaigns: CampaignSummary[]; total: number }> {
  const rows = await db.campaign.findMany({ select, orderBy: [{ createdAt: "desc" }, { name: "asc" }] });
  const ordered = rows.map((r) => ({ ...r, status: campaignStatus(r, today) })).sort((a, b) => Number(isCurrent(b.status)) - Number(isCurrent(a.status)));
  const page = ordered.slice(0, shown);
  const counts = await countsByCampaign(db, page.map((c) => c.id));
  return { campaigns: page.map((c) => ({ ...c, counts: counts.get(c.id)! })), total: rows.length };
}

export async function campaignSummary(db: Reader, campaign: CampaignRow, today: Date): Promise<CampaignSummary> {
  const counts = await countsByCampaign(db, [campaign.id]);
  return { ...campaign, status: campaignStatus(campaign, today), counts: counts.get(campaign.id)! };
}

/** The campaign's leads and opportunities (not merged away) per pipeline stage, in pipeline order. */
export async function leadsByStage(db: Reader, campaignId: string): Promise<{ stage: string; count: number }[]> {
  const groups = await db.lead.groupBy({ by: ["stageId"], where: { campaignId, mergedIntoId: null }, _count: { _all: true } });
  if (!groups.length) return [];
  const stages = await db.leadStage.findMany({ where: { id: { in: groups.map((g) => g.stageId) } }, select: { id: true, name: true, sequence: true } });
  const byId = new Map(stages.map((s) => [s.id, s]));
  return groups
    .map((g) => ({ stage: byId.get(g.stageId)?.name ?? "?", sequence: byId.get(g.stageId)?.sequence ?? 0, count: g._count._all }))
    .sort((a, b) => a.sequence - b.sequence || a.stage.localeCompare(b.stage))
    .map(({ stage, count }) => ({ stage, count }));
}

export interface CampaignDraft {
  name: string;
  channelId: string | null;
  startsOn: Date | null;
  endsOn: Date | null;
}

export type Saved = { ok: true; campaign: CampaignRow; isNew: boolean } | { ok: false; errors: { name?: string }; isMissing?: boolean };

const taken = (name: string) => ({ ok: false as const, errors: { name: `A campaign named ${name} already exists.` } });

/** Creates (no `id`) or changes a campaign; a name another campaign has, in any case, is refused on the name. */
export async function saveCampaign(db: Deps["db"], actorId: string, draft: CampaignDraft, id?: string): Promise<Saved> {
  try {
    return await db.$transaction(async (tx) => {
      const same = await tx.campaign.findFirst({ where: { name: { equals: draft.name, mode: "insensitive" }, ...(id ? { id: { not: id } } : {}) }, select: { name: true } });
      if (same) return taken(same.name);
      if (id && !(await tx.campaign.findUnique({ where: { id }, select: { id: true } }))) return { ok: false, errors: {}, isMissing: true };
      const createdById = actorId === COMMAND_LINE_ACTOR.id ? null : actorId;
      const campaign = id ? await tx.campaign.update({ where: { id }, data: draft, select }) : await tx.campaign.create({ data: { ...draft, createdById }, select });
      await audit(tx, actorId, campaign.id, `Campaign ${campaign.name} ${id ? "changed" : "created"}`);
      return { ok: true, campaign, isNew: !id };
    });
  } catch (error) {
    // Two people creating the same name at once: the unique index decides.
    if (isUniqueViolation(error)) return taken(draft.name);
    throw error;
  }
}

export type Closed = { kind: "closed" | "already closed"; campaign: CampaignRow } | { kind: "missing" };
export type Reopened = { kind: "reopened" | "already open"; campaign: CampaignRow } | { kind: "missing" };

/** Closing only an open campaign, so a second click (or a stale card) is told it already was. */
export async function closeCampaign(db: Deps["db"], actorId: string, id: string): Promise<Closed> {
  const outcome = await switchCampaign(db, actorId, id, false);
  if (outcome.kind === "missing") return outcome;
  return { kind: outcome.kind === "switched" ? "closed" : "already closed", campaign: outcome.campaign };
}

/** Reopening a closed campaign (closed by mistake, or running again): forms offer it again while its dates allow. */
export async function reopenCampaign(db: Deps["db"], actorId: string, id: string): Promise<Reopened> {
  const outcome = await switchCampaign(db, actorId, id, true);
  if (outcome.kind === "missing") return outcome;
  return { kind: outcome.kind === "switched" ? "reopened" : "already open", campaign: outcome.campaign };
}

async function switchCampaign(db: Deps["db"], actorId: string, id: string, isActive: boolean): Promise<{ kind: "switched" | "unchanged"; campaign: CampaignRow } | { kind: "missing" }> {
  if (!isUuid(id)) return { kind: "missing" };
  return db.$transaction(async (tx) => {
    const switched = await tx.campaign.updateMany({ where: { id, isActive: !isActive }, data: { isActive } });
    const campaign = await tx.campaign.findUnique({ where: { id }, select });
    if (!campaign) return { kind: "missing" as const };
    if (switched.count !== 1) return { kind: "unchanged" as const, campaign };
    await audit(tx, actorId, id, `Campaign ${campaign.name} ${isActive ? "reopened" : "closed"}`);
    return { kind: "switched" as const, campaign };
  });
}

async function audit(tx: Tx, actorId: string, campaignId: string, summary: string): Promise<void> {
  const isCli = actorId === COMMAND_LINE_ACTOR.id;
  await tx.timelineEntry.create({ data: { recordType: "campaign", recordId: campaignId, kind: "admin", actorId: isCli ? null : actorId, summary: isCli ? `${summary} (from the command line)` : summary } });
}
