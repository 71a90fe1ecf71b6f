// `/crm pipeline [mine|TEAM]`: an agent's own open opportunities, or the teams a manager runs; sums in SQL.
import { pipelineView, OVERDUE_SHOWN, type PipelineStageRow } from "../../bot/views/pipeline.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import { weightedRevenue } from "../../domain/leads.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";

type Scope = { ok: true; label: string; where: Prisma.LeadWhereInput } | { ok: false; reason: string };

export async function showPipeline(deps: Deps, who: Who, args: string): Promise<Reply> {
  const scope = await scopeOf(deps, who, args.trim());
  if (!scope.ok) return privateMessage(notice(scope.reason));
  const where: Prisma.LeadWhereInput = { ...scope.where, type: "opportunity", isOpen: true, mergedIntoId: null };
  const now = deps.now();
  // Grouped by probability too, so the weighted forecast (Σ expected × probability / 100) is exact without loading rows.
  const groups = await deps.db.lead.groupBy({ by: ["stageId", "probability"], where, _count: { _all: true }, _sum: { expectedRevenue: true } });
  const stages = await deps.db.leadStage.findMany({ where: { id: { in: [...new Set(groups.map((g) => g.stageId))] } }, select: { id: true, name: true, sequence: true } });
  stages.sort((a, b) => a.sequence - b.sequence || a.name.localeCompare(b.name));
  const rows = new Map<string, PipelineStageRow>();
  for (const s of stages) {
    const row = rows.get(s.name) ?? { name: s.name, count: 0, expected: 0, weighted: 0 };
    for (const g of groups.filter((x) => x.stageId === s.id)) {
      const sum = Number(g._sum.expectedRevenue ?? 0);
      row.count += g._count._all;
      row.expected += sum;
      row.weighted += weightedRevenue(sum, g.probability);
    }
    rows.set(s.name, row);
  }
  const overdueWhere = { ...where, nextActionAt: { lt: now } };
  const [overdue, overdueCount] = [
    await deps.db.lead.findMany({
      where: overdueWhere,
      orderBy: [{ nextActionAt: "asc" }, { number: "asc" }],
      take: OVERDUE_SHOWN,
      select: { id: true, number: true, type: true, title: true, nextAction: true, nextActionAt: true, salesperson: { select: { name: true } } },
    }),
    await deps.db.lead.count({ where: overdueWhere }),
  ];
  const view = pipelineView(
    {
      scope: scope.label,
      stages: [...rows.values()],
      overdue: overdue.map((o) => ({ ...o, nextActionAt: o.nextActionAt!, salespersonName: o.salesperson?.name ?? null })),
      overdueCount,
    },
    who.user.timeZone,
    now,
  );
  return privateMessage(view);
}

/** No argument: a manager sees the teams they manage, everyone else their own; `mine` forces one's own. */
async function scopeOf(deps: Deps, who: Who, args: string): Promise<Scope> {
  const mine: Scope = { ok: true, label: "your opportunities", where: { salespersonId: who.actor.id } };
  if (args.toLowerCase() === "mine") return mine;
  if (!args) {
    const managed = who.actor.managedTeamIds;
    if (!managed.length) return mine;
    const teams = await deps.db.team.findMany({ where: { id: { in: managed } }, select: { name: true }, orderBy: { name: "asc" } });
    return { ok: true, label: teams.map((t) => t.name).join(", "), where: { teamId: { in: managed } } };
  }
  const team = await deps.db.team.findFirst({ where: { name: { equals: args, mode: "insensitive" } }, select: { id: true, name: true } });
  if (!team) return { ok: false, reason: `There is no team called “${args.slice(0, 100)}”. Try \`pipeline\` or \`pipeline mine\`.` };
  if (who.actor.role !== "admin" && !who.actor.managedTeamIds.includes(team.id)) return { ok: false, reason: `Only ${team.name}'s manager or an admin can see its pipeline. \`pipeline mine\` shows yours.` };
  return { ok: true, label: team.name, where: { teamId: team.id } };
}
