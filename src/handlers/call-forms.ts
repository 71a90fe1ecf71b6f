// Opening the call form: blank, from a chat message, to edit a call, or to plan a follow-up.
import { callForm } from "../bot/views/calls.js";
import { notice, openForm, privateMessage, type Reply } from "../bot/views/view.js";
import { policy, type Actor } from "../domain/policy.js";
import type { Deps } from "./deps.js";
import { callWithOwnerTeams } from "./log-call.js";
import type { ActorUser } from "./resolve-actor.js";

export function newCallForm(deps: Deps, user: ActorUser): Reply {
  return openForm(callForm(user.timeZone, deps.now()));
}

/** "Log call from message": the message text and a link to it go into the notes. */
export function callFormFromMessage(deps: Deps, user: ActorUser, message: { text: string; link?: string }): Reply {
  const text = message.text.trim().slice(0, 2500);
  const notes = message.link ? `${text}\n\nFrom: ${message.link}` : text;
  const firstLine = text.split("\n")[0]?.slice(0, 120) ?? "";
  return openForm(
    callForm(user.timeZone, deps.now(), { notes, subject: firstLine || undefined, sourceLink: message.link, intro: "Logging a call from a chat message.", title: "Log call from message" }),
  );
}

export async function editCallForm(deps: Deps, actor: Actor, user: ActorUser, callId: string): Promise<Reply> {
  const call = await callWithOwnerTeams(deps, callId);
  if (!call) return privateMessage(notice("That call no longer exists."));
  const allowed = policy.editCall(actor, call);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return openForm(
    callForm(user.timeZone, deps.now(), {
      callId: call.id,
      direction: call.direction,
      state: call.state === "cancelled" ? "held" : call.state,
      partner: call.partnerId && call.partner ? { value: call.partnerId, label: call.partner.name } : undefined,
      contactPhone: call.contactPhone ?? undefined,
      subject: call.subject,
      notes: call.notes ?? undefined,
      durationMinutes: call.durationMinutes ?? undefined,
      callAt: call.callAt,
    }),
  );
}

/** A planned call with the same partner, one day later at the same time (Odoo's "schedule other call"). */
export async function followUpCallForm(deps: Deps, actor: Actor, user: ActorUser, callId: string): Promise<Reply> {
  const call = await callWithOwnerTeams(deps, callId);
  if (!call) return privateMessage(notice("That call no longer exists."));
  const allowed = policy.viewCall(actor, call);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const base = Math.max(call.callAt.getTime(), deps.now().getTime());
  const form = callForm(user.timeZone, deps.now(), {
    title: "Schedule follow-up",
    state: "planned",
    direction: "outbound",
    partner: call.partnerId && call.partner ? { value: call.partnerId, label: call.partner.name } : undefined,
    contactPhone: call.contactPhone ?? undefined,
    subject: `Follow-up: ${call.subject}`.slice(0, 500),
    callAt: new Date(base + 24 * 3600_000),
    intro: call.state === "planned" ? "Planned: schedule another call. Held: log one; this planned call is then marked held too." : undefined,
  });
  // OCA's "schedule another call" copies the opportunity, and its "log" choice marks the original call done.
  return openForm({ ...form, context: { ...form.context, followUpOf: call.id, ...(call.leadId ? { leadId: call.leadId } : {}) } });
}
