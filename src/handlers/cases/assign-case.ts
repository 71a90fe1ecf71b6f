// "Assign to me" and "Reassign" (a form with a user search) on a case card.
import { reassignForm, reassignFormSchema } from "../../bot/views/case-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";

export function assignCaseToMe(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeCase(deps, who, value, {
    check: (actor, facts) => policy.assignCase(actor, facts),
    alreadyDone: (c) => (c.assigneeId === who.actor.id ? `${caseReference(c.number)} is already assigned to you.` : undefined),
    plan: async (_tx, c) => ({
      data: { assigneeId: who.actor.id },
      kind: "assigned",
      summary: `${who.user.name} took the case${c.assignee ? ` from ${c.assignee.name}` : ""}`,
      done: `✅ ${caseReference(c.number)} is now assigned to you.`,
    }),
  });
}

export async function openReassignForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.editCase(actor, facts));
  if (!found.ok) return found.reply;
  const c = found.case;
  return openForm(reassignForm({ id: c.id, number: c.number, version: found.version }, c.assignee ? { value: c.assignee.id, label: c.assignee.name } : undefined));
}

export async function submitReassign(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = reassignFormSchema.safeParse({ assignee: typeof values.assignee === "string" ? values.assignee.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { assignee: parsed.error.issues[0]?.message ?? "Choose who takes the case." } };
  const targetId = parsed.data.assignee;
  const target = /^[0-9a-f-]{36}$/i.test(targetId) ? await deps.db.user.findUnique({ where: { id: targetId }, select: { id: true, name: true, isActive: true } }) : null;
  if (!target) return { kind: "errors", errors: { assignee: "Choose the person from the list." } };
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.reassignCase(actor, facts, target),
    alreadyDone: (c) => (c.assigneeId === target.id ? `${caseReference(c.number)} is already assigned to ${target.name}.` : undefined),
    plan: async (_tx, c) => ({
      data: { assigneeId: target.id },
      kind: "assigned",
      summary: `${who.user.name} assigned the case to ${target.name}${c.assignee ? ` (was ${c.assignee.name})` : ""}`,
      notifyAssignee: target.id === who.actor.id ? undefined : `${who.user.name} assigned ${caseReference(c.number)} to you.`,
      done: `✅ ${caseReference(c.number)} is now assigned to ${target.id === who.actor.id ? "you" : target.name}.`,
    }),
  });
}
