// The meeting form (plan and edit, with recurrence and a "schedule anyway" after a clash) and the cancel form.
import { z } from "zod";
import { formatReminders, isValidVideoUrl, MAX_ATTENDEES, parseDuration, parsePeople, parseReminders, type ReminderRule } from "../../domain/meetings.js";
import { WEEKDAYS, type Weekday } from "../../domain/recurrence.js";
import { isValidTimeZone } from "../../domain/time.js";
import { dateField } from "./date-field.js";
import { requiredText } from "./form-values.js";
import type { Form, FormField } from "./view.js";

export const MEETING_FORM_ID = "meeting.form";
export const MEETING_CANCEL_FORM_ID = "meeting.cancel";

export interface MeetingFormPrefill {
  title?: string;
  startAt?: Date;
  durationMinutes?: number;
  isAllDay?: boolean;
  timeZone?: string;
  location?: string;
  videoUrl?: string;
  description?: string;
  people?: string;
  partner?: { value: string; label: string };
  showAs?: "busy" | "free";
  reminders?: ReminderRule[];
  repeat?: RepeatPrefill;
  /** Record ids and the edit's version/occurrence, carried through the form. */
  context?: Record<string, string>;
  /** Set when editing a recurring meeting: the "this / following / all" question is asked. */
  askScope?: boolean;
  /** A clash was found: the warning and the "ignore clashes" checkbox are shown. */
  clash?: string;
  errors?: Record<string, string>;
  formTitle?: string;
}

export interface RepeatPrefill {
  freq: "none" | "daily" | "weekly" | "monthly" | "yearly";
  interval?: number;
  byWeekday?: string[];
  monthlyBy?: "day" | "nth";
  ends?: "never" | "count" | "until";
  count?: number;
  until?: string;
}

const WEEKDAY_LABELS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const optionalNumber = (max: number, message: string) =>
  z.string().regex(/^\d{1,4}$/, message).transform(Number).pipe(z.number().min(1, message).max(max, message)).optional();

/** Field values become typed input; cross-field rules (end after start, weekly needs days) are checked here too. */
export function meetingFormSchema(timeZone: string) {
  return z
    .object({
      title: requiredText("Give the meeting a title.").max(200, "Keep the title under 200 characters."),
      startAt: dateField(timeZone, "Use a date and time like 2026-11-24 10:00.", "Say when the meeting starts."),
      duration: z.string().optional(),
      endAt: dateField(timeZone, "Use a date and time like 2026-11-24 11:00.").optional(),
      allDay: z.enum(["no", "yes"]).default("no"),
      timeZone: z.string().max(64).refine(isValidTimeZone, "Use an IANA time zone like Europe/Madrid or America/New_York.").optional(),
      location: z.string().max(300, "Keep the location under 300 characters.").optional(),
      videoUrl: z.string().max(1000, "That link is too long.").refine(isValidVideoUrl, "Paste the full video link, starting with https://.").optional(),
      description: z.string().max(3000, "The description is limited to 3,000 characters.").optional(),
      people: z
        .string()
        .max(3000, "That attendee list is too long.")
        .refine((t) => parsePeople(t).length <= MAX_ATTENDEES, `At most ${MAX_ATTENDEES} attendees.`)
        .optional(),
      partner: z.string().max(300).optional(),
      showAs: z.enum(["busy", "free"]).default("busy"),
      reminders: z.string().max(200, "Too many reminders.").optional(),
      repeat: z.enum(["none", "daily", "weekly", "monthly", "yearly"]).default("none"),
      interval: optionalNumber(99, "Repeat every 1 to 99 days, weeks, months or years."),
      weekdays: z.string().optional(),
      monthlyBy: z.enum(["day", "nth"]).default("day"),
      ends: z.enum(["never", "count", "until"]).default("never"),
      count: optionalNumber(720, "A series has 1 to 720 meetings (Odoo's limit too)."),
      until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Write the last date like 2026-12-31.").optional(),
      scope: z.enum(["this", "following", "all"]).optional(),
      ignoreClashes: z.string().optional(),
    })
    .transform((v, ctx) => {
      const reminders = parseReminders(v.reminders ?? "");
      if (!reminders.ok) ctx.addIssue({ code: "custom", path: ["reminders"], message: reminders.reason });
      let durationMinutes = 60;
      if (v.allDay === "yes") durationMinutes = 24 * 60;
      else if (v.endAt) {
        durationMinutes = Math.round((v.endAt.getTime() - v.startAt.getTime()) / 60_000);
        if (durationMinutes <= 0) ctx.addIssue({ code: "custom", path: ["endAt"], message: "The end must be after the start." });
      } else if (v.duration) {
        const d = parseDuration(v.duration);
        if (d === undefined || d <= 0) ctx.addIssue({ code: "custom", path: ["duration"], message: "Write a duration like 45m, 1h or 1h30." });
        else durationMinutes = d;
      }
      if (durationMinutes > 14 * 24 * 60) ctx.addIssue({ code: "custom", path: [v.endAt ? "endAt" : "duration"], message: "A meeting can last at most 14 days." });
      const byWeekday = (v.weekdays ?? "").split(",").filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d));
      if (v.ends === "count" && !v.count && v.repeat !== "none") ctx.addIssue({ code: "custom", path: ["count"], message: "Say how many meetings the series has." });
      if (v.ends === "until" && !v.until && v.repeat !== "none") ctx.addIssue({ code: "custom", path: ["until"], message: "Give the date of the last meeting." });
      return { ...v, durationMinutes, byWeekday, reminderRules: reminders.ok ? reminders.value : [], isAllDay: v.allDay === "yes", isForced: v.ignoreClashes === "yes" };
    });
}

export type MeetingFormInput = z.infer<ReturnType<typeof meetingFormSchema>>;

export function meetingForm(timeZone: string, now: Date, prefill: MeetingFormPrefill = {}): Form<ReturnType<typeof meetingFormSchema>> {
  const r = prefill.repeat ?? { freq: "none" };
  const fields: FormField[] = [];
  if (prefill.askScope) {
    fields.push({
      id: "scope",
      label: "Change",
      kind: "radio",
      initial: "this",
      options: [
        { value: "this", label: "This occurrence" },
        { value: "following", label: "This and following" },
        { value: "all", label: "All occurrences" },
      ],
    });
  }
  if (prefill.clash) fields.push({ id: "ignoreClashes", label: "Clash", kind: "checkboxes", isOptional: true, options: [{ value: "yes", label: "Schedule anyway" }], hint: prefill.clash });
  fields.push(
    { id: "title", label: "Title", kind: "text", initial: prefill.title, maxLength: 200, placeholder: "Quarterly review" },
    { id: "startAt", label: "Start", kind: "datetime", initial: (prefill.startAt ?? nextHalfHour(now)).toISOString(), hint: `Your time zone: ${timeZone}` },
    { id: "duration", label: "Duration", kind: "text", isOptional: true, initial: prefill.durationMinutes ? durationText(prefill.durationMinutes) : "1h", placeholder: "45m, 1h, 1h30", maxLength: 20 },
    { id: "endAt", label: "End (instead of a duration)", kind: "datetime", isOptional: true },
    { id: "allDay", label: "All day", kind: "radio", initial: prefill.isAllDay ? "yes" : "no", options: [{ value: "no", label: "At a time" }, { value: "yes", label: "All day" }] },
    { id: "timeZone", label: "Time zone", kind: "text", isOptional: true, initial: prefill.timeZone ?? timeZone, maxLength: 64, hint: "Repeats keep this zone's wall-clock time across daylight-saving changes." },
    { id: "location", label: "Location", kind: "text", isOptional: true, initial: prefill.location, maxLength: 300 },
    { id: "videoUrl", label: "Video link", kind: "text", isOptional: true, initial: prefill.videoUrl, placeholder: "https://meet.example.com/abc", maxLength: 1000 },
    { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: prefill.description, maxLength: 3000 },
    { id: "people", label: "Attendees", kind: "text", isOptional: true, initial: prefill.people, maxLength: 3000, placeholder: "Ana Ruiz, bob@acme.com", hint: "Names or emails of colleagues, emails of guests, separated by commas." },
    {
      id: "partner",
      label: "Customer",
      kind: "search",
      searchSource: "partners",
      isOptional: true,
      ...(prefill.partner ? { initial: prefill.partner.value, options: [prefill.partner] } : {}),
    },
    { id: "showAs", label: "Show as", kind: "radio", initial: prefill.showAs ?? "busy", options: [{ value: "busy", label: "Busy" }, { value: "free", label: "Free" }] },
    { id: "reminders", label: "Reminders", kind: "text", isOptional: true, initial: prefill.reminders ? formatReminders(prefill.reminders) : "15m", maxLength: 200, hint: 'Before the start: "15m, 1h, 1d"; add "email" to one to get it by email ("1h email").' },
    {
      id: "repeat",
      label: "Repeat",
      kind: "select",
      initial: r.freq,
      options: [
        { value: "none", label: "Does not repeat" },
        { value: "daily", label: "Daily" },
        { value: "weekly", label: "Weekly" },
        { value: "monthly", label: "Monthly" },
        { value: "yearly", label: "Yearly" },
      ],
    },
    { id: "interval", label: "Every (N days, weeks, months, years)", kind: "number", isOptional: true, initial: r.interval && r.interval > 1 ? String(r.interval) : undefined },
    { id: "weekdays", label: "On (weekly)", kind: "checkboxes", isOptional: true, initial: r.byWeekday?.join(","), options: WEEKDAYS.map((d, i) => ({ value: d, label: WEEKDAY_LABELS[i]! })) },
    { id: "monthlyBy", label: "Monthly by", kind: "radio", initial: r.monthlyBy ?? "day", options: [{ value: "day", label: "Day of the month" }, { value: "nth", label: "Weekday (e.g. 2nd Tuesday)" }] },
    { id: "ends", label: "Ends", kind: "radio", initial: r.ends ?? "never", options: [{ value: "never", label: "Never" }, { value: "count", label: "After a number of meetings" }, { value: "until", label: "On a date" }] },
    { id: "count", label: "Number of meetings", kind: "number", isOptional: true, initial: r.count ? String(r.count) : undefined },
    { id: "until", label: "Last date", kind: "text", isOptional: true, initial: r.until, placeholder: "2026-12-31", maxLength: 10 },
  );
  return {
    id: MEETING_FORM_ID,
    title: prefill.formTitle ?? "Plan a meeting",
    submitLabel: "Save",
    intro: prefill.clash ? `⚠️ ${prefill.clash}` : undefined,
    context: prefill.context ?? {},
    errors: prefill.errors,
    schema: meetingFormSchema(timeZone),
    fields,
  };
}

const cancelSchema = z.object({ scope: z.enum(["this", "all"]).default("all"), note: z.string().max(500, "Keep the message under 500 characters.").optional() });

export function cancelMeetingForm(opts: { isRecurring: boolean; occurrenceLabel?: string; context: Record<string, string> }): Form<typeof cancelSchema> {
  const fields: FormField[] = opts.isRecurring
    ? [
        {
          id: "scope",
          label: "Cancel",
          kind: "radio",
          initial: "this",
          options: [
            { value: "this", label: `This occurrence${opts.occurrenceLabel ? ` (${opts.occurrenceLabel})` : ""}` },
            { value: "all", label: "The whole series" },
          ],
        },
      ]
    : [];
  fields.push({ id: "note", label: "Message to attendees", kind: "textarea", isOptional: true, maxLength: 500 });
  return {
    id: MEETING_CANCEL_FORM_ID,
    title: "Cancel meeting",
    submitLabel: "Cancel meeting",
    context: opts.context,
    schema: cancelSchema,
    fields,
  };
}

function nextHalfHour(now: Date): Date {
  const step = 30 * 60_000;
  return new Date(Math.ceil((now.getTime() + 60_000) / step) * step);
}

function durationText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h}h${m ? m : ""}` : `${m}m`;
}
