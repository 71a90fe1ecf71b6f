// Phone call views: the call form (log, edit, follow-up), the call card, and the list of my calls.
import { z } from "zod";
import { callChoices, callReference, MAX_CALL_MINUTES } from "../../domain/calls.js";
import { formatDateTime } from "../../domain/time.js";
import { dateField } from "./date-field.js";
import { requiredText } from "./form-values.js";
import { escapeMarkup, formatMinutes, truncate, type Action, type Block, type Form, type MessageView } from "./view.js";

export const CALL_FORM_ID = "call.form";

export interface CallFormPrefill {
  callId?: string;
  direction?: "inbound" | "outbound";
  state?: "held" | "planned";
  partner?: { value: string; label: string };
  contactPhone?: string;
  subject?: string;
  notes?: string;
  durationMinutes?: number;
  callAt?: Date;
  sourceLink?: string;
  intro?: string;
  title?: string;
}

/** Notes and duration, as the log-call form and the Held form both ask for them. */
const heldCallFields = {
  notes: z.string().max(3000, "Notes are limited to 3,000 characters.").optional(),
  durationMinutes: z
    .string()
    .regex(/^\d+$/, "Duration is a whole number of minutes, e.g. 20.")
    .transform(Number)
    .pipe(z.number().max(MAX_CALL_MINUTES, "A call cannot last more than 24 hours (1440 minutes)."))
    .optional(),
};

/** The form's schema reads the submitted strings; dates are read in the person's time zone. */
export function callFormSchema(timeZone: string) {
  return z.object({
    direction: z.enum(["inbound", "outbound"], { message: "Choose inbound or outbound." }).default("outbound"),
    state: z.enum(["held", "planned"], { message: "Choose held or planned." }).default("held"),
    partner: z.string().max(300, "That partner name is too long.").optional(),
    contactPhone: z
      .string()
      .max(40, "A phone number has at most 40 characters.")
      .regex(/^[+()\d\s./-]{3,}$/, "Use digits, spaces and + ( ) - . only, e.g. +49 30 1234567.")
      .optional(),
    subject: requiredText("Say what the call was about.").max(500, "Keep the subject under 500 characters; use the notes for details."),
    ...heldCallFields,
    callAt: dateField(timeZone, "Use a date and time like 2026-11-24 10:00.", "Give the date and time of the call."),
  });
}

export type CallFormInput = z.infer<ReturnType<typeof callFormSchema>>;

export function callForm(timeZone: string, now: Date, prefill: CallFormPrefill = {}): Form<ReturnType<typeof callFormSchema>> {
  const context: Record<string, string> = {};
  if (prefill.callId) context.callId = prefill.callId;
  if (prefill.sourceLink) context.sourceLink = prefill.sourceLink;
  return {
    id: CALL_FORM_ID,
    title: prefill.title ?? (prefill.callId ? "Edit call" : "Log a call"),
    submitLabel: "Save",
    intro: prefill.intro,
    context,
    schema: callFormSchema(timeZone),
    fields: [
      { id: "direction", label: "Direction", kind: "radio", initial: prefill.direction ?? "outbound", options: [{ value: "outbound", label: "Outbound" }, { value: "inbound", label: "Inbound" }] },
      { id: "state", label: "State", kind: "radio", initial: prefill.state ?? "held", options: [{ value: "held", label: "Held" }, { value: "planned", label: "Planned" }] },
      {
        id: "partner",
        label: "Partner",
        kind: "search",
        searchSource: "partners",
        isOptional: true,
        placeholder: "Type a company or person; a new name creates it",
        ...(prefill.partner ? { initial: prefill.partner.value, options: [prefill.partner] } : {}),
      },
      { id: "contactPhone", label: "Contact phone", kind: "text", isOptional: true, placeholder: "+49 30 1234567", initial: prefill.contactPhone, maxLength: 40 },
      { id: "subject", label: "Subject", kind: "text", placeholder: "What was the call about?", initial: prefill.subject, maxLength: 500 },
      { id: "notes", label: "Notes", kind: "textarea", isOptional: true, initial: prefill.notes, maxLength: 3000 },
      { id: "durationMinutes", label: "Duration (minutes)", kind: "number", isOptional: true, initial: prefill.durationMinutes?.toString() },
      { id: "callAt", label: "Date and time", kind: "datetime", initial: (prefill.callAt ?? now).toISOString(), hint: `Your time zone: ${timeZone}` },
    ],
  };
}

export interface CallCardData {
  id: string;
  number: number;
  direction: "inbound" | "outbound";
  state: "planned" | "held" | "cancelled";
  subject: string;
  notes: string | null;
  contactPhone: string | null;
  durationMinutes: number | null;
  callAt: Date;
  sourceLink: string | null;
  partner: { name: string } | null;
  owner: { name: string };
  /** Absent on cards built before calls had kinds and versions (treated as a call, version 0). */
  kind?: "call" | "voicemail";
  version?: number;
  /** The lead or opportunity the call belongs to: no "Create opportunity" then. */
  leadId?: string | null;
}

/** The value of a button that changes the call: "<id>:<version>", so a double click or a stale card acts once. */
export const callButtonValue = (call: { id: string; version?: number }) => `${call.id}:${call.version ?? 0}`;

const STATE_LABEL = { planned: "Planned", held: "Held", cancelled: "Cancelled" } as const;

export function callCard(call: CallCardData, timeZone: string, now: Date): MessageView {
  const who = call.partner?.name ?? "an unnamed partner";
  const verb =
    call.state === "planned" ? "Planned call" : call.kind === "voicemail" ? "Voicemail for" : call.state === "cancelled" ? "Cancelled call with" : call.direction === "inbound" ? "Call from" : "Call with";
  const fields = [
    { label: "When", value: formatDateTime(call.callAt, timeZone, now) },
    { label: "State", value: call.kind === "voicemail" ? `${STATE_LABEL[call.state]} · voicemail left` : STATE_LABEL[call.state] },
    { label: "Direction", value: call.direction === "inbound" ? "Inbound" : "Outbound" },
    ...(call.durationMinutes !== null ? [{ label: "Duration", value: formatMinutes(call.durationMinutes) }] : []),
    ...(call.contactPhone ? [{ label: "Phone", value: call.contactPhone }] : []),
  ];
  const blocks: Block[] = [
    { type: "header", text: `${verb} ${call.state === "planned" ? `with ${who}` : who}` },
    { type: "text", text: `*${escapeMarkup(call.subject)}*` },
    { type: "fields", fields },
  ];
  if (call.notes) blocks.push({ type: "text", text: escapeMarkup(truncate(call.notes, 2500)) });
  const source = call.sourceLink ? ` · <${call.sourceLink}|from this message>` : "";
  blocks.push({ type: "context", text: `${callReference(call.number)} · ${call.owner.name}${source}` });
  blocks.push({ type: "actions", actions: callActions(call) });
  return { text: `${verb} ${who}: ${call.subject} (${callReference(call.number)})`, blocks };
}

/**
 * A planned call: Held, Voicemail, Cancel first (OCA's states), then what can follow any call. A held call keeps Edit,
 * Create opportunity, Schedule meeting and Schedule follow-up; a cancelled one, Edit and Schedule follow-up.
 */
function callActions(call: CallCardData): Action[] {
  const choices = callChoices(call);
  const value = callButtonValue(call);
  return [
    ...(choices.canHold
      ? [
          { id: "call.held", label: "Held", value, opensForm: true, style: "primary" as const },
          { id: "call.voicemail", label: "Voicemail", value },
        ]
      : []),
    ...(choices.canCancel ? [{ id: "call.cancel", label: "Cancel call", value, style: "danger" as const }] : []),
    ...(choices.canConvert ? [{ id: "call.to-opportunity", label: "Create opportunity", value }] : []),
    ...(call.state !== "cancelled" ? [{ id: "meeting.new-for", label: "Schedule meeting", value: `call:${call.id}`, opensForm: true }] : []),
    { id: "call.follow-up", label: "Schedule follow-up", value: call.id, opensForm: true, ...(call.state === "planned" ? {} : { style: "primary" as const }) },
    { id: "call.edit", label: "Edit", value: call.id, opensForm: true },
  ];
}

export const CALL_HELD_FORM_ID = "call.held";

export function callHeldFormSchema() {
  return z.object({
    ...heldCallFields,
  });
}

/** "Held": how the call went. Left empty, the duration is the time since the call was due (OCA). */
export function callHeldForm(call: { id: string; version?: number; subject: string; notes: string | null }): Form<ReturnType<typeof callHeldFormSchema>> {
  return {
    id: CALL_HELD_FORM_ID,
    title: "Call held",
    submitLabel: "Save",
    intro: `*${escapeMarkup(truncate(call.subject, 200))}*`,
    context: { callId: call.id, version: String(call.version ?? 0) },
    schema: callHeldFormSchema(),
    fields: [
      { id: "notes", label: "Notes", kind: "textarea", isOptional: true, initial: call.notes ?? undefined, maxLength: 3000, placeholder: "What was said, what comes next" },
      { id: "durationMinutes", label: "Duration (minutes)", kind: "number", isOptional: true, hint: "Empty: the time since the call was due." },
    ],
  };
}

export function callsListView(calls: CallCardData[], timeZone: string, now: Date, title: string): MessageView {
  if (calls.length === 0) return { text: `${title}: none`, blocks: [{ type: "header", text: title }, { type: "text", text: "Nothing planned. Log or plan a call with `/crm call`." }] };
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const c of calls.slice(0, 20)) {
    const overdue = c.callAt.getTime() < now.getTime() ? " · *overdue*" : "";
    blocks.push({
      type: "text",
      text: `*${escapeMarkup(c.partner?.name ?? "No partner")}*: ${escapeMarkup(c.subject)}\n${formatDateTime(c.callAt, timeZone, now)}${overdue} · ${callReference(c.number)}`,
    });
    blocks.push({ type: "actions", actions: [{ id: "call.edit", label: "Open", value: c.id, opensForm: true }] });
  }
  if (calls.length > 20) blocks.push({ type: "context", text: `…and ${calls.length - 20} more.` });
  return { text: `${title}: ${calls.length}`, blocks };
}

export function callDueView(call: CallCardData, timeZone: string, now: Date): MessageView {
  const card = callCard(call, timeZone, now);
  return { text: `Planned call due: ${call.partner?.name ?? "call"} — ${call.subject}`, blocks: [{ type: "text", text: "⏰ *A planned call is due now.*" }, ...card.blocks] };
}
