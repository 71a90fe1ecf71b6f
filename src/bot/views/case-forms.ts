// Case forms: open a case, and the small forms behind the card's buttons (note, close, stage, reassign, type, watcher).
import { z } from "zod";
import { CASE_PRIORITIES, caseReference, MAX_SUBJECT, priorityLabel, type CasePriority } from "../../domain/cases.js";
import { dateField } from "./date-field.js";
import { requiredText } from "./form-values.js";
import type { Form, FormField } from "./view.js";
import { watcherForm, type watcherFormSchema } from "./watcher-form.js";

export const CASE_FORM_ID = "case.form";
export const CASE_NOTE_FORM_ID = "case.note-form";
export const CASE_CLOSE_FORM_ID = "case.close-form";
export const CASE_STAGE_FORM_ID = "case.stage-form";
export const CASE_REASSIGN_FORM_ID = "case.reassign-form";
export const CASE_TYPE_FORM_ID = "case.type-form";
export const CASE_EDIT_FORM_ID = "case.edit-form";
export const CASE_WATCHER_FORM_ID = "case.watcher-form";

type Option = { value: string; label: string };

export function caseFormSchema(timeZone: string) {
  return z.object({
    subject: requiredText("Say what the case is about.").max(MAX_SUBJECT, `Keep the subject under ${MAX_SUBJECT} characters; use the description for details.`),
    description: z.string().max(5000, "The description is limited to 5,000 characters.").optional(),
    type: z.string().optional(),
    team: z.string().optional(),
    priority: z.enum(CASE_PRIORITIES as [CasePriority, ...CasePriority[]], { message: "Choose low, medium, high or urgent." }).default("medium"),
    partner: z.string().max(300, "That partner name is too long.").optional(),
    assignee: z.string().optional(),
    channel: z.string().uuid("Choose a channel from the list.").optional(),
    campaign: z.string().uuid("Choose a campaign from the list.").optional(),
    internal: z.enum(["yes", "no"], { message: "Choose yes or no." }).default("no"),
    plannedCloseAt: dateField(timeZone, "Use a date and time like 2026-11-30 17:00.").optional(),
  });
}

export type CaseFormInput = z.infer<ReturnType<typeof caseFormSchema>>;

export interface CaseFormPrefill {
  subject?: string;
  description?: string;
  priority?: CasePriority;
  teamId?: string;
  partner?: Option;
  /** The channel selected at first (Chat: the case is opened from chat). */
  channelId?: string;
  intro?: string;
  title?: string;
  context?: Record<string, string>;
}

/** The form's lists; channels and campaigns come from channel-choices.ts (switched on, running). */
export interface CaseFormChoices {
  types: Option[];
  teams: Option[];
  channels: Option[];
  campaigns: Option[];
}

/**
 * A select with no options cannot be shown (Slack refuses it), so the type, team, channel and campaign fields are left
 * out when there are none yet; `forSubmit` keeps every field, to read a submission.
 */
export function caseForm(timeZone: string, choices: CaseFormChoices, prefill: CaseFormPrefill = {}, opts: { forSubmit?: boolean } = {}): Form<ReturnType<typeof caseFormSchema>> {
  const form = caseFormAllFields(timeZone, choices, prefill);
  return opts.forSubmit ? form : { ...form, fields: form.fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0) };
}

function caseFormAllFields(timeZone: string, choices: CaseFormChoices, prefill: CaseFormPrefill): Form<ReturnType<typeof caseFormSchema>> {
  return {
    id: CASE_FORM_ID,
    title: prefill.title ?? "Open a case",
    submitLabel: "Open case",
    intro: prefill.intro,
    context: prefill.context ?? {},
    schema: caseFormSchema(timeZone),
    fields: [
      { id: "subject", label: "Subject", kind: "text", placeholder: "What is the problem?", initial: prefill.subject, maxLength: MAX_SUBJECT },
      { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: prefill.description, maxLength: 5000 },
      { id: "type", label: "Case type", kind: "select", isOptional: true, options: choices.types.slice(0, 100), hint: "The type's team takes the case." },
      { id: "team", label: "Team", kind: "select", isOptional: true, options: choices.teams.slice(0, 100), initial: prefill.teamId },
      priorityField(prefill.priority ?? "medium"),
      customerField(prefill.partner),
      { id: "assignee", label: "Assignee", kind: "search", searchSource: "users", isOptional: true, placeholder: "Type a name or email" },
      { id: "channel", label: "Channel", kind: "select", isOptional: true, options: choices.channels.slice(0, 100), ...(prefill.channelId && choices.channels.some((c) => c.value === prefill.channelId) ? { initial: prefill.channelId } : {}), hint: "How the customer reached you." },
      { id: "campaign", label: "Campaign", kind: "select", isOptional: true, options: choices.campaigns.slice(0, 100) },
      internalField(false),
      { id: "plannedCloseAt", label: "Planned close", kind: "datetime", isOptional: true, hint: `Your time zone: ${timeZone}` },
    ],
  };
}

/** The fields the case form and the Edit form share. */
export function priorityField(initial: CasePriority): FormField {
  return { id: "priority", label: "Priority", kind: "select", initial, options: CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) })) };
}

export function customerField(current: Option | undefined): FormField {
  return {
    id: "partner",
    label: "Customer",
    kind: "search",
    searchSource: "partners",
    isOptional: true,
    placeholder: "Type a company or person; a new name creates it",
    ...(current ? { initial: current.value, options: [current] } : {}),
  };
}

export function internalField(isInternal: boolean): FormField {
  return { id: "internal", label: "Internal case (only the team sees it)", kind: "radio", initial: isInternal ? "yes" : "no", options: [{ value: "no", label: "No" }, { value: "yes", label: "Yes" }] };
}

/** `context` of the button forms: the case and the version the card showed. */
export const actionContext = (c: { id: string; version: number }) => ({ caseId: c.id, version: String(c.version) });

export const noteFormSchema = z.object({ note: requiredText("Write the note.").max(3000, "A note is limited to 3,000 characters.") });
export const closeFormSchema = z.object({
  resolution: requiredText("Say how the case was resolved.").max(3000, "The resolution is limited to 3,000 characters."),
});
export const stageFormSchema = z.object({ stage: requiredText("Choose a stage.") });
export const reassignFormSchema = z.object({ assignee: requiredText("Choose who takes the case.") });
export const typeFormSchema = z.object({ type: requiredText("Choose a case type.") });

type CaseRef = { id: string; number: number; version: number };

/** A small form behind a card button: it carries the case and the version the card showed. */
function caseActionForm<S extends z.ZodTypeAny>(c: CaseRef, form: { id: string; title: string; submitLabel: string; schema: S; fields: FormField[]; intro?: string }): Form<S> {
  const { id, title, submitLabel, schema, fields, intro } = form;
  return { id, title, submitLabel, context: actionContext(c), schema, fields, ...(intro !== undefined ? { intro } : {}) };
}

export function noteForm(c: CaseRef): Form<typeof noteFormSchema> {
  return caseActionForm(c, {
    id: CASE_NOTE_FORM_ID,
    title: `Internal note ${caseReference(c.number)}`,
    submitLabel: "Add note",
    schema: noteFormSchema,
    fields: [{ id: "note", label: "Note", kind: "textarea", maxLength: 3000 }],
    intro: "*Internal note — not emailed.* Only colleagues see it, on the case. To write to the customer, use “✉ Reply by email”.",
  });
}

export function closeForm(c: CaseRef): Form<typeof closeFormSchema> {
  return caseActionForm(c, {
    id: CASE_CLOSE_FORM_ID,
    title: `Close ${caseReference(c.number)}`,
    submitLabel: "Close case",
    schema: closeFormSchema,
    fields: [{ id: "resolution", label: "Resolution", kind: "textarea", placeholder: "What was done to solve it?", maxLength: 3000 }],
  });
}

export function stageForm(c: CaseRef & { stageId: string }, stages: { id: string; name: string }[]): Form<typeof stageFormSchema> {
  return caseActionForm(c, {
    id: CASE_STAGE_FORM_ID,
    title: `Stage of ${caseReference(c.number)}`,
    submitLabel: "Change stage",
    schema: stageFormSchema,
    fields: [{ id: "stage", label: "Stage", kind: "select", initial: c.stageId, options: stages.map((s) => ({ value: s.id, label: s.name })) }],
    intro: "Moving to a completed or cancelled stage closes the case.",
  });
}

export function reassignForm(c: CaseRef, current?: Option): Form<typeof reassignFormSchema> {
  return caseActionForm(c, {
    id: CASE_REASSIGN_FORM_ID,
    title: `Reassign ${caseReference(c.number)}`,
    submitLabel: "Reassign",
    schema: reassignFormSchema,
    fields: [{ id: "assignee", label: "Assignee", kind: "search", searchSource: "users", placeholder: "Type a name or email", ...(current ? { initial: current.value, options: [current] } : {}) }],
  });
}

export function typeForm(c: CaseRef & { typeId: string | null }, types: Option[]): Form<typeof typeFormSchema> {
  return caseActionForm(c, {
    id: CASE_TYPE_FORM_ID,
    title: `Type of ${caseReference(c.number)}`,
    submitLabel: "Change type",
    schema: typeFormSchema,
    fields: [{ id: "type", label: "Case type", kind: "select", options: types.slice(0, 100), ...(c.typeId ? { initial: c.typeId } : {}) }],
    intro: "The case moves to the team of the new type; both teams are told.",
  });
}

export function caseWatcherForm(c: CaseRef): Form<typeof watcherFormSchema> {
  return watcherForm(CASE_WATCHER_FORM_ID, `Watcher of ${caseReference(c.number)}`, actionContext(c));
}
