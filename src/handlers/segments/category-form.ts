// The "Edit criteria" form of a category: YAML criteria checked when saved, then every partner re-evaluated in the background.
import { CATEGORY_FORM_ID, categoryForm, categoryFormSchema } from "../../bot/views/category-forms.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { parseForm } from "../../bot/views/form-values.js";
import { Prisma } from "../../db/client.js";
import { policy } from "../../domain/policy.js";
import { parseCriteriaText, problemsText, serializeCriteria } from "../../domain/segments/criteria-text.js";
import { describeCriteria } from "../../domain/segments/criteria.js";
import { segmentsCategoryJob } from "../../jobs/segments.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import { uuidFrom } from "../meetings/plan-reminders.js";
import type { Who } from "../resolve-actor.js";
import { findCategoryById } from "./category-store.js";

export { CATEGORY_FORM_ID };

const CHANGED = "This category was changed by someone else since you opened the form: close it and open it again from /crm category.";

/** The button's value is "<id>:<updatedAt ms>"; the form always opens on the category as it is now. */
export async function openCriteriaForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const allowed = policy.manageCategories(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const category = await findCategoryById(deps.db, readButtonValue(value)?.id ?? value);
  if (!category) return privateMessage(notice("That category no longer exists."));
  return openForm(categoryForm({ name: category.name, criteriaText: serializeCriteria(category.criteria), description: category.description, context: { categoryId: category.id, version: String(category.updatedAt.getTime()) } }));
}

export async function submitCriteriaForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const allowed = policy.manageCategories(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const form = parseForm(categoryForm({ name: "", criteriaText: "", description: null, context }), values);
  if (!form.ok) return { kind: "errors", errors: form.errors };
  const parsed = parseCriteriaText(form.value.criteria ?? "");
  if (!parsed.ok) return { kind: "errors", errors: { criteria: problemsText(parsed.problems) } };
  const category = await findCategoryById(deps.db, context.categoryId ?? "");
  if (!/^\d+$/.test(context.version ?? "")) return { kind: "errors", errors: { criteria: CHANGED } };
  if (!category) return { kind: "errors", errors: { criteria: "This category was deleted since you opened the form." } };
  const saved = await deps.db.$transaction(async (tx) => {
    // Only the version the form was opened on: a concurrent save makes this one fail instead of overwriting it.
    const updated = await tx.partnerCategory.updateMany({
      where: { id: category.id, updatedAt: new Date(Number(context.version)) },
      data: { criteria: parsed.criteria ?? Prisma.DbNull, description: form.value.description ?? null },
    });
    if (updated.count !== 1) return undefined;
    const row = await tx.partnerCategory.findUniqueOrThrow({ where: { id: category.id }, select: { updatedAt: true } });
    const version = row.updatedAt.getTime();
    await deps.jobs.send(segmentsCategoryJob, { categoryId: category.id, version }, { id: uuidFrom(`segments-category|${category.id}|${version}`), db: prismaExecutor(tx) });
    return row;
  });
  if (!saved) return { kind: "errors", errors: { criteria: CHANGED } };
  const words = parsed.criteria ? describeCriteria(parsed.criteria) : "assigned by hand only";
  return { kind: "done", view: notice(`${category.name} saved: ${words}.`, `Every partner is being re-evaluated in the background; see the result with /crm category ${category.name}.`) };
}
