// Case views: the case card, the case form and the small action forms (note, close, stage, reassign, type), my cases.
import { z } from "zod";
import { CASE_ORIGINS, CASE_PRIORITIES, caseReference, MAX_SUBJECT, priorityLabel, readDecimal, readWatcherChoice, watcherList, type CasePriority, type StageKind } from "../../domain/cases.js";
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
export const CASE_WATCHER_FORM_ID = "case.watcher-form";

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
  watchers?: { email: string | null; user: { name: string } | null }[];
  coordinator?: { name: string } | null;
  contact?: { name: string } | null;
  category?: string | null;
  caseClass?: string | null;
  startAt?: Date | null;
  estimatedHours?: number | null;
  complexity?: number | null;
  isBillable?: boolean;
  expectedRevenue?: number | null;
  expectedCost?: number | null;
  probability?: number | null;
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
      startAt: optionalDate(timeZone, "Use a date and time like 2026-11-30 09:00."),
      estimatedHours: decimal("Estimated hours", 0, 10000),
      complexity: z.enum(["1", "2", "3", "4", "5"], { message: "Choose a complexity from 1 to 5." }).transform(Number).optional(),
      billable: z.enum(["yes", "no"], { message: "Choose yes or no." }).default("no"),
      expectedRevenue: decimal("Expected revenue", 0, 1_000_000_000),
      expectedCost: decimal("Expected cost", 0, 1_000_000_000),
      probability: decimal("Probability", 0, 100, { integer: true }),
    });
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
  coordinator?: { id: string; name: string } | null;
  contact?: { id: string; name: string } | null;
  category?: string | null;
  caseClass?: string | null;
  startAt?: Date | null;
  estimatedHours?: number | null;
  complexity?: number | null;
  isBillable?: boolean;
  expectedRevenue?: number | null;
  expectedCost?: number | null;
  probability?: number | null;
}

const COMPLEXITY_LABEL = ["1 — simple", "2", "3 — average", "4", "5 — very complex"];

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? undefined : String(n));

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
  const details = caseDetails(c, timeZone, now);
  if (details.length) blocks.push({ type: "fields", fields: details });
  if (c.description) blocks.push({ type: "text", text: escapeMarkup(truncate(c.description, 1500)) });
  if (c.watchers?.length) blocks.push({ type: "context", text: `👀 Watching: ${escapeMarkup(truncate(watcherList(c.watchers), 500))}` });
  if (!c.isOpen && c.resolution) blocks.push({ type: "text", text: `*Resolution:* ${escapeMarkup(truncate(c.resolution, 1000))}` });
  if (c.recent?.length) blocks.push({ type: "context", text: c.recent.slice(0, 3).map((e) => `${formatDateTime(e.createdAt, timeZone, now)} — ${escapeMarkup(truncate(e.summary, 200))}`).join("\n") });
  const source = c.sourceLink ? ` · <${c.sourceLink}|source message>` : "";
  blocks.push({ type: "context", text: `${ref}${c.isInternal ? " · internal" : ""}${c.isOpen ? "" : " · closed"}${source}` });
  blocks.push({ type: "actions", actions: caseButtons(c) });
  const state = c.isOpen ? c.stage.name : `closed (${c.stage.name})`;
  return { text: `${ref} ${c.subject} — ${c.team.name}, ${priorityLabel(c.priority)}, ${state}`, blocks };
}

/** The fields set through Edit that are not empty (one compact fields block). */
function caseDetails(c: CaseCardData, timeZone: string, now: Date): { label: string; value: string }[] {
  const money = (n: number) => n.toLocaleString("en", { maximumFractionDigits: 2 });
  const out: { label: string; value: string }[] = [];
  if (c.coordinator) out.push({ label: "Coordinator", value: c.coordinator.name });
  if (c.contact) out.push({ label: "Contact", value: c.contact.name });
  if (c.category) out.push({ label: "Category", value: escapeMarkup(c.category) });
  if (c.caseClass) out.push({ label: "Class", value: escapeMarkup(c.caseClass) });
  // Every case starts when it is opened: the start is shown once it was set to another time.
  if (c.startAt && Math.abs(c.startAt.getTime() - c.createdAt.getTime()) > 60_000) out.push({ label: "Start", value: formatDateTime(c.startAt, timeZone, now) });
  if (c.estimatedHours !== null && c.estimatedHours !== undefined) out.push({ label: "Estimated", value: `${money(c.estimatedHours)} h` });
  if (c.complexity) out.push({ label: "Complexity", value: `${c.complexity}/5` });
  if (c.isBillable) out.push({ label: "Billable", value: "Yes" });
  if (c.expectedRevenue !== null && c.expectedRevenue !== undefined) out.push({ label: "Expected revenue", value: money(c.expectedRevenue) });
  if (c.expectedCost !== null && c.expectedCost !== undefined) out.push({ label: "Expected cost", value: money(c.expectedCost) });
  if (c.probability !== null && c.probability !== undefined) out.push({ label: "Probability", value: `${c.probability}%` });
  return out;
}

function watchButtons(value: string): Action[] {
  return [
    { id: "case.watch", label: "Watch", value },
    { id: "case.unwatch", label: "Stop watching", value },
    { id: "case.add-watcher", label: "Add watcher", value, opensForm: true },
  ];
}

function caseButtons(c: CaseCardData): Action[] {
  const value = `${c.id}:${c.version}`;
  if (!c.isOpen) return [{ id: "case.reopen", label: "Reopen", value }, { id: "case.note", label: "Add note", value, opensForm: true }, ...watchButtons(value)];
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
    ...watchButtons(value),
  ];
}

/** "Add watcher": a Switchboard user or an email address, exactly one (shared by cases and claims). */
export const watcherFormSchema = z
  .object({ user: z.string().optional(), email: z.string().max(254, "That email address is too long.").optional() })
  .transform((v, ctx) => {
    const read = readWatcherChoice(v);
    if (!read.ok) {
      for (const [field, message] of Object.entries(read.errors)) ctx.addIssue({ code: "custom", path: [field], message });
      return z.NEVER;
    }
    return read.value;
  });

export function watcherForm(id: string, title: string, context: Record<string, string>): Form<typeof watcherFormSchema> {
  return {
    id,
    title,
    submitLabel: "Add watcher",
    context,
    schema: watcherFormSchema,
    intro: "Watchers hear when it is reassigned, escalated, closed or reopened. Choose a person, or type an email address.",
    fields: [
      { id: "user", label: "Person", kind: "search", searchSource: "users", isOptional: true, placeholder: "Type a name or email" },
      { id: "email", label: "Or an email address", kind: "text", isOptional: true, placeholder: "name@example.com", maxLength: 254 },
    ],
  };
}

export function caseWatcherForm(c: { id: string; number: number; version: number }): Form<typeof watcherFormSchema> {
  return watcherForm(CASE_WATCHER_FORM_ID, `Watcher of ${caseReference(c.number)}`, actionContext(c));
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
