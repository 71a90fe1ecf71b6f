// "Lost" on a lead or opportunity card (Odoo's crm.lead.lost wizard): an optional reason and closing note; for a
// lead it means disqualifying it.
import { leadLostForm, lostFormSchema } from "../../bot/views/lead-pipeline-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { leadReference, lostStageOf } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { changeLead, leadForButton, type LeadPlan, type Who } from "./change-lead.js";
import { pipelineOfTeam, type LoadedLead } from "./load-lead.js";

function wonRefusal(l: LoadedLead): string | undefined {
  return l.stage.kind === "won" ? `${leadReference(l)} is won; restore it first.` : undefined;
}

export async function openLostForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.editLead(actor, facts), (l) => wonRefusal(l) ?? (l.stage.kind === "lost" ? `${leadReference(l)} is already lost.` : undefined));
  if (!found.ok) return found.reply;
  const reasons = await deps.db.lostReason.findMany({ where: { isActive: true }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  return openForm(leadLostForm({ ...found.lead, version: found.version }, reasons.map((r) => ({ value: r.id, label: r.name }))));
}

export async function submitLost(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const text = (v: unknown) => (typeof v === "string" ? v.trim() || undefined : undefined);
  const parsed = lostFormSchema.safeParse({ lostReason: text(values.lostReason), closingNote: text(values.closingNote) });
  if (!parsed.success) return { kind: "errors", errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "closingNote"), i.message])) };
  const { lostReason: reasonId, closingNote } = parsed.data;
  return changeLead(deps, who, `${context.leadId}:${context.version}`, {
    check: (actor, facts) => policy.editLead(actor, facts),
    alreadyDone: (l) => (l.stage.kind === "lost" ? `${leadReference(l)} is already lost.` : undefined),
    refuse: wonRefusal,
    plan: async (tx, l): Promise<LeadPlan | { errors: Record<string, string> }> => {
      const reason = reasonId ? await tx.lostReason.findFirst({ where: { id: reasonId, isActive: true }, select: { id: true, name: true } }) : null;
      if (reasonId && !reason) return { errors: { lostReason: "That reason is no longer offered; choose another." } };
      const lost = lostStageOf(await pipelineOfTeam(tx, l.teamId));
      if (!lost) return { errors: { closingNote: `${l.team?.name ?? "This pipeline"} has no lost stage; ask an admin.` } };
      const now = deps.now();
      const ref = leadReference(l);
      return {
        // Odoo's action_set_lost: archived (isOpen false) with probability 0; the note is logged to the history.
        data: { stageId: lost.id, probability: 0, lostAt: now, wonAt: null, isOpen: false, lostReasonId: reason?.id ?? null, closingNote: closingNote ?? null, stageChangedAt: now },
        kind: "lost",
        summary: [`${who.user.name} marked it lost`, reason ? `: ${reason.name}` : "", closingNote ? ` — ${closingNote}` : ""].join(""),
        details: { lostReason: reason?.name ?? null, closingNote: closingNote ?? null },
        notifySalesperson: `${who.user.name} marked ${ref} lost${reason ? ` (${reason.name})` : ""}`,
        done: `${ref} is marked lost${reason ? ` (${reason.name})` : ""}.`,
      };
    },
  });
}
