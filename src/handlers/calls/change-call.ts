// One change to a call from its card (held, voicemail, cancel, to opportunity): policy, stale-card check, a versioned
// update and the timeline entry in one transaction (as leads/change-lead.ts).
import { callButtonValue, callCard } from "../../bot/views/calls.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { callReference } from "../../domain/calls.js";
import { policy } from "../../domain/policy.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import { withLine } from "../leads/lead-notify.js";
import { callWithOwnerTeams } from "../log-call.js";
import type { Who } from "../resolve-actor.js";

export type LoadedCall = NonNullable<Awaited<ReturnType<typeof callWithOwnerTeams>>>;

export interface CallPlan {
  data: Prisma.PhoneCallUncheckedUpdateManyInput;
  /** Timeline entry kind and summary. */
  kind: string;
  summary: string;
  /** A line shown above the card in the answer to the person who acted. */
  done: string;
  /** Runs inside the transaction after the update; a view it returns answers instead of the call card. */
  after?(tx: Tx, call: LoadedCall): Promise<MessageView | void>;
}

export interface CallChange {
  /** Refused for a reason of state (already held, cancelled): answered with this above the card, nothing changes. */
  refuse?(call: LoadedCall): string | undefined;
  plan(tx: Tx, call: LoadedCall): Promise<CallPlan>;
}

class StaleCard extends Error {}

/** Reads "<id>:<version>" (a button's value, or the held form's context). */
export function parseCallButton(value: string): { id: string; version: number } | undefined {
  const ref = readButtonValue(value.trim());
  return ref && ref.extra === undefined && /^[0-9a-f-]{36}$/i.test(ref.id) ? { id: ref.id, version: ref.version } : undefined;
}

export async function changeCall(deps: Deps, who: Who, value: string, change: CallChange): Promise<Reply> {
  const found = await callForButton(deps, who, value, change.refuse);
  if (!found.ok) return found.reply;
  const { call, version } = found;
  try {
    return await deps.db.$transaction(async (tx) => {
      const plan = await change.plan(tx, call);
      const watch = await watchRecord(tx, deps, "call", call.id, who.actor.id);
      const updated = await tx.phoneCall.updateMany({ where: { id: call.id, version }, data: { ...plan.data, version: { increment: 1 } } });
      if (updated.count === 0) throw new StaleCard();
      await tx.timelineEntry.create({ data: { recordType: "call", recordId: call.id, kind: plan.kind, actorId: who.actor.id, summary: plan.summary.slice(0, 500) } });
      await watch.done();
      const now = (await callWithOwnerTeams({ db: tx }, call.id))!;
      const answer = await plan.after?.(tx, now);
      return { kind: "done", view: withLine(answer ?? callCard(now, who.user.timeZone, deps.now()), plan.done) } satisfies Reply;
    });
  } catch (error) {
    if (!(error instanceof StaleCard)) throw error;
    const now = await callWithOwnerTeams(deps, call.id);
    return now ? withCallCard(deps, who, now, staleText(now)) : privateMessage(notice("That call no longer exists."));
  }
}

/** The checks of a change without changing anything: for opening the held form, and before every change. */
export async function callForButton(
  deps: Deps,
  who: Who,
  value: string,
  refuse?: (call: LoadedCall) => string | undefined,
): Promise<{ ok: true; call: LoadedCall; version: number } | { ok: false; reply: Reply }> {
  const ref = parseCallButton(value);
  if (!ref) return { ok: false, reply: privateMessage(notice("That button is no longer supported. Open the call again with /crm call CALL-…")) };
  const call = await callWithOwnerTeams(deps, ref.id);
  if (!call) return { ok: false, reply: privateMessage(notice("That call no longer exists.")) };
  const allowed = policy.editCall(who.actor, call);
  // Not the card: someone outside the owner's teams may not see the call at all.
  if (!allowed.ok) return { ok: false, reply: privateMessage(notice(allowed.reason)) };
  const refused = refuse?.(call);
  if (refused) return { ok: false, reply: withCallCard(deps, who, call, refused) };
  if (call.version !== ref.version) return { ok: false, reply: withCallCard(deps, who, call, staleText(call)) };
  return { ok: true, call, version: ref.version };
}

function staleText(call: { number: number }): string {
  return `${callReference(call.number)} changed since this card was shown, so nothing was done. Here it is as it is now; try again if still needed.`;
}

export function withCallCard(deps: Deps, who: Who, call: LoadedCall, line: string): Reply {
  return privateMessage(withLine(callCard(call, who.user.timeZone, deps.now()), line));
}

/** The refusal shared by held, voicemail and cancel: only a planned call can become held or cancelled. */
export function notPlanned(call: LoadedCall): string | undefined {
  if (call.state === "held") return `${callReference(call.number)} is already marked held.`;
  if (call.state === "cancelled") return `${callReference(call.number)} was cancelled; edit it to change that.`;
  return undefined;
}

export { callButtonValue };
