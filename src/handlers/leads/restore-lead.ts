// "Restore" on a won or lost card: back to the team's first open stage (Odoo's restore clears the lost reason and
// recomputes the probability, notes §1.1).
import type { Reply } from "../../bot/views/view.js";
import { firstOpenStage, leadReference } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { changeLead, type Who } from "./change-lead.js";
import { pipelineOfTeam } from "./load-lead.js";

export function restoreLead(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeLead(deps, who, value, {
    check: (actor, facts) => policy.editLead(actor, facts),
    alreadyDone: (l) => (l.stage.kind === "open" ? `${leadReference(l)} is already open.` : undefined),
    plan: async (tx, l) => {
      const open = firstOpenStage(await pipelineOfTeam(tx, l.teamId));
      if (!open) return { errors: { lead: `${l.team?.name ?? "This pipeline"} has no open stage; ask an admin.` } };
      return {
        data: { stageId: open.id, probability: open.probability, isOpen: true, wonAt: null, lostAt: null, lostReasonId: null, closingNote: null, stageChangedAt: deps.now() },
        kind: "restored",
        summary: `Restored by ${who.user.name} (was ${l.stage.name})`,
        done: `↩️ ${leadReference(l)} is open again (${open.name}, ${open.probability}%).`,
      };
    },
  });
}
