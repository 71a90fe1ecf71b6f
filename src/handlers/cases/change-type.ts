// "Change type" on a case card: the case moves to the new type's team; both teams' channels see the card.
import { typeForm, typeFormSchema } from "../../bot/views/case-forms.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { caseReference, firstStage } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";
import { stagesOfTeam } from "./load-case.js";

export async function openTypeForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.editCase(actor, facts));
  if (!found.ok) return found.reply;
  const types = await deps.db.caseType.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, team: { select: { name: true } } }, take: 100 });
  const c = found.case;
  if (!types.length) return privateMessage(notice("There are no case types yet: an admin adds them with /crm admin casetype add Hardware --team Engineering."));
  return openForm(typeForm({ id: c.id, number: c.number, version: found.version, typeId: c.typeId }, types.map((t) => ({ value: t.id, label: `${t.name} (${t.team.name})`.slice(0, 75) }))));
}

export async function submitType(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = typeFormSchema.safeParse({ type: typeof values.type === "string" ? values.type.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { type: parsed.error.issues[0]?.message ?? "Choose a case type." } };
  const typeId = parsed.data.type;
  const type = /^[0-9a-f-]{36}$/i.test(typeId) ? await deps.db.caseType.findUnique({ where: { id: typeId }, include: { team: { select: { id: true, name: true } } } }) : null;
  if (!type) return { kind: "errors", errors: { type: "That case type no longer exists; choose another." } };
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.editCase(actor, facts),
    alreadyDone: (c) => (c.typeId === type.id ? `${caseReference(c.number)} is already of type ${type.name}.` : undefined),
    plan: async (tx, c) => {
      const movesTeam = type.teamId !== c.teamId;
      let stageId = c.stageId;
      if (movesTeam) {
        // The new team may have its own stages: keep the same kind of stage there.
        const stages = await stagesOfTeam(tx, type.teamId);
        if (!stages.some((s) => s.id === c.stageId)) stageId = (firstStage(stages, [c.stage.kind]) ?? firstStage(stages, ["open"]))?.id ?? c.stageId;
      }
      return {
        data: { typeId: type.id, teamId: type.teamId, stageId },
        kind: movesTeam ? "team-changed" : "type-changed",
        summary: `${who.user.name} changed the type to ${type.name}${movesTeam ? `; the case moved from ${c.team.name} to ${type.team.name}` : ""}`,
        touchesSla: movesTeam,
        extraTeamIds: movesTeam ? [c.teamId] : undefined,
        done: `✅ ${caseReference(c.number)} is now of type ${type.name}${movesTeam ? ` and belongs to ${type.team.name}` : ""}.`,
      };
    },
  });
}
