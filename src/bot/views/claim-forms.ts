// Claim forms: open a claim, the small forms behind the card's buttons (note, root cause, repair, reassign, close), Edit and Add watcher.
import { z } from "zod";
import type { ClaimEditable, ClaimKind } from "../../domain/claims.js";
import { dateField } from "./date-field.js";
import { requiredText } from "./form-values.js";
import type { Form } from "./view.js";
import { watcherForm, type watcherFormSchema } from "./watcher-form.js";

export const CLAIM_FORM_ID = "claim.form";
export const CLAIM_NOTE_FORM_ID = "claim.note-form";
export const CLAIM_ROOT_CAUSE_FORM_ID = "claim.root-cause-form";
export const CLAIM_REPAIR_FORM_ID = "claim.repair-form";
export const CLAIM_CLOSE_FORM_ID = "claim.close-form";
export const CLAIM_REASSIGN_FORM_ID = "claim.reassign-form";
export const CLAIM_EDIT_FORM_ID = "claim.edit-form";
export const CLAIM_WATCHER_FORM_ID = "claim.watcher-form";

const PRIORITY_OPTIONS = [
  { value: "low", label: "Low" },
  { value: "medium", label: "Medium" },
  { value: "high", label: "High" },
  { value: "urgent", label: "Urgent" },
];

export interface ClaimFormPrefill {
  kind?: ClaimKind;
  subject?: string;
  description?: string;
  sourceLink?: string;
  /** Platform file references of the message the claim is opened from, kept through the form. */
  files?: string;
  intro?: string;
  title?: string;
}

export function claimFormSchema(timeZone: string) {
  return z.object({
    kind: z.enum(["customer", "supplier"], { message: "Choose customer or supplier." }).default("customer"),
    subject: requiredText("Say what the claim is about.").max(500, "Keep the subject under 500 characters; use the description for details."),
    partner: z.string().max(300, "That partner name is too long.").optional(),
    category: z.string().uuid("Choose a category from the list.").optional(),
    sourceDocument: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, "A source document is a number like INV-2026-0042 or SO123 (letters, digits, - / . _; at most 64).")
      .optional(),
    responsible: z.string().uuid("Choose a person from the list.").optional(),
    deadline: dateField(timeZone, "Use a date and time like 2026-11-24 10:00.").optional(),
    priority: z.enum(["low", "medium", "high", "urgent"], { message: "Choose low, medium, high or urgent." }).default("medium"),
    description: z.string().max(5000, "The description is limited to 5,000 characters.").optional(),
  });
}

export function claimForm(timeZone: string, me: { id: string; name: string }, categories: { id: string; name: string }[], prefill: ClaimFormPrefill = {}): Form<ReturnType<typeof claimFormSchema>> {
  const context: Record<string, string> = {};
  if (prefill.sourceLink) context.sourceLink = prefill.sourceLink;
  if (prefill.files) context.files = prefill.files;
  return {
    id: CLAIM_FORM_ID,
    title: prefill.title ?? "Open a claim",
    submitLabel: "Open claim",
    intro: prefill.intro,
    context,
    schema: claimFormSchema(timeZone),
    fields: [
      { id: "kind", label: "Kind", kind: "radio", initial: prefill.kind ?? "customer", options: [{ value: "customer", label: "Customer claim" }, { value: "supplier", label: "Supplier claim" }] },
      { id: "subject", label: "Subject", kind: "text", placeholder: "What went wrong?", initial: prefill.subject, maxLength: 500 },
      { id: "partner", label: "Partner", kind: "search", searchSource: "partners", isOptional: true, placeholder: "Customer or supplier; a new name creates it" },
      { id: "category", label: "Category", kind: "select", isOptional: true, options: categories.map((c) => ({ value: c.id, label: c.name })), hint: "Routes the claim to the category's team." },
      { id: "sourceDocument", label: "Source document", kind: "text", isOptional: true, placeholder: "INV-2026-0042, SO123…", maxLength: 64 },
      { id: "responsible", label: "Responsible", kind: "search", searchSource: "users", isOptional: true, initial: me.id, options: [{ value: me.id, label: me.name }] },
      { id: "deadline", label: "Deadline", kind: "datetime", isOptional: true, hint: `Your time zone: ${timeZone}` },
      { id: "priority", label: "Priority", kind: "select", initial: "medium", options: PRIORITY_OPTIONS },
      { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: prefill.description, maxLength: 5000 },
    ],
  };
}

/** `context` of the button forms: the claim and the version the card showed. */
const claimContext = (claimId: string, version: number) => ({ claimId, version: String(version) });

export const noteSchema = z.object({ note: requiredText("Write the note.").max(3000, "A note is limited to 3,000 characters.") });
export function noteForm(claimId: string, version: number): Form<typeof noteSchema> {
  const intro = "*Internal note — not emailed.* Only colleagues see it, on the claim. To write to the customer, use “✉ Reply by email”.";
  return { id: CLAIM_NOTE_FORM_ID, title: "Internal note", submitLabel: "Add", intro, context: claimContext(claimId, version), schema: noteSchema, fields: [{ id: "note", label: "Note", kind: "textarea", maxLength: 3000 }] };
}

export const rootCauseSchema = z.object({ rootCause: requiredText("Describe the root cause.").max(3000, "Keep the root cause under 3,000 characters.") });
export function rootCauseForm(claimId: string, version: number, current?: string | null): Form<typeof rootCauseSchema> {
  return {
    id: CLAIM_ROOT_CAUSE_FORM_ID,
    title: "Root cause",
    submitLabel: "Save",
    context: claimContext(claimId, version),
    schema: rootCauseSchema,
    fields: [{ id: "rootCause", label: "Root cause", kind: "textarea", initial: current ?? undefined, maxLength: 3000 }],
  };
}

export const repairSchema = z.object({
  title: requiredText("Name the repair.").max(300, "Keep the repair's title under 300 characters."),
  assignee: z.string().uuid("Choose a person from the list.").optional(),
});
export function repairForm(claimId: string, version: number): Form<typeof repairSchema> {
  return {
    id: CLAIM_REPAIR_FORM_ID,
    title: "Add repair",
    submitLabel: "Add",
    context: claimContext(claimId, version),
    schema: repairSchema,
    fields: [
      { id: "title", label: "Repair", kind: "text", placeholder: "Replace the 3 broken units", maxLength: 300 },
      { id: "assignee", label: "Assignee", kind: "search", searchSource: "users", isOptional: true },
    ],
  };
}

export const reassignSchema = z.object({ responsible: z.string({ message: "Choose who becomes responsible." }).uuid("Choose a person from the list.") });
export function reassignForm(claimId: string, version: number): Form<typeof reassignSchema> {
  return {
    id: CLAIM_REASSIGN_FORM_ID,
    title: "Reassign claim",
    submitLabel: "Reassign",
    context: claimContext(claimId, version),
    schema: reassignSchema,
    fields: [{ id: "responsible", label: "Responsible", kind: "search", searchSource: "users", hint: "They get a direct message with the claim." }],
  };
}

export const closeSchema = z.object({
  outcome: z.enum(["settled", "rejected"], { message: "Choose settled or rejected." }),
  resolution: requiredText("Say how the claim was resolved.").max(3000, "Keep the resolution under 3,000 characters."),
  rootCause: z.string().max(3000, "Keep the root cause under 3,000 characters.").optional(),
  actionType: z.enum(["corrective", "preventive"], { message: "Choose corrective or preventive." }).optional(),
});
export function closeForm(claimId: string, version: number, rootCause?: string | null): Form<typeof closeSchema> {
  return {
    id: CLAIM_CLOSE_FORM_ID,
    title: "Close claim",
    submitLabel: "Close",
    context: claimContext(claimId, version),
    schema: closeSchema,
    fields: [
      { id: "outcome", label: "Outcome", kind: "radio", initial: "settled", options: [{ value: "settled", label: "Settled" }, { value: "rejected", label: "Rejected" }] },
      { id: "resolution", label: "Resolution", kind: "textarea", placeholder: "What was done for the partner", maxLength: 3000 },
      { id: "rootCause", label: "Root cause", kind: "textarea", isOptional: true, initial: rootCause ?? undefined, maxLength: 3000 },
      { id: "actionType", label: "Action type", kind: "select", isOptional: true, options: [{ value: "corrective", label: "Corrective" }, { value: "preventive", label: "Preventive" }] },
    ],
  };
}

export function claimEditSchema(timeZone: string) {
  return claimFormSchema(timeZone).pick({ subject: true, category: true, deadline: true, priority: true, sourceDocument: true, description: true });
}

export interface ClaimEditData extends ClaimEditable {
  id: string;
  version: number;
}

/** "Edit" on a claim card; a new category re-routes the claim to that category's team. */
export function claimEditForm(claim: ClaimEditData, timeZone: string, categories: { id: string; name: string }[]): Form<ReturnType<typeof claimEditSchema>> {
  return {
    id: CLAIM_EDIT_FORM_ID,
    title: "Edit claim",
    submitLabel: "Save",
    context: claimContext(claim.id, claim.version),
    schema: claimEditSchema(timeZone),
    fields: [
      { id: "subject", label: "Subject", kind: "text", initial: claim.subject, maxLength: 500 },
      { id: "category", label: "Category", kind: "select", isOptional: true, options: categories.map((c) => ({ value: c.id, label: c.name })), ...(claim.categoryId ? { initial: claim.categoryId } : {}), hint: "A new category moves the claim to its team." },
      { id: "deadline", label: "Deadline", kind: "datetime", isOptional: true, initial: claim.deadline?.toISOString(), hint: `Your time zone: ${timeZone}` },
      { id: "priority", label: "Priority", kind: "select", initial: claim.priority, options: PRIORITY_OPTIONS },
      { id: "sourceDocument", label: "Source document", kind: "text", isOptional: true, initial: claim.sourceDocument ?? undefined, placeholder: "INV-2026-0042, SO123…", maxLength: 64 },
      { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: claim.description ?? undefined, maxLength: 5000 },
    ],
  };
}

export function claimWatcherForm(claimId: string, version: number): Form<typeof watcherFormSchema> {
  return watcherForm(CLAIM_WATCHER_FORM_ID, "Add a watcher", claimContext(claimId, version));
}
