// The lead capture form (`/crm lead`, and "Create lead from message"): one definition, read the same on both platforms.
import { z } from "zod";
import { readDecimal } from "../../domain/cases.js";
import { MAX_REVENUE } from "../../domain/lead-quick-form.js";
import { MAX_TITLE, normalizeEmail } from "../../domain/leads.js";
import { requiredText } from "./form-values.js";
import type { Form } from "./view.js";

export const LEAD_FORM_ID = "lead.form";
export const MAX_LEAD_NOTES = 10_000;

type Option = { value: string; label: string };

const optionalText = (label: string, max: number) => z.string().max(max, `Keep the ${label} under ${max.toLocaleString("en")} characters.`).optional();

export const leadFormSchema = z.object({
  title: requiredText("Say what the lead is about.").max(MAX_TITLE, `Keep the title under ${MAX_TITLE} characters; put the details in the notes.`),
  contactName: optionalText("contact name", 200),
  companyName: optionalText("company name", 200),
  email: z
    .string()
    .max(254, "That email address is too long.")
    .refine((v) => normalizeEmail(v) !== undefined, { error: (issue) => `That email address is not valid: ${String(issue.input)}` })
    .optional(),
  phone: optionalText("phone", 50),
  salesperson: z.string().uuid("Choose the salesperson from the list.").optional(),
  team: z.string().uuid("Choose a sales team from the list.").optional(),
  tags: z
    .string()
    .max(500, "Keep the tags under 500 characters.")
    .transform((v) => [...new Map(v.split(",").map((t) => t.trim().replace(/^#/, "")).filter(Boolean).map((t) => [t.toLowerCase(), t.slice(0, 50)])).values()])
    .optional(),
  channel: z.string().uuid("Choose a channel from the list.").optional(),
  campaign: z.string().uuid("Choose a campaign from the list.").optional(),
  referredBy: optionalText("referrer", 200),
  notes: optionalText("notes", MAX_LEAD_NOTES),
  expectedRevenue: z
    .string()
    .transform((v, ctx) => {
      const n = readDecimal(v);
      if (n === undefined || n < 0 || n > MAX_REVENUE) {
        ctx.addIssue({ code: "custom", message: "Expected revenue is an amount of 0 or more, like 12500 or 12,500.50." });
        return z.NEVER;
      }
      return Math.round(n * 100) / 100;
    })
    .optional(),
});

export type LeadFormInput = z.infer<typeof leadFormSchema>;

export interface LeadFormPrefill {
  title?: string;
  notes?: string;
  /** The person filling it in: the default salesperson. */
  salesperson?: Option;
  teamId?: string;
  /** The channel selected at first: the way in (Direct for the form, Chat for a message). */
  channelId?: string;
  intro?: string;
  formTitle?: string;
  context?: Record<string, string>;
}

/** The form's lists: sales teams, switched-on channels and running campaigns (channel-choices.ts). */
export interface LeadFormChoices {
  teams: Option[];
  channels: Option[];
  campaigns: Option[];
}

/**
 * Slack refuses a select without options, so the team, channel and campaign fields are left out when there is none;
 * `forSubmit` keeps every field, to read a submission.
 */
export function leadForm(choices: LeadFormChoices, prefill: LeadFormPrefill = {}, opts: { forSubmit?: boolean } = {}): Form<typeof leadFormSchema> {
  const form: Form<typeof leadFormSchema> = {
    id: LEAD_FORM_ID,
    title: prefill.formTitle ?? "New lead",
    submitLabel: "Create lead",
    intro: prefill.intro,
    context: prefill.context ?? {},
    schema: leadFormSchema,
    fields: [
      { id: "title", label: "Title", kind: "text", placeholder: "e.g. Globex wants 40 seats", initial: prefill.title, maxLength: MAX_TITLE },
      { id: "contactName", label: "Contact name", kind: "text", isOptional: true, maxLength: 200 },
      { id: "companyName", label: "Company", kind: "text", isOptional: true, maxLength: 200 },
      { id: "email", label: "Email", kind: "text", isOptional: true, placeholder: "name@company.com", maxLength: 254 },
      { id: "phone", label: "Phone", kind: "text", isOptional: true, maxLength: 50 },
      {
        id: "salesperson",
        label: "Salesperson",
        kind: "search",
        searchSource: "users",
        isOptional: true,
        placeholder: "Type a name or email",
        ...(prefill.salesperson ? { initial: prefill.salesperson.value, options: [prefill.salesperson] } : {}),
      },
      { id: "team", label: "Sales team", kind: "select", isOptional: true, options: choices.teams.slice(0, 100), ...(prefill.teamId ? { initial: prefill.teamId } : {}) },
      { id: "tags", label: "Tags", kind: "text", isOptional: true, placeholder: "saas, enterprise", hint: "Separated by commas." },
      { id: "channel", label: "Channel", kind: "select", isOptional: true, options: choices.channels.slice(0, 100), ...(prefill.channelId && choices.channels.some((c) => c.value === prefill.channelId) ? { initial: prefill.channelId } : {}) },
      { id: "campaign", label: "Campaign", kind: "select", isOptional: true, options: choices.campaigns.slice(0, 100), hint: "Campaigns are added with /crm campaigns." },
      { id: "referredBy", label: "Referred by", kind: "text", isOptional: true, maxLength: 200 },
      { id: "notes", label: "Notes", kind: "textarea", isOptional: true, initial: prefill.notes, maxLength: MAX_LEAD_NOTES },
      { id: "expectedRevenue", label: "Expected revenue", kind: "number", isOptional: true, placeholder: "12500" },
    ],
  };
  return opts.forSubmit ? form : { ...form, fields: form.fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0) };
}
