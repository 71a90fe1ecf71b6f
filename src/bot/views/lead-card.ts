// The lead / opportunity card: contact, pipeline fields, duplicates with buttons to open them, recent history,
// and the buttons for its state (a lead converts; an opportunity moves, wins, loses, snoozes, merges).
import { DUPLICATE_REASON_LABELS, LEAD_PRIORITY_LABELS, leadReference, weightedRevenue, type DuplicateReason, type LeadStageKind, type LeadType } from "../../domain/leads.js";
import { formatDateTime } from "../../domain/time.js";
import { emailSummaryBlock, type EmailSummary } from "./email-summary.js";
import { escapeMarkup, truncate, type Action, type Block, type Field, type MessageView } from "./view.js";

export interface LeadCardData {
  id: string;
  number: number;
  version: number;
  type: LeadType;
  title: string;
  contactName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  tags: string[];
  channel: { code: string; name: string } | null;
  campaign: { name: string } | null;
  referredBy: string | null;
  notes: string | null;
  expectedRevenue: number | null;
  probability: number;
  priority: number;
  isOpen: boolean;
  nextAction: string | null;
  nextActionAt: Date | null;
  expectedCloseAt: Date | null;
  closingNote: string | null;
  wonAt: Date | null;
  lostAt: Date | null;
  sourceLink: string | null;
  stage: { name: string; kind: LeadStageKind };
  team: { name: string } | null;
  salesperson: { name: string } | null;
  partner: { name: string } | null;
  lostReason: { name: string } | null;
  mergedInto: { id: string; number: number; type: LeadType; title: string } | null;
  /** Latest timeline entries, newest first. */
  recent?: { summary: string; createdAt: Date }[];
  /** Open records that look like the same customer (find-duplicates.ts). */
  duplicates?: { id: string; number: number; type: LeadType; title: string; reason: DuplicateReason }[];
  /** The record's email count and latest email, if it has any. */
  emails?: EmailSummary;
}

/** Amounts as people write them: 12,500 or 12,500.5. */
export function formatMoney(amount: number): string {
  return amount.toLocaleString("en", { maximumFractionDigits: 2 });
}

export function priorityStars(priority: number): string {
  return priority > 0 ? "★".repeat(priority) : "☆";
}

export function leadCard(l: LeadCardData, timeZone: string, now: Date): MessageView {
  const ref = leadReference(l);
  if (l.mergedInto) return mergedCard(l, ref);
  const blocks: Block[] = [
    { type: "header", text: `${ref}: ${l.title}`.slice(0, 150) },
    { type: "fields", fields: mainFields(l, timeZone, now) },
  ];
  const contact = contactFields(l);
  if (contact.length) blocks.push({ type: "fields", fields: contact });
  if (l.notes) blocks.push({ type: "text", text: escapeMarkup(truncate(l.notes, 1500)) });
  if (l.stage.kind === "lost") {
    const why = [l.lostReason ? `*Lost:* ${escapeMarkup(l.lostReason.name)}` : "*Lost*", l.closingNote ? escapeMarkup(truncate(l.closingNote, 800)) : undefined].filter(Boolean).join(" — ");
    blocks.push({ type: "text", text: why });
  }
  if (l.duplicates?.length) blocks.push(...duplicateBlocks(l.duplicates));
  blocks.push(...emailSummaryBlock(l.emails, now));
  if (l.recent?.length) blocks.push({ type: "context", text: l.recent.slice(0, 3).map((e) => `${formatDateTime(e.createdAt, timeZone, now)} — ${escapeMarkup(truncate(e.summary, 200))}`).join("\n") });
  const source = l.sourceLink ? ` · <${l.sourceLink}|source message>` : "";
  blocks.push({ type: "context", text: `${ref} · ${l.type === "lead" ? "lead" : "opportunity"}${stateSuffix(l)}${source}` });
  blocks.push({ type: "actions", actions: leadButtons(l) });
  const revenue = l.expectedRevenue !== null ? `, ${formatMoney(l.expectedRevenue)}` : "";
  return { text: `${ref} ${l.title} — ${l.stage.name}${revenue}${l.salesperson ? `, ${l.salesperson.name}` : ""}`, blocks };
}

function stateSuffix(l: LeadCardData): string {
  if (l.stage.kind === "won") return " · won";
  if (l.stage.kind === "lost") return " · lost";
  return "";
}

function mainFields(l: LeadCardData, timeZone: string, now: Date): Field[] {
  const fields: Field[] = [
    { label: "Stage", value: l.stage.name },
    { label: "Salesperson", value: l.salesperson?.name ?? "Unassigned" },
    { label: "Team", value: l.team?.name ?? "—" },
    { label: "Customer", value: escapeMarkup(l.partner?.name ?? l.companyName ?? "—") },
  ];
  if (l.type === "opportunity" || l.expectedRevenue !== null) {
    const revenue = l.expectedRevenue ?? 0;
    fields.push({ label: "Expected revenue", value: l.expectedRevenue === null ? "—" : formatMoney(revenue) });
    fields.push({ label: "Probability", value: `${l.probability}% (weighted ${formatMoney(weightedRevenue(revenue, l.probability))})` });
  }
  fields.push({ label: "Priority", value: `${priorityStars(l.priority)} ${LEAD_PRIORITY_LABELS[l.priority] ?? ""}`.trim() });
  if (l.nextAction || l.nextActionAt) {
    const overdue = l.isOpen && l.nextActionAt && l.nextActionAt.getTime() < now.getTime() ? "⚠️ overdue · " : "";
    const when = l.nextActionAt ? `${overdue}${formatDateTime(l.nextActionAt, timeZone, now)}` : "";
    fields.push({ label: "Next action", value: [l.nextAction ? escapeMarkup(truncate(l.nextAction, 200)) : undefined, when || undefined].filter(Boolean).join(" — ") });
  }
  if (l.expectedCloseAt) fields.push({ label: "Expected closing", value: formatDateTime(l.expectedCloseAt, timeZone, now) });
  if (l.tags.length) fields.push({ label: "Tags", value: l.tags.map((t) => `#${escapeMarkup(t)}`).join(" ") });
  return fields;
}

function contactFields(l: LeadCardData): Field[] {
  const out: Field[] = [];
  if (l.contactName) out.push({ label: "Contact", value: escapeMarkup(l.contactName) });
  if (l.email) out.push({ label: "Email", value: escapeMarkup(l.email) });
  if (l.phone) out.push({ label: "Phone", value: escapeMarkup(l.phone) });
  const origin = [l.channel && l.channel.code !== "direct" ? escapeMarkup(l.channel.name) : undefined, l.campaign ? `campaign ${escapeMarkup(l.campaign.name)}` : undefined, l.referredBy ? `referred by ${escapeMarkup(l.referredBy)}` : undefined].filter(Boolean);
  if (origin.length) out.push({ label: "Source", value: origin.join(", ") });
  return out;
}

function duplicateBlocks(duplicates: NonNullable<LeadCardData["duplicates"]>): Block[] {
  const shown = duplicates.slice(0, 5);
  const lines = shown.map((d) => `• *${leadReference(d)}* ${escapeMarkup(truncate(d.title, 80))} (${DUPLICATE_REASON_LABELS[d.reason]})`);
  const more = duplicates.length > shown.length ? `\n…and ${duplicates.length - shown.length} more.` : "";
  return [
    { type: "text", text: `⚠️ *Possible duplicates*\n${lines.join("\n")}${more}` },
    { type: "actions", actions: shown.slice(0, 3).map((d) => ({ id: "lead.open", label: `Open ${leadReference(d)}`, value: d.id })) },
  ];
}

function mergedCard(l: LeadCardData, ref: string): MessageView {
  const into = l.mergedInto!;
  const target = leadReference(into);
  return {
    text: `${ref} ${l.title} — merged into ${target}`,
    blocks: [
      { type: "header", text: `${ref}: ${l.title}`.slice(0, 150) },
      { type: "text", text: `Merged into *${target}* ${escapeMarkup(truncate(into.title, 150))}. Its history, calls and notes are there now.` },
      { type: "actions", actions: [{ id: "lead.open", label: `Open ${target}`, value: into.id, style: "primary" }] },
    ],
  };
}

function leadButtons(l: LeadCardData): Action[] {
  const value = `${l.id}:${l.version}`;
  const email: Action = { id: "lead.email", label: "✉ Reply by email", value, opensForm: true };
  if (l.stage.kind !== "open") return [{ id: "lead.restore", label: "Restore", value }, email];
  const call: Action = { id: "lead.call", label: "Schedule call", value, opensForm: true };
  const lost: Action = { id: "lead.lost", label: "Lost", value, opensForm: true, style: "danger" };
  const edit: Action = { id: "lead.edit", label: "Edit", value, opensForm: true };
  if (l.type === "lead") return [{ id: "lead.convert", label: "Convert", value, opensForm: true, style: "primary" }, edit, email, call, lost];
  return [
    { id: "lead.won", label: "Won", value, style: "primary" },
    { id: "lead.stage", label: "Move stage", value, opensForm: true },
    { id: "lead.snooze", label: "Snooze 7 days", value },
    edit,
    email,
    call,
    { id: "meeting.new-for", label: "Schedule meeting", value: `lead:${l.id}`, opensForm: true },
    { id: "lead.merge", label: "Request merge", value, opensForm: true },
    lost,
  ];
}
