// "Edit" on a case card: subject, description, priority, customer, internal flag, planned close.
import { editForm } from "../../bot/views/cases.js";
import { parseForm } from "../../bot/views/form-values.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference, priorityLabel } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { partnerFromFormValue } from "../resolve-partner.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";

export async function openEditForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.editCase(actor, facts));
  if (!found.ok) return found.reply;
  return openForm(editForm({ ...found.case, version: found.version }, who.user.timeZone));
}

export async function submitEdit(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  // The form's fields and schema only, to read the submission (the case is loaded by changeCase).
  const blank = { id: "", number: 0, version: 0, subject: "", description: null, priority: "medium" as const, isInternal: false, plannedCloseAt: null, partner: null };
  const parsed = parseForm(editForm(blank, who.user.timeZone), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.editCase(actor, facts),
    plan: async (tx, c) => {
      const partnerId = await partnerFromFormValue(tx, input.partner, who.actor.id);
      const data = {
        subject: input.subject,
        description: input.description ?? null,
        priority: input.priority,
        partnerId,
        isInternal: input.internal === "yes",
        plannedCloseAt: input.plannedCloseAt ?? null,
      };
      const changes: string[] = [];
      if (data.subject !== c.subject) changes.push(`subject to “${data.subject}”`);
      if (data.description !== c.description) changes.push("the description");
      if (data.priority !== c.priority) changes.push(`priority to ${priorityLabel(data.priority)}`);
      if (data.partnerId !== c.partnerId) changes.push("the customer");
      if (data.isInternal !== c.isInternal) changes.push(data.isInternal ? "it to internal" : "it to not internal");
      if ((data.plannedCloseAt?.getTime() ?? null) !== (c.plannedCloseAt?.getTime() ?? null)) changes.push("the planned close");
      if (!changes.length) return { errors: { subject: "Nothing was changed." } };
      return {
        data,
        kind: "edited",
        summary: `${who.user.name} changed ${changes.join(", ")}`,
        touchesSla: data.priority !== c.priority,
        done: `✅ ${caseReference(c.number)} saved.`,
      };
    },
  });
}
