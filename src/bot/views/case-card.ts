// The case card (fields, details set through Edit, watchers, recent timeline, buttons) and the list of a person's cases.
import { caseReference, priorityLabel, watcherList, type CasePriority, type StageKind } from "../../domain/cases.js";
import { contractReference } from "../../domain/contracts.js";
import { formatDateTime } from "../../domain/time.js";
import { CASE_LINK_CONTRACT } from "./contract-forms.js";
import { emailSummaryBlock, type EmailSummary } from "./email-summary.js";
import { escapeMarkup, formatMinutes, truncate, type Action, type Block, type MessageView } from "./view.js";

/** The plain-value fields set through Edit: shown on the card once set, and the Edit form's initial values. */
export interface CaseDetailFields {
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

export interface CaseCardData extends CaseDetailFields {
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
  /** Where it came from (a Channel and Campaign record); Direct and Chat, the usual ways in, are not shown. */
  channel?: { code: string; name: string } | null;
  campaign?: { name: string } | null;
  /** The contract the work is done under. */
  contract?: { number: number } | null;
  /** The case's email count and latest email, if it has any. */
  emails?: EmailSummary;
}

const PRIORITY_ICON: Record<CasePriority, string> = { low: "▫️", medium: "🔹", high: "🔸", urgent: "🔴" };

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
  blocks.push(...emailSummaryBlock(c.emails, now));
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
  const source = [c.channel && !["direct", "chat"].includes(c.channel.code) ? escapeMarkup(c.channel.name) : undefined, c.campaign ? `campaign ${escapeMarkup(c.campaign.name)}` : undefined].filter(Boolean);
  if (source.length) out.push({ label: "Source", value: source.join(", ") });
  if (c.contract) out.push({ label: "Contract", value: contractReference(c.contract.number) });
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

/** An internal note and an email to the customer: side by side, labelled so nobody mistakes one for the other. */
function noteAndEmailButtons(value: string): Action[] {
  return [
    { id: "case.note", label: "Add note (internal)", value, opensForm: true },
    { id: "case.email", label: "✉ Reply by email", value, opensForm: true },
  ];
}

function caseButtons(c: CaseCardData): Action[] {
  const value = `${c.id}:${c.version}`;
  if (!c.isOpen) return [{ id: "case.reopen", label: "Reopen", value }, ...noteAndEmailButtons(value), ...watchButtons(value)];
  return [
    { id: "case.assign-me", label: "Assign to me", value, style: "primary" },
    { id: "case.reassign", label: "Reassign", value, opensForm: true },
    { id: "case.stage", label: "Change stage", value, opensForm: true },
    { id: "case.edit", label: "Edit", value, opensForm: true },
    { id: "case.change-type", label: "Change type", value, opensForm: true },
    { id: "case.log-time", label: "Log time", value, opensForm: true },
    { id: CASE_LINK_CONTRACT, label: "Contract", value, opensForm: true },
    { id: "meeting.new-for", label: "Schedule meeting", value: `case:${c.id}`, opensForm: true },
    ...noteAndEmailButtons(value),
    { id: "case.escalate", label: "Escalate", value },
    { id: "case.close", label: "Close", value, opensForm: true, style: "danger" },
    ...watchButtons(value),
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
