// "Close" (asks for the resolution; first done stage, progress 100) and "Reopen" (first open stage) on a case card.
import { closeForm, closeFormSchema } from "../../bot/views/case-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference, firstStage } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";
import { stagesOfTeam } from "./load-case.js";

export async function openCloseForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.closeCase(actor, facts));
  if (!found.ok) return found.reply;
  return openForm(closeForm({ id: found.case.id, number: found.case.number, version: found.version }));
}

export async function submitClose(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = closeFormSchema.safeParse({ resolution: typeof values.resolution === "string" ? values.resolution.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { resolution: parsed.error.issues[0]?.message ?? "Say how the case was resolved." } };
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.closeCase(actor, facts),
    alreadyDone: (c) => (c.isOpen ? undefined : `${caseReference(c.number)} is already closed.`),
    plan: async (tx, c) => {
      const done = firstStage(await stagesOfTeam(tx, c.teamId), ["done"]);
      if (!done) return { errors: { resolution: `${c.team.name} has no completed stage to close the case into; ask an admin.` } };
      return {
        data: { stageId: done.id, isOpen: false, closedAt: deps.now(), progress: 100, resolution: parsed.data.resolution },
        kind: "closed",
        summary: `${who.user.name} closed the case: ${parsed.data.resolution}`,
        touchesSla: true,
        done: `✅ ${caseReference(c.number)} is closed.`,
      };
    },
  });
}

export function reopenCase(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeCase(deps, who, value, {
    check: (actor, facts) => policy.reopenCase(actor, facts),
    alreadyDone: (c) => (c.isOpen ? `${caseReference(c.number)} is already open.` : undefined),
    plan: async (tx, c) => {
      const open = firstStage(await stagesOfTeam(tx, c.teamId), ["open"]);
      if (!open) return { errors: { case: `${c.team.name} has no open stage; ask an admin.` } };
      return {
        data: { stageId: open.id, isOpen: true, closedAt: null },
        kind: "reopened",
        summary: `${who.user.name} reopened the case`,
        touchesSla: true,
        done: `↩️ ${caseReference(c.number)} is open again (${open.name}).`,
      };
    },
  });
}
