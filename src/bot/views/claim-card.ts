// The claim card (fields, repairs, files, watchers, buttons) and claim lists.
import { claimReference, formatBytes, STATE_LABEL, type ClaimActionType, type ClaimKind, type ClaimPriority, type ClaimState } from "../../domain/claims.js";
import { watcherList } from "../../domain/cases.js";
import { formatDateTime } from "../../domain/time.js";
import { emailSummaryBlock, type EmailSummary } from "./email-summary.js";
import { escapeMarkup, truncate, type Action, type Block, type MessageView } from "./view.js";

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

export interface ClaimCardData extends ClaimLine {
  description: string | null;
  sourceDocument: string | null;
  sourceLink: string | null;
  deadline: Date | null;
  rootCause: string | null;
  resolution: string | null;
  actionType: ClaimActionType | null;
  category: { name: string } | null;
  team: { name: string } | null;
  repairs: { id: string; title: string; doneAt: Date | null; assignee: { name: string } | null }[];
  attachments: { fileName: string; size: number }[];
  watchers?: { email: string | null; user: { name: string } | null }[];
  /** The claim's email count and latest email, if it has any. */
  emails?: EmailSummary;
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
  blocks.push(...emailSummaryBlock(claim.emails, now));
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
  const email: Action = { id: "claim.email", label: "✉ Reply by email", value: v, opensForm: true };
  if (claim.state === "settled" || claim.state === "rejected") return [{ id: "claim.reopen", label: "Reopen", value: v }, email, ...watch];
  const actions: Action[] = [
    { id: "claim.assign-me", label: "Assign to me", value: v },
    { id: "claim.reassign", label: "Reassign", value: v, opensForm: true },
  ];
  if (claim.state === "new") actions.push({ id: "claim.start", label: "In progress", value: v });
  actions.push(
    { id: "claim.note", label: "Add note (internal)", value: v, opensForm: true },
    email,
    { id: "claim.root-cause", label: "Root cause", value: v, opensForm: true },
    { id: "claim.repair", label: "Add repair", value: v, opensForm: true },
  );
  const open = claim.repairs.filter((r) => !r.doneAt).slice(0, 3);
  for (const r of open) actions.push({ id: "claim.repair-done", label: `Done: ${r.title}`.slice(0, 70), value: `${v}:${r.id}` });
  actions.push({ id: "claim.edit", label: "Edit", value: v, opensForm: true }, { id: "claim.close", label: "Close", value: v, opensForm: true, style: "primary" }, ...watch);
  return actions;
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
