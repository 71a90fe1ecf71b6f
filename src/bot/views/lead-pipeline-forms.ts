// The forms behind an opportunity card's pipeline buttons: Move stage, Lost (reason and closing note) and Edit.
import { z } from "zod";
import { LEAD_PRIORITY_LABELS, leadReference, MAX_TITLE, normalizeEmail, sanitizePhone, type LeadType } from "../../domain/leads.js";
import { dateField } from "./date-field.js";
import { requiredText } from "./form-values.js";
import type { Form, FormField } from "./view.js";

export const LEAD_STAGE_FORM_ID = "lead.stage-form";
export const LEAD_LOST_FORM_ID = "lead.lost-form";
export const LEAD_EDIT_FORM_ID = "lead.edit-form";

export const MAX_CLOSING_NOTE = 2000;
export const MAX_TAGS = 20;
const MAX_TAG = 50;
/** Lead.expectedRevenue is Decimal(14, 2). */
const MAX_REVENUE = 999_999_999_999.99;

type LeadRef = { id: string; number: number; type: LeadType; version: number };
type Option = { value: string; label: string };

/** `context` of the button forms: the lead and the version the card showed ("<id>:<version>" for changeLead). */
export const leadActionContext = (l: { id: string; version: number }) => ({ leadId: l.id, version: String(l.version) });

export const stageFormSchema = z.object({ stage: requiredText("Choose a stage.") });

export function leadStageForm(l: LeadRef & { stageId: string }, stages: Option[]): Form<typeof stageFormSchema> {
  return {
    id: LEAD_STAGE_FORM_ID,
    title: `Stage of ${leadReference(l)}`.slice(0, 24),
    submitLabel: "Move",
    context: leadActionContext(l),
    schema: stageFormSchema,
    intro: "The stage's probability is applied. Use the Won and Lost buttons to close the opportunity.",
    fields: [{ id: "stage", label: "Stage", kind: "select", options: stages.slice(0, 100), ...(stages.some((s) => s.value === l.stageId) ? { initial: l.stageId } : {}) }],
  };
}

export const lostFormSchema = z.object({
  lostReason: z.string().optional(),
  closingNote: z.string().max(MAX_CLOSING_NOTE, `The closing note is limited to ${MAX_CLOSING_NOTE.toLocaleString("en")} characters.`).optional(),
});

/** A select with no options cannot be shown (Slack refuses it), so the reason is left out when none is active. */
export function leadLostForm(l: LeadRef, reasons: Option[]): Form<typeof lostFormSchema> {
  const fields: FormField[] = [];
  if (reasons.length) fields.push({ id: "lostReason", label: "Lost reason", kind: "select", isOptional: true, options: reasons.slice(0, 100) });
  fields.push({ id: "closingNote", label: "Closing note", kind: "textarea", isOptional: true, maxLength: MAX_CLOSING_NOTE, placeholder: "What happened? It goes into the history." });
  return {
    id: LEAD_LOST_FORM_ID,
    title: `Mark ${leadReference(l)} lost`.slice(0, 24),
    submitLabel: "Mark lost",
    context: leadActionContext(l),
    schema: lostFormSchema,
    fields,
  };
}

const optionalText = (max: number, label: string) => z.string().max(max, `${label} is limited to ${max.toLocaleString("en")} characters.`).optional();

export function editFormSchema(timeZone: string) {
  return z.object({
    title: requiredText("Give the opportunity a title.").max(MAX_TITLE, `Keep the title under ${MAX_TITLE} characters.`),
    expectedRevenue: z
      .string()
      .regex(/^\d+(\.\d{1,2})?$/, "Expected revenue is an amount of 0 or more, like 12500 or 12500.50.")
      .transform(Number)
      .pipe(z.number().max(MAX_REVENUE, "That amount is too large."))
      .optional(),
    probability: z
      .string({ message: "Give the probability, from 0 to 100." })
      .regex(/^\d{1,3}$/, "Probability is a whole number from 0 to 100.")
      .transform(Number)
      .pipe(z.number().max(100, "Probability is a whole number from 0 to 100.")),
    priority: z.enum(["0", "1", "2", "3"], { message: "Choose low, medium, high or very high." }).default("0").transform(Number),
    nextAction: optionalText(500, "The next action"),
    nextActionAt: dateField(timeZone, "Use a date and time like 2026-11-30 17:00.").optional(),
    expectedCloseAt: dateField(timeZone, "Use a date and time like 2026-12-15 17:00.").optional(),
    tags: z
      .string()
      .max(1000, "Too many tags.")
      .transform((v) => [...new Set(v.split(",").map((t) => t.trim().replace(/^#+/, "").trim()).filter(Boolean))])
      .refine((tags) => tags.length <= MAX_TAGS, `At most ${MAX_TAGS} tags.`)
      .refine((tags) => tags.every((t) => t.length <= MAX_TAG), `A tag has at most ${MAX_TAG} characters.`)
      .optional(),
    contactName: optionalText(200, "The contact name"),
    companyName: optionalText(200, "The company name"),
    email: z.string().max(254, "That email address is too long.").refine((v) => normalizeEmail(v) !== undefined, "That is not an email address, e.g. jane@acme.com.").optional(),
    phone: z.string().max(40, "A phone number has at most 40 characters.").refine((v) => sanitizePhone(v) !== undefined, "Use a phone number with at least 6 digits, e.g. +49 30 1234567.").optional(),
    channel: z.string().uuid("Choose a channel from the list.").optional(),
    campaign: z.string().uuid("Choose a campaign from the list.").optional(),
  });
}

export type LeadEditInput = z.infer<ReturnType<typeof editFormSchema>>;

export interface LeadEditPrefill {
  title: string;
  expectedRevenue: number | null;
  probability: number;
  priority: number;
  nextAction: string | null;
  nextActionAt: Date | null;
  expectedCloseAt: Date | null;
  tags: string[];
  contactName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  channelId: string | null;
  campaignId: string | null;
}

/**
 * Empty fields clear the value they show: the form is prefilled with everything it can change. The channel and
 * campaign selects are left out when there is nothing to choose (Slack refuses an empty select); `forSubmit` keeps them.
 */
export function leadEditForm(l: LeadRef, timeZone: string, p: LeadEditPrefill, choices: { channels: Option[]; campaigns: Option[]; forSubmit?: boolean } = { channels: [], campaigns: [] }): Form<ReturnType<typeof editFormSchema>> {
  const text = (id: string, label: string, initial: string | null, maxLength: number, extra: Partial<FormField> = {}): FormField => ({ id, label, kind: "text", isOptional: true, maxLength, ...(initial ? { initial } : {}), ...extra });
  const hint = `Your time zone: ${timeZone}`;
  return {
    id: LEAD_EDIT_FORM_ID,
    title: `Edit ${leadReference(l)}`.slice(0, 24),
    submitLabel: "Save",
    context: leadActionContext(l),
    schema: editFormSchema(timeZone),
    fields: [
      { id: "title", label: "Title", kind: "text", initial: p.title, maxLength: MAX_TITLE },
      text("expectedRevenue", "Expected revenue", p.expectedRevenue === null ? null : String(p.expectedRevenue), 20, { placeholder: "12500" }),
      { id: "probability", label: "Probability (%)", kind: "number", initial: String(p.probability) },
      { id: "priority", label: "Priority", kind: "select", initial: String(p.priority), options: LEAD_PRIORITY_LABELS.map((label, i) => ({ value: String(i), label })) },
      text("nextAction", "Next action", p.nextAction, 500),
      { id: "nextActionAt", label: "Next action date", kind: "datetime", isOptional: true, hint, ...(p.nextActionAt ? { initial: p.nextActionAt.toISOString() } : {}) },
      { id: "expectedCloseAt", label: "Expected closing", kind: "datetime", isOptional: true, hint, ...(p.expectedCloseAt ? { initial: p.expectedCloseAt.toISOString() } : {}) },
      text("tags", "Tags", p.tags.join(", ") || null, 1000, { hint: "Comma separated, e.g. renewal, enterprise" }),
      text("contactName", "Contact name", p.contactName, 200),
      text("companyName", "Company", p.companyName, 200),
      text("email", "Email", p.email, 254),
      text("phone", "Phone", p.phone, 40),
      ...(choices.channels.length || choices.forSubmit ? [{ id: "channel", label: "Channel", kind: "select" as const, isOptional: true, options: choices.channels.slice(0, 100), ...(p.channelId ? { initial: p.channelId } : {}) }] : []),
      ...(choices.campaigns.length || choices.forSubmit ? [{ id: "campaign", label: "Campaign", kind: "select" as const, isOptional: true, options: choices.campaigns.slice(0, 100), ...(p.campaignId ? { initial: p.campaignId } : {}) }] : []),
    ],
  };
}
