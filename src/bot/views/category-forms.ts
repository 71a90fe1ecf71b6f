// The criteria form of a partner category: the criteria as YAML in one textarea, and the description.
import { z } from "zod";
import { CRITERIA_HELP } from "../../domain/segments/criteria-text.js";
import { truncate, type Form } from "./view.js";

export const CATEGORY_FORM_ID = "category.criteria-form";
/** Slack's limit for a text input. */
export const CRITERIA_TEXT_MAX = 3000;

export const categoryFormSchema = z.object({
  criteria: z.string().max(CRITERIA_TEXT_MAX, `Criteria in chat have at most ${CRITERIA_TEXT_MAX} characters.`).optional(),
  description: z.string().max(300, "A description has at most 300 characters.").optional(),
});

export function categoryForm(opts: { name: string; criteriaText: string; description: string | null; context: Record<string, string> }): Form<typeof categoryFormSchema> {
  return {
    id: CATEGORY_FORM_ID,
    title: truncate(`Criteria of ${opts.name}`, 24),
    submitLabel: "Save",
    schema: categoryFormSchema,
    context: opts.context,
    intro: `Partners matching these criteria join ${opts.name}; those that stop matching leave. Members added by hand always stay. Saving re-evaluates every partner in the background.`,
    fields: [
      { id: "criteria", label: "Criteria (YAML)", kind: "textarea", isOptional: true, initial: opts.criteriaText ? `${opts.criteriaText}${CRITERIA_HELP}` : CRITERIA_HELP, maxLength: CRITERIA_TEXT_MAX, hint: "Empty: members are added by hand only." },
      { id: "description", label: "Description", kind: "text", isOptional: true, ...(opts.description ? { initial: opts.description } : {}), maxLength: 300 },
    ],
  };
}
