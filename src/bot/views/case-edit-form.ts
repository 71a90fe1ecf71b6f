// The case's Edit form: the case form's own fields plus coordinator, contact and the planning and money details.
import { z } from "zod";
import { caseReference, MAX_SUBJECT, readDecimal } from "../../domain/cases.js";
import type { CaseCardData, CaseDetailFields } from "./case-card.js";
import { actionContext, CASE_EDIT_FORM_ID, caseFormSchema, customerField, internalField, priorityField } from "./case-forms.js";
import { dateField } from "./date-field.js";
import type { Form } from "./view.js";

function decimal(label: string, min: number, max: number, opts: { integer?: boolean } = {}) {
  const range = `${label} is a number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}${opts.integer ? " (whole)" : ""}.`;
  return z
    .string()
    .transform((v, ctx) => {
      const n = readDecimal(v);
      if (n === undefined || n < min || n > max || (opts.integer && !Number.isInteger(n))) {
        ctx.addIssue({ code: "custom", message: range });
        return z.NEVER;
      }
      return n;
    })
    .optional();
}

const shortText = (label: string) => z.string().max(100, `Keep the ${label} under 100 characters.`).optional();

export function editFormSchema(timeZone: string) {
  return caseFormSchema(timeZone)
    .pick({ subject: true, description: true, priority: true, partner: true, internal: true, plannedCloseAt: true })
    .extend({
      coordinator: z.string().uuid("Choose the coordinator from the list.").optional(),
      contact: z.string().max(300, "That contact name is too long.").optional(),
      category: shortText("category"),
      caseClass: shortText("class"),
      startAt: dateField(timeZone, "Use a date and time like 2026-11-30 09:00.").optional(),
      estimatedHours: decimal("Estimated hours", 0, 10000),
      complexity: z.enum(["1", "2", "3", "4", "5"], { message: "Choose a complexity from 1 to 5." }).transform(Number).optional(),
      billable: z.enum(["yes", "no"], { message: "Choose yes or no." }).default("no"),
      expectedRevenue: decimal("Expected revenue", 0, 1_000_000_000),
      expectedCost: decimal("Expected cost", 0, 1_000_000_000),
      probability: decimal("Probability", 0, 100, { integer: true }),
      channel: z.string().uuid("Choose a channel from the list.").optional(),
      campaign: z.string().uuid("Choose a campaign from the list.").optional(),
    });
}

/** The card's own fields, with ids for the customer and the people (the form's initial options). */
export interface CaseEditData extends Pick<CaseCardData, "id" | "number" | "version" | "subject" | "description" | "priority" | "isInternal" | "plannedCloseAt">, CaseDetailFields {
  partner: { id: string; name: string } | null;
  coordinator?: { id: string; name: string } | null;
  contact?: { id: string; name: string } | null;
  channelId?: string | null;
  campaignId?: string | null;
}

type Option = { value: string; label: string };

const COMPLEXITY_LABEL = ["1 — simple", "2", "3 — average", "4", "5 — very complex"];

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? undefined : String(n));

/**
 * The channel and campaign selects are left out when there is nothing to choose (Slack refuses an empty select);
 * `forSubmit` keeps them, to read a submission.
 */
export function editForm(c: CaseEditData, timeZone: string, choices: { channels: Option[]; campaigns: Option[]; forSubmit?: boolean } = { channels: [], campaigns: [] }): Form<ReturnType<typeof editFormSchema>> {
  return {
    id: CASE_EDIT_FORM_ID,
    title: `Edit ${caseReference(c.number)}`,
    submitLabel: "Save",
    context: actionContext(c),
    schema: editFormSchema(timeZone),
    fields: [
      { id: "subject", label: "Subject", kind: "text", initial: c.subject, maxLength: MAX_SUBJECT },
      { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: c.description ?? undefined, maxLength: 5000 },
      priorityField(c.priority),
      customerField(c.partner ? { value: c.partner.id, label: c.partner.name } : undefined),
      internalField(c.isInternal),
      { id: "plannedCloseAt", label: "Planned close", kind: "datetime", isOptional: true, initial: c.plannedCloseAt?.toISOString(), hint: `Your time zone: ${timeZone}` },
      {
        id: "coordinator",
        label: "Coordinator",
        kind: "search",
        searchSource: "users",
        isOptional: true,
        placeholder: "Type a name or email",
        ...(c.coordinator ? { initial: c.coordinator.id, options: [{ value: c.coordinator.id, label: c.coordinator.name }] } : {}),
      },
      {
        id: "contact",
        label: "Contact",
        kind: "search",
        searchSource: "partners",
        isOptional: true,
        placeholder: "The person to talk to; a new name creates it",
        ...(c.contact ? { initial: c.contact.id, options: [{ value: c.contact.id, label: c.contact.name }] } : {}),
      },
      { id: "category", label: "Category", kind: "text", isOptional: true, initial: c.category ?? undefined, maxLength: 100 },
      { id: "caseClass", label: "Class", kind: "text", isOptional: true, initial: c.caseClass ?? undefined, maxLength: 100 },
      { id: "startAt", label: "Start date", kind: "datetime", isOptional: true, initial: c.startAt?.toISOString(), hint: `Your time zone: ${timeZone}` },
      // Decimal amounts are text fields: Slack's number input is whole numbers only here (is_decimal_allowed is off).
      { id: "estimatedHours", label: "Estimated hours", kind: "text", maxLength: 12, isOptional: true, initial: numberText(c.estimatedHours), placeholder: "0 to 10,000, e.g. 2.5" },
      { id: "complexity", label: "Complexity", kind: "select", isOptional: true, initial: numberText(c.complexity), options: COMPLEXITY_LABEL.map((label, i) => ({ value: String(i + 1), label })) },
      { id: "billable", label: "Billable", kind: "radio", initial: c.isBillable ? "yes" : "no", options: [{ value: "no", label: "No" }, { value: "yes", label: "Yes" }] },
      { id: "expectedRevenue", label: "Expected revenue", kind: "text", isOptional: true, initial: numberText(c.expectedRevenue), placeholder: "e.g. 2500 or 2500.50", maxLength: 16 },
      { id: "expectedCost", label: "Expected cost", kind: "text", isOptional: true, initial: numberText(c.expectedCost), placeholder: "e.g. 1200 or 1200.50", maxLength: 16 },
      { id: "probability", label: "Probability (%)", kind: "number", isOptional: true, initial: numberText(c.probability), placeholder: "0 to 100" },
      ...(choices.channels.length || choices.forSubmit ? [{ id: "channel", label: "Channel", kind: "select" as const, isOptional: true, options: choices.channels.slice(0, 100), ...(c.channelId ? { initial: c.channelId } : {}) }] : []),
      ...(choices.campaigns.length || choices.forSubmit ? [{ id: "campaign", label: "Campaign", kind: "select" as const, isOptional: true, options: choices.campaigns.slice(0, 100), ...(c.campaignId ? { initial: c.campaignId } : {}) }] : []),
    ],
    intro: "To move the case to another team, use Change type.",
  };
}
