// "Create opportunity" on a call's card (OCA crm_phonecall action_button_convert2opportunity): a new opportunity from
// the call's subject, partner and phone, for the caller and their first sales team; the call is linked and held.
import { leadCard } from "../../bot/views/lead-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { callReference, heldDuration } from "../../domain/calls.js";
import { firstOpenStage, leadReference, matchKeys, MAX_TITLE } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordCreated } from "../automation/events.js";
import { channelIdByCode } from "../channels/channel-choices.js";
import { notifySalesperson, publishLeadCard } from "../leads/lead-notify.js";
import { leadCardData, loadLead, pipelineOfTeam } from "../leads/load-lead.js";
import type { Who } from "../resolve-actor.js";
import { changeCall, type LoadedCall } from "./change-call.js";

export async function convertCallToOpportunity(deps: Deps, who: Who, value: string): Promise<Reply> {
  const allowed = policy.captureLead(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return changeCall(deps, who, value, {
    refuse: (call) =>
      call.leadId ? `${callReference(call.number)} already belongs to an opportunity.` : call.state === "cancelled" ? `${callReference(call.number)} was cancelled; edit it first.` : undefined,
    async plan(tx, call) {
      const leadId = await createOpportunity(tx, deps, who, call);
      // OCA sets the call "done", whose write hook computes a missing duration as now − call time.
      const durationMinutes = call.state === "planned" ? heldDuration(call.callAt, deps.now(), call.durationMinutes ?? undefined) : call.durationMinutes;
      const lead = (await loadLead(tx, leadId))!;
      return {
        data: { leadId, state: "held", durationMinutes },
        kind: "converted",
        summary: `Converted to ${leadReference(lead)}: ${call.subject}`,
        done: `✅ ${leadReference(lead)} created from ${callReference(call.number)}; the call is marked held.`,
        async after(innerTx) {
          // The card first: the outbox delivers a channel's messages in order.
          await publishLeadCard(innerTx, deps, leadId);
          if (lead.salespersonId && lead.salespersonId !== who.actor.id) await notifySalesperson(innerTx, deps, leadId, `${who.user.name} created an opportunity from your call.`);
          const fresh = (await loadLead(innerTx, leadId))!;
          return leadCard(await leadCardData(innerTx, fresh), who.user.timeZone, deps.now());
        },
      };
    },
  });
}

/** The opportunity goes to the call's owner (who made the call) and their first sales team, first open stage. */
async function createOpportunity(tx: Tx, deps: Deps, who: Who, call: LoadedCall): Promise<string> {
  const membership = await tx.teamMember.findFirst({
    where: { userId: call.ownerId, team: { kind: "sales" } },
    orderBy: [{ joinedAt: "asc" }, { teamId: "asc" }],
    select: { teamId: true },
  });
  const teamId = membership?.teamId ?? null;
  const stage = firstOpenStage(await pipelineOfTeam(tx, teamId));
  if (!stage) throw new Error(`no open lead stage for team ${teamId ?? "(shared)"}`);
  const now = deps.now();
  const created = await tx.lead.create({
    data: {
      type: "opportunity",
      title: call.subject.slice(0, MAX_TITLE),
      companyName: call.partner?.name ?? null,
      phone: call.contactPhone,
      ...matchKeys({ phone: call.contactPhone }),
      partnerId: call.partnerId,
      salespersonId: call.ownerId,
      teamId,
      createdById: who.actor.id,
      channelId: await channelIdByCode(tx, "phone"),
      notes: call.notes,
      stageId: stage.id,
      probability: stage.probability,
      stageChangedAt: now,
      convertedAt: now,
      sourceLink: call.sourceLink,
    },
    select: { id: true, number: true, type: true },
  });
  await tx.timelineEntry.create({
    data: {
      recordType: "lead",
      recordId: created.id,
      kind: "created",
      actorId: who.actor.id,
      summary: `Created by ${who.user.name} from ${callReference(call.number)}: ${leadReference(created)} ${call.subject}`.slice(0, 500),
      data: { callId: call.id },
    },
  });
  await recordCreated(tx, deps, "lead", created.id, who.actor.id);
  return created.id;
}
