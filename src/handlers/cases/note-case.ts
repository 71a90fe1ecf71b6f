// "Add note" on a case card: a form, then a timeline entry (the card shows the latest entries).
import { noteForm, noteFormSchema } from "../../bot/views/case-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";

export async function openNoteForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.addCaseNote(actor, facts), { ignoreVersion: true });
  if (!found.ok) return found.reply;
  return openForm(noteForm({ id: found.case.id, number: found.case.number, version: found.version }));
}

export async function submitNote(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = noteFormSchema.safeParse({ note: typeof values.note === "string" ? values.note.trim() || undefined : undefined });
  if (!parsed.success) return { kind: "errors", errors: { note: parsed.error.issues[0]?.message ?? "Write the note." } };
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.addCaseNote(actor, facts),
    ignoreVersion: true,
    plan: async (_tx, c) => ({ data: {}, kind: "note", summary: `${who.user.name}: ${parsed.data.note}`, done: `📝 Note added to ${caseReference(c.number)}.` }),
  });
}
