// The visit plan form: category, title with {{partner}}, how often, first visit (the person's time zone) and duration.
import { z } from "zod";
import { parseDuration } from "../../domain/meetings.js";
import { MAX_VISIT_MINUTES, MAX_WEEKS, titleProblem } from "../../domain/visits.js";
import { requiredText } from "./form-values.js";
import type { Form } from "./view.js";

export const VISIT_PLAN_FORM_ID = "visit.plan";

const schema = z
  .object({
    categoryId: requiredText("Pick the category whose partners get visits."),
    title: requiredText("Give the visits a title.")
      .max(150, "Keep the title under 150 characters.")
      .superRefine((t, ctx) => {
        const problem = titleProblem(t);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    repeat: z.enum(["monthly", "weeks", "rrule"], { message: "Say how often." }),
    weeks: z.string().regex(/^\d{1,2}$/, `A number of weeks from 1 to ${MAX_WEEKS}.`).transform(Number).optional(),
    rrule: z.string().max(300, "Keep the repeat rule under 300 characters.").optional(),
    firstVisit: requiredText("Say when the first visit is (YYYY-MM-DD HH:mm)."),
    duration: requiredText("Say how long a visit takes (45m, 1h, 1h30).").transform((text, ctx) => {
      const minutes = parseDuration(text);
      if (!minutes || minutes > MAX_VISIT_MINUTES) {
        ctx.addIssue({ code: "custom", message: `Write a duration like 45m or 1h30 (at most ${MAX_VISIT_MINUTES / 60} h).` });
        return z.NEVER;
      }
      return minutes;
    }),
  })
  .superRefine((v, ctx) => {
    if (v.repeat === "weeks" && !v.weeks) ctx.addIssue({ code: "custom", path: ["weeks"], message: "Say every how many weeks." });
    if (v.repeat === "rrule" && !v.rrule) ctx.addIssue({ code: "custom", path: ["rrule"], message: "Write the repeat rule (FREQ=MONTHLY;BYDAY=1TU)." });
  });

export type VisitPlanInput = z.infer<typeof schema>;

export function visitPlanForm(opts: { categories: { id: string; name: string }[]; timeZone: string; errors?: Record<string, string> }): Form<typeof schema> {
  return {
    id: VISIT_PLAN_FORM_ID,
    title: "Plan recurring visits",
    submitLabel: "Plan visits",
    schema,
    intro: "One meeting series per partner of the category, organized by the partner's salesperson (by you when it has none).",
    ...(opts.errors ? { errors: opts.errors } : {}),
    fields: [
      { id: "categoryId", label: "Category", kind: "select", options: opts.categories.map((c) => ({ value: c.id, label: c.name })) },
      { id: "title", label: "Title", kind: "text", initial: "Monthly visit {{partner}}", hint: "{{partner}} becomes each partner's name.", maxLength: 150 },
      {
        id: "repeat",
        label: "How often",
        kind: "radio",
        initial: "monthly",
        options: [
          { value: "monthly", label: "Monthly (same weekday of the month as the first visit)" },
          { value: "weeks", label: "Every N weeks" },
          { value: "rrule", label: "A repeat rule (RRULE)" },
        ],
      },
      { id: "weeks", label: "Every how many weeks", kind: "number", isOptional: true, placeholder: "2" },
      { id: "rrule", label: "Repeat rule", kind: "text", isOptional: true, placeholder: "FREQ=MONTHLY;BYDAY=1TU", maxLength: 300 },
      { id: "firstVisit", label: `First visit (${opts.timeZone})`, kind: "datetime", hint: "Every partner's first visit; partners joining later start at the next one." },
      { id: "duration", label: "Duration", kind: "text", initial: "1h", placeholder: "1h" },
    ],
  };
}
