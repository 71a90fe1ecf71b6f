// "Change stage" on a case card: a select of the team's stages; a done or cancelled stage closes the case.
import { stageForm, stageFormSchema } from "../../bot/views/case-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference, isOpenStage } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";
import { stagesOfTeam } from "./load-case.js";

export async function openStageForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.changeCaseStage(actor, facts));
  if (!found.ok) return found.reply;
  const c = found.case;
  return openForm(stageForm({ id: c.id, number: c.number, version: found.version, stageId: c.stageId }, await stagesOfTeam(deps.db, c.teamId)));
}

export async function submitStage(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = stageFormSchema.safeParse({ stage: typeof values.stage === "string" ? values.stage.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { stage: parsed.error.issues[0]?.message ?? "Choose a stage." } };
  const stageId = parsed.data.stage;
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.changeCaseStage(actor, facts),
    alreadyDone: (c) => (c.stageId === stageId ? `${caseReference(c.number)} is already in stage ${c.stage.name}.` : undefined),
    plan: async (tx, c) => {
      const stage = (await stagesOfTeam(tx, c.teamId)).find((s) => s.id === stageId);
      if (!stage) return { errors: { stage: `Choose one of ${c.team.name}'s stages.` } };
      const isOpen = isOpenStage(stage.kind);
      const closing = c.isOpen && !isOpen;
      return {
        data: {
          stageId: stage.id,
          isOpen,
          ...(isOpen ? { closedAt: null } : closing ? { closedAt: deps.now() } : {}),
          ...(stage.kind === "done" ? { progress: 100 } : {}),
        },
        kind: closing ? "closed" : !c.isOpen && isOpen ? "reopened" : "stage",
        summary: `${who.user.name} moved the case from ${c.stage.name} to ${stage.name}`,
        touchesSla: true,
        done: `✅ ${caseReference(c.number)} is now in stage ${stage.name}${closing ? " (closed)" : ""}.`,
      };
    },
  });
}
