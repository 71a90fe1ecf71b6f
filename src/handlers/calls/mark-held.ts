// "Held" (a small form: notes, duration) and "Voicemail" on a planned call's card (OCA crm_phonecall's "done" state).
import { callHeldForm } from "../../bot/views/calls.js";
import { parseForm } from "../../bot/views/form-values.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { heldDuration } from "../../domain/calls.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { callForButton, changeCall, notPlanned } from "./change-call.js";

export async function openHeldForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await callForButton(deps, who, value, notPlanned);
  if (!found.ok) return found.reply;
  return openForm(callHeldForm(found.call));
}

/** The form carries the call's id and the version it was opened at: a call changed meanwhile is not overwritten. */
export async function submitHeldForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(callHeldForm({ id: "", subject: "", notes: null }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  return changeCall(deps, who, `${context.callId ?? ""}:${context.version ?? ""}`, {
    refuse: notPlanned,
    async plan(_tx, call) {
      const now = deps.now();
      // OCA: held with no duration computes now − call time.
      const durationMinutes = heldDuration(call.callAt, now, input.durationMinutes);
      return {
        data: { state: "held", notes: input.notes ?? call.notes, durationMinutes },
        kind: "held",
        summary: `Held${durationMinutes ? ` (${durationMinutes} min)` : ""}: ${call.subject}`,
        done: "✅ Call marked held.",
      };
    },
  });
}

/** A voicemail was left: the call happened (held, kind voicemail), now, with no talk time. */
export function markVoicemail(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeCall(deps, who, value, {
    refuse: notPlanned,
    async plan(_tx, call) {
      return {
        data: { state: "held", kind: "voicemail", durationMinutes: null, callAt: deps.now() },
        kind: "voicemail",
        summary: `Voicemail left: ${call.subject}`,
        done: "📼 Voicemail noted; the call is marked held.",
      };
    },
  });
}
