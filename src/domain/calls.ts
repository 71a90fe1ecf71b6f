// Phone call rules (OCA crm_phonecall): the quick form, validation, and when a planned call is due.
import { findDateTime } from "./time.js";

export type CallDirection = "inbound" | "outbound";
export type CallState = "planned" | "held" | "cancelled";
export type CallKind = "call" | "voicemail";

export const MAX_CALL_MINUTES = 24 * 60;

export interface QuickCall {
  partnerName: string;
  subject: string;
  durationMinutes?: number;
  callAt: Date;
  state: CallState;
  direction: CallDirection;
  kind: CallKind;
}

/**
 * "left a voicemail", "voice mail", "VM left", "no answer, left message": the call was made and a message left.
 * OCA crm_phonecall has no such kind; a voicemail is a held call whose subject says so, so we keep both.
 */
const VOICEMAIL_WORDS = /\b(voice\s?-?mail|vm\s+left|left\s+(a\s+)?(vm|message))\b/i;

export function mentionsVoicemail(text: string): boolean {
  return VOICEMAIL_WORDS.test(text);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const QUICK_CALL_EXAMPLE = "/crm call Acme Corp: discussed renewal, 20m";

/**
 * Reads the quick form "PARTNER: what was said[, 20m][, tomorrow 10am]".
 * A time in the future makes it a planned call; otherwise it was held now (or at the time given).
 * Direction is outbound unless the text starts with "from" / "inbound" (Odoo's default is outbound).
 */
export function parseQuickCall(text: string, now: Date, timeZone: string): Parsed<QuickCall> {
  const colon = text.indexOf(":");
  if (colon <= 0) return { ok: false, reason: `Write the partner, a colon, then what the call was about, e.g. \`${QUICK_CALL_EXAMPLE}\`.` };
  let partnerName = text.slice(0, colon).trim();
  let rest = text.slice(colon + 1).trim();
  let direction: CallDirection = "outbound";
  const inbound = /^(from|inbound)\s+/i.exec(partnerName);
  if (inbound) {
    direction = "inbound";
    partnerName = partnerName.slice(inbound[0].length).trim();
  }
  if (!partnerName) return { ok: false, reason: `The partner is missing before the colon, e.g. \`${QUICK_CALL_EXAMPLE}\`.` };
  if (partnerName.length > 200) return { ok: false, reason: "The partner name is longer than 200 characters." };

  let durationMinutes: number | undefined;
  const duration = /(?:^|[,;\s])(?:(\d+)\s*h(?:ours?|rs?)?\s*)?(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?\s*$/i.exec(rest);
  if (duration && (duration[1] || duration[2])) {
    durationMinutes = Number(duration[1] ?? 0) * 60 + Number(duration[2] ?? 0);
    rest = rest.slice(0, duration.index).trim();
    if (durationMinutes > MAX_CALL_MINUTES) return { ok: false, reason: "A call cannot last more than 24 hours." };
  }

  let callAt = now;
  const when = findDateTime(rest, now, timeZone);
  if (when) {
    callAt = when.at;
    rest = rest.replace(when.matched, "").trim();
  }
  const subject = rest
    .replace(/\s+(on|at|by)\s*$/i, "")
    .replace(/^[,;\s]+|[,;\s]+$/g, "")
    .replace(/\s{2,}/g, " ");
  if (!subject) return { ok: false, reason: `Say what the call was about after the colon, e.g. \`${QUICK_CALL_EXAMPLE}\`.` };
  if (subject.length > 500) return { ok: false, reason: "The subject is longer than 500 characters; put the details in the form's notes (/crm call)." };
  // A voicemail was left, so it happened: held now even if a (past) time was given; a future time still plans a call.
  const kind: CallKind = mentionsVoicemail(subject) ? "voicemail" : "call";
  const state: CallState = callAt.getTime() > now.getTime() + 60_000 && kind === "call" ? "planned" : "held";
  return { ok: true, value: { partnerName, subject, durationMinutes, callAt: kind === "voicemail" && state === "held" && callAt > now ? now : callAt, state, direction, kind } };
}

/** Planned calls are due at their time; a held or cancelled call is never due. */
export function isDue(call: { state: CallState; callAt: Date; dueNotifiedAt: Date | null }, now: Date): boolean {
  return call.state === "planned" && call.dueNotifiedAt === null && call.callAt.getTime() <= now.getTime();
}

/**
 * Minutes of a call marked held: the duration given, else (OCA crm_phonecall, moving to "done" with no duration)
 * now − the call's time, capped at a day; a call marked held before its planned time gets none.
 */
export function heldDuration(callAt: Date, now: Date, given?: number): number | null {
  if (given !== undefined) return Math.min(given, MAX_CALL_MINUTES);
  const minutes = Math.round((now.getTime() - callAt.getTime()) / 60_000);
  return minutes > 0 ? Math.min(minutes, MAX_CALL_MINUTES) : null;
}

/** What a card offers for each state; a cancelled or held call cannot be held, voicemailed or cancelled again. */
export function callChoices(call: { state: CallState; leadId?: string | null }): {
  canHold: boolean;
  canCancel: boolean;
  canConvert: boolean;
} {
  const isPlanned = call.state === "planned";
  return { canHold: isPlanned, canCancel: isPlanned, canConvert: call.state !== "cancelled" && !call.leadId };
}

export function callReference(number: number): string {
  return `CALL-${String(number).padStart(4, "0")}`;
}

/** Reads "CALL-0042", "call-42" or "42" as a call number. */
export function parseCallReference(text: string): number | undefined {
  const m = /^(?:call-)?0*(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}
