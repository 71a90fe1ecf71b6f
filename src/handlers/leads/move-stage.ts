// "Move stage" on an opportunity card: a select of the team's open stages; the stage's probability comes with it.
import { leadStageForm, stageFormSchema } from "../../bot/views/lead-pipeline-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { leadReference } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { changeLead, leadForButton, type Who } from "./change-lead.js";
import { pipelineOfTeam, type LoadedLead } from "./load-lead.js";

/** Won and lost are reached through their own buttons (Odoo's action_set_won / the lost wizard), not this form. */
export function closedRefusal(lead: LoadedLead): string | undefined {
  if (lead.stage.kind === "open") return undefined;
  return `${leadReference(lead)} is ${lead.stage.kind}; restore it first.`;
}

export async function openLeadStageForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.editLead(actor, facts), closedRefusal);
  if (!found.ok) return found.reply;
  const l = found.lead;
  const open = (await pipelineOfTeam(deps.db, l.teamId)).filter((s) => s.kind === "open");
  return openForm(leadStageForm({ ...l, version: found.version }, open.map((s) => ({ value: s.id, label: `${s.name} (${s.probability}%)` }))));
}

export async function submitLeadStage(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = stageFormSchema.safeParse({ stage: typeof values.stage === "string" ? values.stage.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { stage: parsed.error.issues[0]?.message ?? "Choose a stage." } };
  const stageId = parsed.data.stage;
  return changeLead(deps, who, `${context.leadId}:${context.version}`, {
    check: (actor, facts) => policy.editLead(actor, facts),
    alreadyDone: (l) => (l.stageId === stageId ? `${leadReference(l)} is already in stage ${l.stage.name}.` : undefined),
    refuse: closedRefusal,
    plan: async (tx, l) => {
      // OpenERP's stage on_change: entering a stage applies its probability [odoo/odoo addons/crm/crm.py@003a2df5].
      const stage = (await pipelineOfTeam(tx, l.teamId)).find((s) => s.id === stageId && s.kind === "open");
      if (!stage) return { errors: { stage: `Choose one of ${l.team?.name ?? "the pipeline"}'s open stages.` } };
      return {
        data: { stageId: stage.id, probability: stage.probability, stageChangedAt: deps.now() },
        kind: "stage",
        summary: `${who.user.name} moved it from ${l.stage.name} to ${stage.name} (${stage.probability}%)`,
        done: `✅ ${leadReference(l)} is now in stage ${stage.name} (${stage.probability}%).`,
      };
    },
  });
}
