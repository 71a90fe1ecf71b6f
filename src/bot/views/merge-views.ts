// Merge requests: the request form, the decider's card with a preview of the merged record, the decided card,
// the requester's confirmation, and the reject form.
import { z } from "zod";
import { MAX_MERGE } from "../../domain/leads.js";
import { mergeRequestReference } from "../../domain/merge.js";
import { formatDateTime } from "../../domain/time.js";
import { requiredText } from "./form-values.js";
import { escapeMarkup, truncate, type Action, type Block, type Form, type MessageView } from "./view.js";

export const MERGE_REQUEST_FORM_ID = "merge.request-form";
export const MERGE_REJECT_FORM_ID = "merge.reject-form";
export const MAX_MERGE_REASON = 1000;

const UUID = /^[0-9a-f-]{36}$/i;

export const mergeRequestFormSchema = z.object({
  leadIds: requiredText(`Choose the records to merge (2 to ${MAX_MERGE}).`).transform((v, ctx) => {
    const ids = v.split(",").map((s) => s.trim()).filter(Boolean);
    if (!ids.every((id) => UUID.test(id))) {
      ctx.addIssue({ code: "custom", message: "Those choices are not records any more; open the form again." });
      return z.NEVER;
    }
    return ids;
  }),
  reason: requiredText("Say why these records should be merged.").max(MAX_MERGE_REASON, `Keep the reason under ${MAX_MERGE_REASON} characters.`),
});

export const mergeRejectFormSchema = z.object({
  reason: requiredText("Say why the merge is rejected; the requester is told.").max(MAX_MERGE_REASON, `Keep the reason under ${MAX_MERGE_REASON} characters.`),
});

/** `options` are the records that may be chosen (value = lead id, label = "OPP-0010 Title"); `checked` are ticked. */
export function mergeRequestForm(options: { value: string; label: string }[], checked: string[], intro?: string): Form<typeof mergeRequestFormSchema> {
  return {
    id: MERGE_REQUEST_FORM_ID,
    title: "Request a merge",
    submitLabel: "Ask a manager",
    intro: intro ?? `Choose 2 to ${MAX_MERGE} records. A manager of the team approves or rejects the merge; you are told either way.`,
    context: {},
    schema: mergeRequestFormSchema,
    fields: [
      { id: "leadIds", label: "Records to merge", kind: "checkboxes", options: options.slice(0, 10), initial: checked.join(",") },
      { id: "reason", label: "Why merge them?", kind: "textarea", placeholder: "Same customer, asked twice…", maxLength: MAX_MERGE_REASON },
    ],
  };
}

export function mergeRejectForm(request: { id: string; number: number; version: number }): Form<typeof mergeRejectFormSchema> {
  return {
    id: MERGE_REJECT_FORM_ID,
    title: `Reject ${mergeRequestReference(request.number)}`,
    submitLabel: "Reject",
    context: { requestId: request.id, version: String(request.version) },
    schema: mergeRejectFormSchema,
    fields: [{ id: "reason", label: "Why not?", kind: "textarea", placeholder: "They are different deals…", maxLength: MAX_MERGE_REASON }],
  };
}

export type MergeRequestState = "pending" | "approved" | "rejected" | "cancelled";

export interface MergePreviewLine {
  label: string;
  value: string;
  /** References of the records the value came from. */
  sources: string[];
}

export interface MergeRequestCardData {
  id: string;
  number: number;
  version: number;
  state: MergeRequestState;
  requesterName: string;
  reason: string;
  teamName: string | null;
  survivor: { id: string; ref: string; title: string };
  others: { id: string; ref: string; title: string }[];
  lines: MergePreviewLine[];
  deciderNames: string[];
  decidedByName?: string | null;
  decidedAt?: Date | null;
  decisionNote?: string | null;
  /** Why the preview was refreshed (a record changed since the request), shown above it. */
  warning?: string;
  /** False when the records can no longer be merged (one was won or merged elsewhere): only Reject remains. */
  canApprove: boolean;
}

const requestValue = (r: { id: string; version: number }) => `${r.id}:${r.version}`;

/** The card deciders get (DM and managers' channel): who asks, why, and the merged record field by field. */
export function mergeRequestCard(r: MergeRequestCardData): MessageView {
  const ref = mergeRequestReference(r.number);
  const blocks: Block[] = [
    { type: "header", text: `Merge request ${ref}` },
    { type: "text", text: `*${escapeMarkup(r.requesterName)}* asks to merge ${mergedList(r)} into *${r.survivor.ref}* ${escapeMarkup(truncate(r.survivor.title, 150))}.\n*Reason:* ${escapeMarkup(truncate(r.reason, 800))}` },
  ];
  if (r.warning) blocks.push({ type: "text", text: `⚠️ ${escapeMarkup(r.warning)}` });
  blocks.push({ type: "text", text: previewText(r) });
  blocks.push({ type: "context", text: `${ref} · ${r.teamName ? `team ${escapeMarkup(r.teamName)}` : "no team"} · decided by ${escapeMarkup(r.deciderNames.join(", ") || "an admin")}` });
  const actions: Action[] = [];
  if (r.canApprove) actions.push({ id: "merge.approve", label: "Approve", value: requestValue(r), style: "primary" });
  actions.push({ id: "merge.reject", label: "Reject", value: requestValue(r), style: "danger", opensForm: true });
  actions.push({ id: "lead.open", label: `Open ${r.survivor.ref}`, value: r.survivor.id });
  blocks.push({ type: "actions", actions });
  return { text: `Merge request ${ref}: ${r.requesterName} asks to merge ${r.others.map((o) => o.ref).join(", ")} into ${r.survivor.ref}`, blocks };
}

/** The answer to the requester: what was sent to whom, the preview, and a Withdraw button. */
export function mergeRequestedView(r: MergeRequestCardData): MessageView {
  const ref = mergeRequestReference(r.number);
  const line = `📨 ${ref} sent to ${r.deciderNames.join(", ") || "the admins"} for approval: ${mergedList(r)} into *${r.survivor.ref}*.`;
  return {
    text: `${ref} sent for approval: ${r.others.map((o) => o.ref).join(", ")} into ${r.survivor.ref}`,
    blocks: [
      { type: "text", text: line },
      { type: "text", text: previewText(r) },
      { type: "actions", actions: [{ id: "merge.cancel", label: "Withdraw", value: requestValue(r) }] },
    ],
  };
}

const STATE_WORDS: Record<Exclude<MergeRequestState, "pending">, string> = { approved: "approved", rejected: "rejected", cancelled: "withdrawn" };

/** "MRG-0003 was approved by Mia at Tue 24 Nov, 15:02": the same line answers a late click. */
export function decisionLine(r: Pick<MergeRequestCardData, "number" | "state" | "decidedByName" | "decidedAt">, timeZone: string, now: Date, opts: { already?: boolean } = {}): string {
  if (r.state === "pending") return `${mergeRequestReference(r.number)} is waiting for a decision.`;
  const by = r.decidedByName ? ` by ${r.decidedByName}` : "";
  const at = r.decidedAt ? ` at ${formatDateTime(r.decidedAt, timeZone, now)}${timeZone === "UTC" ? " UTC" : ""}` : "";
  return `${mergeRequestReference(r.number)} was ${opts.already ? "already " : ""}${STATE_WORDS[r.state]}${by}${at}`;
}

/** The card once decided (replaces the request card everywhere; also the requester's DM). */
export function mergeDecidedCard(r: MergeRequestCardData, timeZone: string, now: Date): MessageView {
  const ref = mergeRequestReference(r.number);
  const icon = r.state === "approved" ? "✅" : r.state === "rejected" ? "❌" : "↩️";
  const outcome =
    r.state === "approved"
      ? `${mergedList(r)} ${r.others.length === 1 ? "was" : "were"} merged into *${r.survivor.ref}* ${escapeMarkup(truncate(r.survivor.title, 150))}.`
      : `${mergedList(r)} and *${r.survivor.ref}* stay as they were.`;
  const blocks: Block[] = [
    { type: "header", text: `Merge request ${ref}: ${r.state === "cancelled" ? "withdrawn" : r.state}` },
    { type: "text", text: `${icon} ${escapeMarkup(decisionLine(r, timeZone, now))}. ${outcome}` },
  ];
  if (r.state === "rejected" && r.decisionNote) blocks.push({ type: "text", text: `*Why:* ${escapeMarkup(truncate(r.decisionNote, 800))}` });
  blocks.push({ type: "context", text: `Requested by ${escapeMarkup(r.requesterName)}: ${escapeMarkup(truncate(r.reason, 300))}` });
  blocks.push({ type: "actions", actions: [{ id: "lead.open", label: `Open ${r.survivor.ref}`, value: r.survivor.id }] });
  return { text: `${decisionLine(r, timeZone, now)}: ${r.others.map((o) => o.ref).join(", ")} ${r.state === "approved" ? "merged into" : "and"} ${r.survivor.ref}`, blocks };
}

function mergedList(r: MergeRequestCardData): string {
  return r.others.map((o) => `*${o.ref}* ${escapeMarkup(truncate(o.title, 60))}`).join(", ");
}

function previewText(r: MergeRequestCardData): string {
  const lines = r.lines.map((l) => `• ${l.label}: ${escapeMarkup(truncate(l.value, 150))} — _${l.sources.join(" + ")}_`);
  return truncate(`*Merged result (${r.survivor.ref} survives)*\n${lines.join("\n")}`, 2900);
}
