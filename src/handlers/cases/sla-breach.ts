// Job handler: at an SLA due time, escalate the case once, unless it was answered/closed or the job is stale.
import { notice } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { breachDecision, slaKindLabel, type SlaKind } from "../../domain/sla.js";
import type { Tx } from "../../db/outbox.js";
import { caseSlaJob, type CaseSlaPayload } from "../../jobs/case-sla.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { postToTeamChannels } from "../team-channels.js";
import { escalateCase } from "./escalate-case.js";
import { noteFirstResponseFromTimeline } from "./sla.js";

export type BreachOutcome = "escalated" | "recorded" | `skipped:${string}`;

export async function handleSlaBreach(deps: Deps, payload: CaseSlaPayload): Promise<BreachOutcome> {
  return deps.db.$transaction(async (tx): Promise<BreachOutcome> => {
    // A note or assignment since the job was sent may have answered the case.
    await noteFirstResponseFromTimeline(tx, payload.caseId);
    const c = await tx.case.findUnique({ where: { id: payload.caseId }, include: { stage: { select: { kind: true } } } });
    if (!c) return "skipped:gone";
    const decision = breachDecision({ ...c, stageKind: c.stage.kind }, payload.kind, payload.dueAt, deps.now());
    if (!decision.act && decision.why === "early") {
      // The database's clock ran ahead of ours: check again at the due time rather than lose the deadline.
      await deps.jobs.send(caseSlaJob, payload, { startAfter: new Date(payload.dueAt), db: prismaExecutor(tx) });
      return "skipped:early";
    }
    if (!decision.act) return `skipped:${decision.why}`;
    // Claim the deadline first: of two runs of this job (or two jobs for it) only one gets past here.
    const claimed = await tx.case.updateMany({
      where: { id: c.id, NOT: { slaEscalated: { has: payload.kind } } },
      data: { slaEscalated: { push: payload.kind } },
    });
    if (claimed.count === 0) return "skipped:already";
    const what = `${slaKindLabel(payload.kind)} SLA missed (due ${payload.dueAt.slice(0, 16).replace("T", " ")} UTC)`;
    await tx.timelineEntry.create({
      data: { recordType: "case", recordId: c.id, kind: "sla-breach", actorId: null, summary: `The ${what}`, data: { kind: payload.kind, dueAt: payload.dueAt } },
    });
    const escalated = await escalateCase(tx, deps, c.id, { actorId: null, reason: what });
    if (escalated.ok) return "escalated";
    const warned = await warnTeam(tx, c.teamId, `${caseReference(c.number)}: the ${what}, and it cannot be escalated further (${escalated.reason})`, c.id, payload.kind);
    // No manager on a chat platform and no team channel: only the timeline knows.
    if (!warned) deps.logger.warn({ caseId: c.id, teamId: c.teamId, kind: payload.kind }, "SLA breach at the top level: nobody could be told");
    return "recorded";
  });
}

/** At the top level: DM the team's manager, else post to the team's channels. Returns whether anything was queued. */
async function warnTeam(tx: Tx, teamId: string, text: string, caseId: string, kind: SlaKind): Promise<boolean> {
  const team = await tx.team.findUnique({ where: { id: teamId }, include: { manager: true } });
  if (!team) return false;
  const view = notice(text);
  const dedupeKey = `case-sla:${caseId}:${kind}`;
  if (team.manager && (await notifyUser(tx, team.manager, view, { dedupeKey })) > 0) return true;
  return postToTeamChannels(tx, team, view, { dedupeKey });
}
