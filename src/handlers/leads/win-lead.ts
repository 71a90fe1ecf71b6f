// "Won" on an opportunity card (Odoo's action_set_won), with the rainbow-man celebration in the team channel.
import { escapeMarkup, notice, truncate, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { celebrationFor, celebrationWindows } from "../../domain/celebration.js";
import { leadReference, wonStageFrom } from "../../domain/leads.js";
import { formatMoney } from "../../bot/views/lead-card.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { postToTeamChannels } from "../team-channels.js";
import { changeLead, type Who } from "./change-lead.js";
import { pipelineOfTeam, type LoadedLead } from "./load-lead.js";

export function winLead(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeLead(deps, who, value, {
    check: (actor, facts) => policy.editLead(actor, facts),
    alreadyDone: (l) => (l.stage.kind === "won" ? `${leadReference(l)} is already won.` : undefined),
    refuse: (l) => {
      if (l.type === "lead") return `${leadReference(l)} is still a lead. Convert it first, then win the opportunity.`;
      if (l.stage.kind === "lost") return `${leadReference(l)} is lost; restore it first.`;
      return undefined;
    },
    plan: async (tx, l) => {
      const won = wonStageFrom(await pipelineOfTeam(tx, l.teamId), l.stage);
      if (!won) return { errors: { lead: `${l.team?.name ?? "This pipeline"} has no won stage; ask an admin.` } };
      const now = deps.now();
      const message = celebrationFor(await winRecords(tx, l, now));
      const ref = leadReference(l);
      return {
        // Odoo: a won stage forces probability 100 and sets date_closed (notes §1.1).
        data: { stageId: won.id, probability: 100, wonAt: now, lostAt: null, lostReasonId: null, isOpen: false, stageChangedAt: now },
        kind: "won",
        summary: `${who.user.name} marked it won`,
        notifySalesperson: `${who.user.name} marked ${ref} won`,
        done: `🏆 ${ref} is won.${message ? ` ${message}` : ""}`,
        after: message ? (t, lead) => postCelebration(t, lead, l.version, message) : undefined,
      };
    },
  });
}

/** The deals won before this one, as the rules read them; this deal (and merged-away records) excluded. */
async function winRecords(tx: Tx, l: LoadedLead, now: Date) {
  const w = celebrationWindows(now);
  const base: Prisma.LeadWhereInput = { id: { not: l.id }, type: "opportunity", mergedIntoId: null, stage: { kind: "won" } };
  const maxSince = async (who: Prisma.LeadWhereInput, since: Date) => {
    const r = await tx.lead.aggregate({ where: { ...base, ...who, wonAt: { gte: since } }, _max: { expectedRevenue: true } });
    return r._max.expectedRevenue === null ? null : Number(r._max.expectedRevenue);
  };
  const team = l.teamId ? { teamId: l.teamId } : undefined;
  const mine = l.salespersonId ? { salespersonId: l.salespersonId } : undefined;
  return {
    revenue: l.expectedRevenue === null ? null : Number(l.expectedRevenue),
    hasTeam: Boolean(team),
    hasSalesperson: Boolean(mine),
    teamMax30: team ? await maxSince(team, w.since30) : null,
    teamMax7: team ? await maxSince(team, w.since7) : null,
    personalMax30: mine ? await maxSince(mine, w.since30) : null,
    personalMax7: mine ? await maxSince(mine, w.since7) : null,
    personalWonThisYear: mine ? await tx.lead.count({ where: { ...base, ...mine, wonAt: { gte: w.yearStart } } }) : 0,
  };
}

/** One short message in the team's channels; the dedupe key makes a retried click post it once. */
async function postCelebration(tx: Tx, lead: LoadedLead, version: number, message: string): Promise<void> {
  if (!lead.team) return;
  const revenue = lead.expectedRevenue === null ? "" : ` (${formatMoney(Number(lead.expectedRevenue))})`;
  const who = lead.salesperson?.name ?? "The team";
  const view = notice(`🎉 ${message}`, `${who} won ${leadReference(lead)} ${escapeMarkup(truncate(lead.title, 150))}${revenue}.`);
  await postToTeamChannels(tx, lead.team, view, { dedupeKey: `won:${lead.id}:${version}` });
}
