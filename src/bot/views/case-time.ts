// The "Log time" form of a case (OpenERP case activities): day, start/end or a duration, description, billable.
import { z } from "zod";
import { formatDuration, parseDuration } from "../../domain/sla.js";
import { requiredText } from "./form-values.js";
import type { Form } from "./view.js";

export const CASE_TIME_FORM_ID = "case.time";
export const MAX_ENTRY_MINUTES = 24 * 60;

export interface CaseTimeBounds {
  /** Local day "YYYY-MM-DD" (the person's time zone): no entry before the case started. */
  earliestDay: string;
  /** Local day: today, or the planned close day when that is earlier. */
  latestDay: string;
  latestWhy: "today" | "planned-close";
}

export interface CaseTimeInput {
  date: string;
  start?: string;
  end?: string;
  minutes: number;
  description: string;
  isBillable: boolean;
  category?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^([01]?\d|2[0-3])[:.h]?([0-5]\d)$/;

/** "9:30", "09.30", "0930" → "09:30"; undefined when it is no time of day. */
export function readClock(text: string): string | undefined {
  const m = CLOCK.exec(text.trim());
  return m ? `${m[1]!.padStart(2, "0")}:${m[2]}` : undefined;
}

function toMinutes(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return h! * 60 + m!;
}

export function caseTimeSchema(bounds: CaseTimeBounds) {
  return z
    .object({
      date: z
        .string({ message: "Give the day worked, e.g. 2026-11-23." })
        .regex(DAY, "Write the day as YYYY-MM-DD, e.g. 2026-11-23.")
        .refine((d) => !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "That day does not exist."),
      start: z.string().optional(),
      end: z.string().optional(),
      duration: z.string().optional(),
      description: requiredText("Say what you did.").max(2000, "Keep the description under 2,000 characters."),
      billable: z.enum(["yes", "no"], { message: "Choose yes or no." }),
      category: z.string().max(60, "A category has at most 60 characters.").optional(),
    })
    .transform((v, ctx): CaseTimeInput => {
      if (v.date < bounds.earliestDay) ctx.addIssue({ code: "custom", path: ["date"], message: `The case started on ${bounds.earliestDay}; time cannot be logged before that day.` });
      if (v.date > bounds.latestDay) {
        const why = bounds.latestWhy === "today" ? "that day is in the future" : `the case is planned to close on ${bounds.latestDay}`;
        ctx.addIssue({ code: "custom", path: ["date"], message: `Time cannot be logged after ${bounds.latestDay}: ${why}.` });
      }
      const start = v.start === undefined ? undefined : readClock(v.start);
      const end = v.end === undefined ? undefined : readClock(v.end);
      if (v.start !== undefined && !start) ctx.addIssue({ code: "custom", path: ["start"], message: "Write a time of day like 09:30." });
      if (v.end !== undefined && !end) ctx.addIssue({ code: "custom", path: ["end"], message: "Write a time of day like 17:15." });
      let minutes: number | undefined;
      if (v.duration !== undefined) {
        minutes = parseDuration(v.duration);
        if (minutes === undefined || minutes > MAX_ENTRY_MINUTES) {
          ctx.addIssue({ code: "custom", path: ["duration"], message: "Give a duration from 1 minute to 24 hours, like 45m, 1h30m or 90." });
        }
      }
      if (start && end) {
        const span = toMinutes(end) - toMinutes(start);
        if (span <= 0) ctx.addIssue({ code: "custom", path: ["end"], message: "The end must be after the start (on the same day)." });
        else if (minutes !== undefined && minutes !== span) {
          ctx.addIssue({ code: "custom", path: ["duration"], message: `${start}–${end} is ${formatDuration(span)}; leave the duration empty or make it match.` });
        } else minutes = span;
      } else if ((start || end) && minutes === undefined && v.duration === undefined) {
        ctx.addIssue({ code: "custom", path: [start ? "end" : "start"], message: "Give both the start and the end, or a duration." });
      }
      if (minutes === undefined && v.duration === undefined && !start && !end && v.start === undefined && v.end === undefined) {
        ctx.addIssue({ code: "custom", path: ["duration"], message: "Give a duration (e.g. 45m) or a start and an end." });
      }
      return {
        date: v.date,
        ...(start ? { start } : {}),
        ...(end ? { end } : {}),
        minutes: minutes ?? 0,
        description: v.description,
        isBillable: v.billable === "yes",
        ...(v.category ? { category: v.category } : {}),
      };
    });
}

export function caseTimeForm(opts: {
  caseId: string;
  reference: string;
  subject: string;
  timeZone: string;
  today: string;
  isBillable: boolean;
  bounds: CaseTimeBounds;
}): Form<ReturnType<typeof caseTimeSchema>> {
  return {
    id: CASE_TIME_FORM_ID,
    title: `Log time on ${opts.reference}`.slice(0, 24),
    submitLabel: "Log time",
    intro: `${opts.reference}: ${opts.subject}`.slice(0, 300),
    context: { caseId: opts.caseId },
    schema: caseTimeSchema(opts.bounds),
    fields: [
      { id: "date", label: "Day", kind: "text", initial: opts.today, placeholder: "YYYY-MM-DD", hint: `Your time zone: ${opts.timeZone}`, maxLength: 10 },
      { id: "start", label: "Start", kind: "text", isOptional: true, placeholder: "09:30", maxLength: 5 },
      { id: "end", label: "End", kind: "text", isOptional: true, placeholder: "11:00", maxLength: 5 },
      { id: "duration", label: "Or a duration", kind: "text", isOptional: true, placeholder: "1h30m", hint: "From 1 minute to 24 hours", maxLength: 10 },
      { id: "description", label: "What did you do?", kind: "textarea", maxLength: 2000 },
      {
        id: "billable",
        label: "Billable",
        kind: "radio",
        initial: opts.isBillable ? "yes" : "no",
        options: [
          { value: "yes", label: "Yes" },
          { value: "no", label: "No" },
        ],
      },
      { id: "category", label: "Category", kind: "text", isOptional: true, placeholder: "e.g. on site, remote, travel", maxLength: 60 },
    ],
  };
}
