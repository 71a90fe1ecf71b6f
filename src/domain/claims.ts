// Claim rules (OCA crm_claim): references, the one-line quick form, the state machine and attachment limits.
import type { Parsed } from "./calls.js";

export type ClaimKind = "customer" | "supplier";
export type ClaimState = "new" | "in_progress" | "settled" | "rejected";
export type ClaimActionType = "corrective" | "preventive";
export type ClaimPriority = "low" | "medium" | "high" | "urgent";

export const CLAIM_PRIORITIES: ClaimPriority[] = ["low", "medium", "high", "urgent"];
export const STATE_LABEL: Record<ClaimState, string> = { new: "New", in_progress: "In progress", settled: "Settled", rejected: "Rejected" };
export const OPEN_STATES: ClaimState[] = ["new", "in_progress"];

/** Files kept with a claim: a per-file and a per-claim cap, so one claim cannot fill the database. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_CLAIM_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** A download stopped at the per-file cap: the platform said the file was smaller than it is (or did not say). */
export class AttachmentTooLarge extends Error {
  constructor() {
    super("file larger than the limit");
  }
}

export function claimReference(number: number): string {
  return `CLM-${String(number).padStart(4, "0")}`;
}

/** Reads "CLM-0042", "clm-42" or "CLM42" as a claim number (a bare number is not a claim reference). */
export function parseClaimReference(text: string): number | undefined {
  const m = /^clm-?0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export interface QuickClaim {
  kind: ClaimKind;
  partnerName: string;
  subject: string;
  /** The category as written (hyphens read as spaces), matched later against the configured names. */
  categoryName?: string;
  priority?: ClaimPriority;
  sourceDocument?: string;
}

const QUICK_CLAIM_EXAMPLE = "/crm claim Acme: 3 units arrived broken #shipment !high";
const PRIORITY_WORDS: Record<string, ClaimPriority> = { low: "low", medium: "medium", normal: "medium", high: "high", urgent: "urgent" };

/**
 * Reads "[supplier] PARTNER: what went wrong [#category] [!priority] [ref:DOCUMENT]".
 * `#customer-return` is the category "Customer return"; `supplier` as the first word makes a supplier claim.
 */
export function parseQuickClaim(text: string): Parsed<QuickClaim> {
  const colon = text.indexOf(":");
  const refColon = /\bref:/i.exec(text)?.index;
  if (colon < 0 || (refColon !== undefined && colon >= refColon)) {
    return { ok: false, reason: `Write the partner, a colon, then what went wrong, e.g. \`${QUICK_CLAIM_EXAMPLE}\`.` };
  }
  let partnerName = text.slice(0, colon).trim();
  let rest = ` ${text.slice(colon + 1)} `;
  let kind: ClaimKind = "customer";
  const supplier = /^supplier(?:\s+|$)/i.exec(partnerName);
  if (supplier) {
    kind = "supplier";
    partnerName = partnerName.slice(supplier[0].length).trim();
  }
  if (!partnerName) return { ok: false, reason: `The partner is missing before the colon, e.g. \`${QUICK_CLAIM_EXAMPLE}\`.` };
  if (partnerName.length > 200) return { ok: false, reason: "The partner name is longer than 200 characters." };

  const categories = [...rest.matchAll(/\s#([\p{L}\p{N}][\p{L}\p{N}_-]*)(?=\s)/gu)];
  if (categories.length > 1) return { ok: false, reason: "Give one #category only." };
  const categoryName = categories[0]?.[1]?.replace(/[-_]+/g, " ");
  rest = rest.replace(/\s#[\p{L}\p{N}][\p{L}\p{N}_-]*(?=\s)/gu, " ");

  const priorities = [...rest.matchAll(/\s!(\S+)(?=\s)/g)];
  if (priorities.length > 1) return { ok: false, reason: "Give one !priority only." };
  let priority: ClaimPriority | undefined;
  if (priorities[0]) {
    priority = PRIORITY_WORDS[priorities[0][1]!.toLowerCase()];
    if (!priority) return { ok: false, reason: `“!${priorities[0][1]}” is not a priority: use !low, !medium, !high or !urgent.` };
    rest = rest.replace(/\s!\S+(?=\s)/g, " ");
  }

  let sourceDocument: string | undefined;
  const ref = /\sref:(\S*)(?=\s)/i.exec(rest);
  if (ref) {
    const check = checkSourceDocument(ref[1]!);
    if (!check.ok) return check;
    sourceDocument = check.value;
    rest = rest.replace(ref[0], " ");
  }

  const subject = rest.replace(/\s{2,}/g, " ").replace(/^[,;\s]+|[,;\s]+$/g, "");
  if (!subject) return { ok: false, reason: `Say what went wrong after the colon, e.g. \`${QUICK_CLAIM_EXAMPLE}\`.` };
  if (subject.length > 500) return { ok: false, reason: "The subject is longer than 500 characters; put the details in the form's description (/crm claim)." };
  return { ok: true, value: { kind, partnerName, subject, categoryName, priority, sourceDocument } };
}

/** A source document number such as INV-2026-0042 or SO123: letters, digits and - / . _ only. */
export function checkSourceDocument(text: string): Parsed<string> {
  const value = text.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$/.test(value)) {
    return { ok: false, reason: "A source document is a number like INV-2026-0042 or SO123 (letters, digits, - / . _; at most 64)." };
  }
  return { ok: true, value };
}

/** Finds a category by name, ignoring case and treating hyphens as spaces. */
export function findCategory<T extends { name: string }>(categories: T[], written: string): T | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]+/g, " ").trim();
  return categories.find((c) => norm(c.name) === norm(written));
}

export function isOpen(state: ClaimState): boolean {
  return OPEN_STATES.includes(state);
}

export type ClaimChange =
  | { kind: "start" }
  | { kind: "close"; outcome: "settled" | "rejected"; resolution: string }
  | { kind: "reopen" };

/** new → in progress → settled | rejected; a closed claim is reopened back to in progress. A new claim may be closed at once. */
export function nextState(state: ClaimState, change: ClaimChange): Parsed<ClaimState> {
  switch (change.kind) {
    case "start":
      return state === "new" ? { ok: true, value: "in_progress" } : { ok: false, reason: `The claim is already ${STATE_LABEL[state].toLowerCase()}.` };
    case "close":
      if (!isOpen(state)) return { ok: false, reason: `The claim is already ${STATE_LABEL[state].toLowerCase()}.` };
      if (!change.resolution.trim()) return { ok: false, reason: "Closing a claim needs a resolution: say what was done." };
      return { ok: true, value: change.outcome };
    case "reopen":
      return isOpen(state) ? { ok: false, reason: "The claim is still open." } : { ok: true, value: "in_progress" };
  }
}

export interface IncomingFile {
  name: string;
  size: number;
}

/** Which files fit the caps (in order), and a note for each one skipped. */
export function planAttachments<T extends IncomingFile>(files: T[], alreadyStored = 0): { keep: T[]; skipped: string[] } {
  const keep: T[] = [];
  const skipped: string[] = [];
  let total = alreadyStored;
  for (const file of files) {
    if (file.size > MAX_ATTACHMENT_BYTES) skipped.push(`${file.name} was not kept: it is ${formatBytes(file.size)}, over the ${formatBytes(MAX_ATTACHMENT_BYTES)} limit per file.`);
    else if (total + file.size > MAX_CLAIM_ATTACHMENT_BYTES) skipped.push(`${file.name} was not kept: the claim's files would pass ${formatBytes(MAX_CLAIM_ATTACHMENT_BYTES)}.`);
    else {
      keep.push(file);
      total += file.size;
    }
  }
  return { keep, skipped };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes * 10) / 1024) / 10} KB`;
  return `${Math.round((bytes * 10) / (1024 * 1024)) / 10} MB`;
}

export interface ClaimEditable {
  subject: string;
  categoryId: string | null;
  deadline: Date | null;
  priority: ClaimPriority;
  sourceDocument: string | null;
  description: string | null;
}

/** What an Edit changes, in words for the timeline ("subject to “…”", "no deadline"); empty when nothing changes. */
export function claimEditChanges(before: ClaimEditable, after: ClaimEditable, categoryName?: string): string[] {
  const changes: string[] = [];
  if (after.subject !== before.subject) changes.push(`subject to “${after.subject}”`);
  if (after.categoryId !== before.categoryId) changes.push(after.categoryId ? `category to ${categoryName ?? "another"}` : "no category");
  if ((after.deadline?.getTime() ?? null) !== (before.deadline?.getTime() ?? null)) changes.push(after.deadline ? "the deadline" : "no deadline");
  if (after.priority !== before.priority) changes.push(`priority to ${after.priority}`);
  if (after.sourceDocument !== before.sourceDocument) changes.push(after.sourceDocument ? `source document to ${after.sourceDocument}` : "no source document");
  if (after.description !== before.description) changes.push("the description");
  return changes;
}
