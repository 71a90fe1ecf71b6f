// Case views: the case card, the case form and the small action forms (note, close, stage, reassign, type), my cases.
import { z } from "zod";
import { CASE_ORIGINS, CASE_PRIORITIES, caseReference, MAX_SUBJECT, priorityLabel, type CasePriority, type StageKind } from "../../domain/cases.js";
import { formatDateTime, fromLocalInput } from "../../domain/time.js";
import { escapeMarkup } from "./calls.js";
import type { Action, Block, Form, MessageView } from "./view.js";

export const CASE_FORM_ID = "case.form";
export const CASE_NOTE_FORM_ID = "case.note-form";
export const CASE_CLOSE_FORM_ID = "case.close-form";
export const CASE_STAGE_FORM_ID = "case.stage-form";
export const CASE_REASSIGN_FORM_ID = "case.reassign-form";
export const CASE_TYPE_FORM_ID = "case.type-form";
export const CASE_EDIT_FORM_ID = "case.edit-form";

type Option = { value: string; label: string };

export interface CaseCardData {
  id: string;
  number: number;
  version: number;
  subject: string;
  description: string | null;
  priority: CasePriority;
  isOpen: boolean;
  isInternal: boolean;
  level: number;
  progress: number;
  plannedCloseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  closedAt: Date | null;
  resolution: string | null;
  sourceLink: string | null;
  createdAt: Date;
  team: { name: string };
  type: { name: string } | null;
  stage: { name: string; kind: StageKind };
  assignee: { name: string } | null;
  partner: { name: string } | null;
  /** Total minutes of time entries, if any. */
  minutesSpent?: number;
  /** Latest timeline entries, newest first. */
  recent?: { summary: string; createdAt: Date }[];
}

const PRIORITY_ICON: Record<CasePriority, string> = { low: "▫️", medium: "🔹", high: "🔸", urgent: "🔴" };

function optionalDate(timeZone: string, message: string) {
  return z
    .string()
    .transform((v, ctx) => {
      const at = /Z$|[+-]\d{2}:\d{2}$/.test(v) ? new Date(v) : fromLocalInput(v, timeZone);
      if (!at || Number.isNaN(at.getTime())) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return at;
    })
    .optional();
}

export function caseFormSchema(timeZone: string) {
  return z.object({
    subject: z.string({ message: "Say what the case is about." }).min(1, "Say what the case is about.").max(MAX_SUBJECT, `Keep the subject under ${MAX_SUBJECT} characters; use the description for details.`),
    description: z.string().max(5000, "The description is limited to 5,000 characters.").optional(),
    type: z.string().optional(),
    team: z.string().optional(),
    priority: z.enum(CASE_PRIORITIES as [CasePriority, ...CasePriority[]], { message: "Choose low, medium, high or urgent." }).default("medium"),
    partner: z.string().max(300, "That partner name is too long.").optional(),
    assignee: z.string().optional(),
    origin: z.enum(CASE_ORIGINS as [string, ...string[]], { message: `Choose one of: ${CASE_ORIGINS.join(", ")}.` }).default("chat"),
    internal: z.enum(["yes", "no"], { message: "Choose yes or no." }).default("no"),
    plannedCloseAt: optionalDate(timeZone, "Use a date and time like 2026-11-30 17:00."),
  });
}

export type CaseFormInput = z.infer<ReturnType<typeof caseFormSchema>>;

export interface CaseFormPrefill {
  subject?: string;
  description?: string;
  priority?: CasePriority;
  teamId?: string;
  partner?: Option;
  intro?: string;
  title?: string;
  context?: Record<string, string>;
}

/**
 * A select with no options cannot be shown (Slack refuses it), so the type and team fields are left out
 * when there are no types or teams yet; `forSubmit` keeps every field, to read a submission.
 */
export function caseForm(timeZone: string, choices: { types: Option[]; teams: Option[] }, prefill: CaseFormPrefill = {}, opts: { forSubmit?: boolean } = {}): Form<ReturnType<typeof caseFormSchema>> {
  const form = caseFormAllFields(timeZone, choices, prefill);
  return opts.forSubmit ? form : { ...form, fields: form.fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0) };
}

function caseFormAllFields(timeZone: string, choices: { types: Option[]; teams: Option[] }, prefill: CaseFormPrefill): Form<ReturnType<typeof caseFormSchema>> {
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
      { id: "priority", label: "Priority", kind: "select", initial: prefill.priority ?? "medium", options: CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) })) },
      {
        id: "partner",
        label: "Customer",
        kind: "search",
        searchSource: "partners",
        isOptional: true,
        placeholder: "Type a company or person; a new name creates it",
        ...(prefill.partner ? { initial: prefill.partner.value, options: [prefill.partner] } : {}),
      },
      { id: "assignee", label: "Assignee", kind: "search", searchSource: "users", isOptional: true, placeholder: "Type a name or email" },
      { id: "origin", label: "Origin", kind: "select", initial: "chat", options: CASE_ORIGINS.map((o) => ({ value: o, label: o[0]!.toUpperCase() + o.slice(1) })) },
      { id: "internal", label: "Internal case (only the team sees it)", kind: "radio", initial: "no", options: [{ value: "no", label: "No" }, { value: "yes", label: "Yes" }] },
      { id: "plannedCloseAt", label: "Planned close", kind: "datetime", isOptional: true, hint: `Your time zone: ${timeZone}` },
    ],
  };
}

const actionContext = (c: { id: string; version: number }) => ({ caseId: c.id, version: String(c.version) });

export const noteFormSchema = z.object({ note: z.string({ message: "Write the note." }).min(1, "Write the note.").max(3000, "A note is limited to 3,000 characters.") });
export const closeFormSchema = z.object({
  resolution: z.string({ message: "Say how the case was resolved." }).min(1, "Say how the case was resolved.").max(3000, "The resolution is limited to 3,000 characters."),
});
export const stageFormSchema = z.object({ stage: z.string({ message: "Choose a stage." }).min(1, "Choose a stage.") });
export const reassignFormSchema = z.object({ assignee: z.string({ message: "Choose who takes the case." }).min(1, "Choose who takes the case.") });
export const typeFormSchema = z.object({ type: z.string({ message: "Choose a case type." }).min(1, "Choose a case type.") });

export function noteForm(c: { id: string; number: number; version: number }): Form<typeof noteFormSchema> {
  return {
    id: CASE_NOTE_FORM_ID,
    title: `Note on ${caseReference(c.number)}`,
    submitLabel: "Add note",
    context: actionContext(c),
    schema: noteFormSchema,
    fields: [{ id: "note", label: "Note", kind: "textarea", maxLength: 3000 }],
  };
}

export function closeForm(c: { id: string; number: number; version: number }): Form<typeof closeFormSchema> {
  return {
    id: CASE_CLOSE_FORM_ID,
    title: `Close ${caseReference(c.number)}`,
    submitLabel: "Close case",
    context: actionContext(c),
    schema: closeFormSchema,
    fields: [{ id: "resolution", label: "Resolution", kind: "textarea", placeholder: "What was done to solve it?", maxLength: 3000 }],
  };
}

export function stageForm(c: { id: string; number: number; version: number; stageId: string }, stages: { id: string; name: string }[]): Form<typeof stageFormSchema> {
  return {
    id: CASE_STAGE_FORM_ID,
    title: `Stage of ${caseReference(c.number)}`,
    submitLabel: "Change stage",
    context: actionContext(c),
    schema: stageFormSchema,
    fields: [{ id: "stage", label: "Stage", kind: "select", initial: c.stageId, options: stages.map((s) => ({ value: s.id, label: s.name })) }],
    intro: "Moving to a completed or cancelled stage closes the case.",
  };
}

export function reassignForm(c: { id: string; number: number; version: number }, current?: Option): Form<typeof reassignFormSchema> {
  return {
    id: CASE_REASSIGN_FORM_ID,
    title: `Reassign ${caseReference(c.number)}`,
    submitLabel: "Reassign",
    context: actionContext(c),
    schema: reassignFormSchema,
    fields: [{ id: "assignee", label: "Assignee", kind: "search", searchSource: "users", placeholder: "Type a name or email", ...(current ? { initial: current.value, options: [current] } : {}) }],
  };
}

export function typeForm(c: { id: string; number: number; version: number; typeId: string | null }, types: Option[]): Form<typeof typeFormSchema> {
  return {
    id: CASE_TYPE_FORM_ID,
    title: `Type of ${caseReference(c.number)}`,
    submitLabel: "Change type",
    context: actionContext(c),
    schema: typeFormSchema,
    fields: [{ id: "type", label: "Case type", kind: "select", options: types.slice(0, 100), ...(c.typeId ? { initial: c.typeId } : {}) }],
    intro: "The case moves to the team of the new type; both teams are told.",
  };
}

export function editFormSchema(timeZone: string) {
  return caseFormSchema(timeZone).pick({ subject: true, description: true, priority: true, partner: true, internal: true, plannedCloseAt: true });
}

export interface CaseEditData {
  id: string;
  number: number;
  version: number;
  subject: string;
  description: string | null;
  priority: CasePriority;
  isInternal: boolean;
  plannedCloseAt: Date | null;
  partner: { id: string; name: string } | null;
}

export function editForm(c: CaseEditData, timeZone: string): Form<ReturnType<typeof editFormSchema>> {
  return {
    id: CASE_EDIT_FORM_ID,
    title: `Edit ${caseReference(c.number)}`,
    submitLabel: "Save",
    context: actionContext(c),
    schema: editFormSchema(timeZone),
    fields: [
      { id: "subject", label: "Subject", kind: "text", initial: c.subject, maxLength: MAX_SUBJECT },
      { id: "description", label: "Description", kind: "textarea", isOptional: true, initial: c.description ?? undefined, maxLength: 5000 },
      { id: "priority", label: "Priority", kind: "select", initial: c.priority, options: CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) })) },
      {
        id: "partner",
        label: "Customer",
        kind: "search",
        searchSource: "partners",
        isOptional: true,
        placeholder: "Type a company or person; a new name creates it",
        ...(c.partner ? { initial: c.partner.id, options: [{ value: c.partner.id, label: c.partner.name }] } : {}),
      },
      { id: "internal", label: "Internal case (only the team sees it)", kind: "radio", initial: c.isInternal ? "yes" : "no", options: [{ value: "no", label: "No" }, { value: "yes", label: "Yes" }] },
      { id: "plannedCloseAt", label: "Planned close", kind: "datetime", isOptional: true, initial: c.plannedCloseAt?.toISOString(), hint: `Your time zone: ${timeZone}` },
    ],
    intro: "To move the case to another team, use Change type.",
  };
}

export function caseCard(c: CaseCardData, timeZone: string, now: Date): MessageView {
  const ref = caseReference(c.number);
  const fields = [
    { label: "Team", value: c.team.name },
    { label: "Type", value: c.type?.name ?? "—" },
    { label: "Priority", value: `${PRIORITY_ICON[c.priority]} ${priorityLabel(c.priority)}` },
    { label: "Stage", value: c.stage.name },
    { label: "Assignee", value: c.assignee?.name ?? "Unassigned" },
    { label: "Customer", value: c.partner?.name ?? "—" },
    { label: "Level", value: String(c.level) },
    { label: "Progress", value: `${c.progress}%` },
    ...(c.plannedCloseAt ? [{ label: "Planned close", value: formatDateTime(c.plannedCloseAt, timeZone, now) }] : []),
    ...(c.isOpen && c.firstResponseDueAt ? [{ label: "First response due", value: formatDateTime(c.firstResponseDueAt, timeZone, now) }] : []),
    ...(c.isOpen && c.resolutionDueAt ? [{ label: "Resolution due", value: formatDateTime(c.resolutionDueAt, timeZone, now) }] : []),
    ...(c.minutesSpent ? [{ label: "Time spent", value: formatMinutes(c.minutesSpent) }] : []),
  ];
  const blocks: Block[] = [
    { type: "header", text: `${ref}: ${c.subject}`.slice(0, 150) },
    { type: "fields", fields },
  ];
  if (c.description) blocks.push({ type: "text", text: escapeMarkup(truncate(c.description, 1500)) });
  if (!c.isOpen && c.resolution) blocks.push({ type: "text", text: `*Resolution:* ${escapeMarkup(truncate(c.resolution, 1000))}` });
  if (c.recent?.length) blocks.push({ type: "context", text: c.recent.slice(0, 3).map((e) => `${formatDateTime(e.createdAt, timeZone, now)} — ${escapeMarkup(truncate(e.summary, 200))}`).join("\n") });
  const source = c.sourceLink ? ` · <${c.sourceLink}|source message>` : "";
  blocks.push({ type: "context", text: `${ref}${c.isInternal ? " · internal" : ""}${c.isOpen ? "" : " · closed"}${source}` });
  blocks.push({ type: "actions", actions: caseButtons(c) });
  const state = c.isOpen ? c.stage.name : `closed (${c.stage.name})`;
  return { text: `${ref} ${c.subject} — ${c.team.name}, ${priorityLabel(c.priority)}, ${state}`, blocks };
}

function caseButtons(c: CaseCardData): Action[] {
  const value = `${c.id}:${c.version}`;
  if (!c.isOpen) return [{ id: "case.reopen", label: "Reopen", value }, { id: "case.note", label: "Add note", value, opensForm: true }];
  return [
    { id: "case.assign-me", label: "Assign to me", value, style: "primary" },
    { id: "case.reassign", label: "Reassign", value, opensForm: true },
    { id: "case.stage", label: "Change stage", value, opensForm: true },
    { id: "case.edit", label: "Edit", value, opensForm: true },
    { id: "case.change-type", label: "Change type", value, opensForm: true },
    { id: "case.log-time", label: "Log time", value, opensForm: true },
    { id: "case.note", label: "Add note", value, opensForm: true },
    { id: "case.escalate", label: "Escalate", value },
    { id: "case.close", label: "Close", value, opensForm: true, style: "danger" },
  ];
}

export function casesListView(cases: CaseCardData[], total: number, timeZone: string, now: Date, title = "Your open cases"): MessageView {
  if (total === 0) return { text: `${title}: none`, blocks: [{ type: "header", text: title }, { type: "text", text: "No open cases are assigned to you. Open one with `/crm case`." }] };
  const blocks: Block[] = [{ type: "header", text: `${title} (${total})` }];
  for (const c of cases) {
    const customer = c.partner ? ` · ${escapeMarkup(c.partner.name)}` : "";
    const due = c.resolutionDueAt ? ` · due ${formatDateTime(c.resolutionDueAt, timeZone, now)}` : "";
    blocks.push({
      type: "text",
      text: `${PRIORITY_ICON[c.priority]} *${caseReference(c.number)}* ${escapeMarkup(c.subject)}\n${c.stage.name} · ${c.team.name}${customer}${c.level ? ` · level ${c.level}` : ""}${due}`,
    });
    blocks.push({ type: "actions", actions: [{ id: "case.open", label: "Open", value: c.id }] });
  }
  if (total > cases.length) blocks.push({ type: "context", text: `…and ${total - cases.length} more.` });
  return { text: `${title}: ${total}`, blocks };
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
