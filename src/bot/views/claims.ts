// Claim views: the claim form and the small forms behind the card's buttons, the claim card, and claim lists.
import { z } from "zod";
import { claimReference, formatBytes, STATE_LABEL, type ClaimActionType, type ClaimKind, type ClaimPriority, type ClaimState } from "../../domain/claims.js";
import { watcherList } from "../../domain/cases.js";
import { formatDateTime, fromLocalInput } from "../../domain/time.js";
import { watcherForm, type watcherFormSchema } from "./cases.js";
import { escapeMarkup } from "./calls.js";
import type { Action, Block, Form, MessageView } from "./view.js";

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

function dateSchema(timeZone: string, message: string) {
  return z.string().transform((v, ctx) => {
    const at = /Z$|[+-]\d{2}:\d{2}$/.test(v) ? new Date(v) : fromLocalInput(v, timeZone);
    if (!at || Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return at;
  });
}

export function claimFormSchema(timeZone: string) {
  return z.object({
    kind: z.enum(["customer", "supplier"], { message: "Choose customer or supplier." }).default("customer"),
    subject: z.string({ message: "Say what the claim is about." }).min(1, "Say what the claim is about.").max(500, "Keep the subject under 500 characters; use the description for details."),
    partner: z.string().max(300, "That partner name is too long.").optional(),
    category: z.string().uuid("Choose a category from the list.").optional(),
    sourceDocument: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/, "A source document is a number like INV-2026-0042 or SO123 (letters, digits, - / . _; at most 64).")
      .optional(),
    responsible: z.string().uuid("Choose a person from the list.").optional(),
    deadline: dateSchema(timeZone, "Use a date and time like 2026-11-24 10:00.").optional(),
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

export const noteSchema = z.object({ note: z.string({ message: "Write the note." }).min(1, "Write the note.").max(3000, "A note is limited to 3,000 characters.") });
export function noteForm(claimId: string, version: number): Form<typeof noteSchema> {
  return { id: CLAIM_NOTE_FORM_ID, title: "Add note", submitLabel: "Add", context: claimContext(claimId, version), schema: noteSchema, fields: [{ id: "note", label: "Note", kind: "textarea", maxLength: 3000 }] };
}

export const rootCauseSchema = z.object({ rootCause: z.string({ message: "Describe the root cause." }).min(1, "Describe the root cause.").max(3000, "Keep the root cause under 3,000 characters.") });
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
  title: z.string({ message: "Name the repair." }).min(1, "Name the repair.").max(300, "Keep the repair's title under 300 characters."),
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
  resolution: z.string({ message: "Say how the claim was resolved." }).min(1, "Say how the claim was resolved.").max(3000, "Keep the resolution under 3,000 characters."),
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

export interface ClaimEditData {
  id: string;
  version: number;
  subject: string;
  categoryId: string | null;
  deadline: Date | null;
  priority: ClaimPriority;
  sourceDocument: string | null;
  description: string | null;
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

export interface ClaimCardData {
  id: string;
  number: number;
  kind: ClaimKind;
  subject: string;
  state: ClaimState;
  priority: ClaimPriority;
  description: string | null;
  sourceDocument: string | null;
  sourceLink: string | null;
  deadline: Date | null;
  rootCause: string | null;
  resolution: string | null;
  actionType: ClaimActionType | null;
  version: number;
  partner: { name: string } | null;
  category: { name: string } | null;
  team: { name: string } | null;
  responsible: { name: string } | null;
  repairs: { id: string; title: string; doneAt: Date | null; assignee: { name: string } | null }[];
  attachments: { fileName: string; size: number }[];
  watchers?: { email: string | null; user: { name: string } | null }[];
}

export const claimCardInclude = {
  partner: { select: { name: true } },
  category: { select: { name: true } },
  team: { select: { name: true } },
  responsible: { select: { name: true } },
  repairs: { select: { id: true, title: true, doneAt: true, assignee: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
  attachments: { select: { fileName: true, size: true }, orderBy: { createdAt: "asc" } },
  watchers: { select: { id: true, userId: true, email: true, user: { select: { name: true } } }, orderBy: { id: "asc" } },
} as const;

export function claimCard(claim: ClaimCardData, timeZone: string, now: Date, notes: string[] = []): MessageView {
  const ref = claimReference(claim.number);
  const kind = claim.kind === "supplier" ? "Supplier claim" : "Claim";
  const who = claim.partner?.name ?? "no partner";
  const fields = [
    { label: "State", value: STATE_LABEL[claim.state] },
    { label: "Priority", value: capitalise(claim.priority) },
    { label: "Responsible", value: claim.responsible?.name ?? "nobody yet" },
    { label: "Team", value: claim.team?.name ?? "none" },
    ...(claim.category ? [{ label: "Category", value: claim.category.name }] : []),
    ...(claim.sourceDocument ? [{ label: "Source document", value: claim.sourceDocument }] : []),
    ...(claim.deadline ? [{ label: "Deadline", value: formatDateTime(claim.deadline, timeZone, now) }] : []),
    ...(claim.actionType ? [{ label: "Action type", value: capitalise(claim.actionType) }] : []),
  ];
  const blocks: Block[] = [
    { type: "header", text: `${kind} ${ref}: ${who}` },
    { type: "text", text: `*${escapeMarkup(claim.subject)}*` },
    { type: "fields", fields },
  ];
  if (claim.description) blocks.push({ type: "text", text: escapeMarkup(truncate(claim.description, 2000)) });
  if (claim.rootCause) blocks.push({ type: "text", text: `*Root cause:* ${escapeMarkup(truncate(claim.rootCause, 1000))}` });
  if (claim.resolution) blocks.push({ type: "text", text: `*Resolution:* ${escapeMarkup(truncate(claim.resolution, 1000))}` });
  if (claim.repairs.length) {
    const lines = claim.repairs.map((r) => `${r.doneAt ? "✅" : "▫️"} ${escapeMarkup(r.title)}${r.assignee ? ` (${r.assignee.name})` : ""}`);
    blocks.push({ type: "text", text: `*Repairs*\n${lines.join("\n")}` });
  }
  if (claim.attachments.length) {
    blocks.push({ type: "text", text: `*Files*\n${claim.attachments.map((a) => `📎 ${escapeMarkup(a.fileName)} (${formatBytes(a.size)})`).join("\n")}` });
  }
  if (claim.watchers?.length) blocks.push({ type: "context", text: `👀 Watching: ${escapeMarkup(truncate(watcherList(claim.watchers), 500))}` });
  for (const note of notes) blocks.push({ type: "context", text: escapeMarkup(note) });
  const source = claim.sourceLink ? ` · <${claim.sourceLink}|from this message>` : "";
  blocks.push({ type: "context", text: `${ref}${source}` });
  blocks.push({ type: "actions", actions: claimActions(claim) });
  return { text: `${kind} ${ref} (${STATE_LABEL[claim.state]}): ${who} — ${claim.subject}`, blocks };
}

function claimActions(claim: ClaimCardData): Action[] {
  const v = `${claim.id}:${claim.version}`;
  const watch: Action[] = [
    { id: "claim.watch", label: "Watch", value: v },
    { id: "claim.unwatch", label: "Stop watching", value: v },
    { id: "claim.add-watcher", label: "Add watcher", value: v, opensForm: true },
  ];
  if (claim.state === "settled" || claim.state === "rejected") return [{ id: "claim.reopen", label: "Reopen", value: v }, ...watch];
  const actions: Action[] = [
    { id: "claim.assign-me", label: "Assign to me", value: v },
    { id: "claim.reassign", label: "Reassign", value: v, opensForm: true },
  ];
  if (claim.state === "new") actions.push({ id: "claim.start", label: "In progress", value: v });
  actions.push(
    { id: "claim.note", label: "Add note", value: v, opensForm: true },
    { id: "claim.root-cause", label: "Root cause", value: v, opensForm: true },
    { id: "claim.repair", label: "Add repair", value: v, opensForm: true },
  );
  const open = claim.repairs.filter((r) => !r.doneAt).slice(0, 3);
  for (const r of open) actions.push({ id: "claim.repair-done", label: `Done: ${r.title}`.slice(0, 70), value: `${v}:${r.id}` });
  actions.push({ id: "claim.edit", label: "Edit", value: v, opensForm: true }, { id: "claim.close", label: "Close", value: v, opensForm: true, style: "primary" }, ...watch);
  return actions;
}

export interface ClaimLine {
  id: string;
  number: number;
  kind: ClaimKind;
  subject: string;
  state: ClaimState;
  priority: ClaimPriority;
  version: number;
  partner: { name: string } | null;
  responsible: { name: string } | null;
}

export function claimListView(title: string, sections: { heading: string; claims: ClaimLine[] }[], empty: string): MessageView {
  const blocks: Block[] = [{ type: "header", text: title }];
  let count = 0;
  for (const section of sections) {
    if (!section.claims.length) continue;
    blocks.push({ type: "text", text: `*${section.heading}*` });
    for (const c of section.claims.slice(0, 10)) {
      count++;
      blocks.push({ type: "text", text: claimLine(c) });
      blocks.push({ type: "actions", actions: [{ id: "claim.show", label: `Open ${claimReference(c.number)}`, value: c.id }] });
    }
    if (section.claims.length > 10) blocks.push({ type: "context", text: `…and ${section.claims.length - 10} more.` });
  }
  if (count === 0) blocks.push({ type: "text", text: empty });
  return { text: `${title}: ${sections.reduce((n, s) => n + s.claims.length, 0)}`, blocks };
}

export function claimLine(c: ClaimLine): string {
  const supplier = c.kind === "supplier" ? " · supplier" : "";
  return `*${claimReference(c.number)}* ${escapeMarkup(c.partner?.name ?? "No partner")}: ${escapeMarkup(c.subject)}\n${STATE_LABEL[c.state]} · ${capitalise(c.priority)}${supplier} · ${c.responsible?.name ?? "unassigned"}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
