// Logging a phone call: from the form (new or edit) and from the one-line quick form.
import { callCard, callForm, type CallCardData } from "../bot/views/calls.js";
import { parseForm } from "../bot/views/form-values.js";
import { notice, privateMessage, type Reply } from "../bot/views/view.js";
import { parseQuickCall } from "../domain/calls.js";
import { policy, type Actor } from "../domain/policy.js";
import { prismaExecutor } from "../jobs/job-runner.js";
import { callDueJob } from "../jobs/call-due.js";
import type { Tx } from "../db/outbox.js";
import type { Deps } from "./deps.js";
import type { ActorUser } from "./resolve-actor.js";
import { matchPartner, partnerFromFormValue } from "./resolve-partner.js";

export const callCardInclude = { partner: { select: { name: true } }, owner: { select: { name: true } } } as const;

interface CallInput {
  direction: "inbound" | "outbound";
  state: "held" | "planned";
  partnerId: string | null;
  contactPhone?: string;
  subject: string;
  notes?: string;
  durationMinutes?: number;
  callAt: Date;
  sourceLink?: string;
}

/** Submit of the call form: new call, or an edit when the form carries a call id. */
export async function submitCallForm(deps: Deps, actor: Actor, user: ActorUser, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const form = callForm(user.timeZone, deps.now());
  const parsed = parseForm(form, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  if (context.callId) {
    const existing = await callWithOwnerTeams(deps, context.callId);
    if (!existing) return privateMessage(notice("That call no longer exists."));
    const allowed = policy.editCall(actor, existing);
    if (!allowed.ok) return privateMessage(notice(allowed.reason));
  }
  const call = await deps.db.$transaction(async (tx) => {
    const partnerId = await partnerFromFormValue(tx, input.partner, user.id);
    return saveCall(tx, deps, user, { ...input, partnerId, sourceLink: context.sourceLink }, context.callId);
  });
  return { kind: "done", view: callCard(call, user.timeZone, deps.now()) };
}

/** `/crm call Acme Corp: discussed renewal, 20m`. */
export async function quickLogCall(deps: Deps, actor: Actor, user: ActorUser, text: string, opts: { createPartner?: boolean } = {}): Promise<Reply> {
  const allowed = policy.logCall(actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseQuickCall(text, deps.now(), user.timeZone);
  if (!parsed.ok) return privateMessage(notice(parsed.reason));
  const q = parsed.value;
  const match = opts.createPartner ? ({ kind: "none" } as const) : await matchPartner(deps, q.partnerName);
  if (match.kind === "several" || (match.kind === "none" && !opts.createPartner)) {
    return privateMessage(partnerChoiceView(q.partnerName, text, match.kind === "several" ? match.candidates : []));
  }
  const call = await deps.db.$transaction(async (tx) => {
    const partnerId = match.kind === "found" ? match.id : (await tx.partner.create({ data: { kind: "company", name: q.partnerName, salespersonId: user.id } })).id;
    return saveCall(tx, deps, user, { direction: q.direction, state: q.state === "planned" ? "planned" : "held", partnerId, subject: q.subject, durationMinutes: q.durationMinutes, callAt: q.callAt });
  });
  return privateMessage(callCard(call, user.timeZone, deps.now()));
}

/** Button "Use <partner>" after an ambiguous quick form: the value is "<partnerId>|<original text>". */
export async function quickLogCallWithPartner(deps: Deps, actor: Actor, user: ActorUser, value: string): Promise<Reply> {
  const bar = value.indexOf("|");
  const partnerId = value.slice(0, bar);
  const text = value.slice(bar + 1);
  const partner = await deps.db.partner.findUnique({ where: { id: partnerId }, select: { name: true } });
  if (bar < 0 || !partner) return privateMessage(notice("That partner no longer exists. Run the command again."));
  const colon = text.indexOf(":");
  return quickLogCall(deps, actor, user, `${partner.name}:${text.slice(colon + 1)}`);
}

async function saveCall(tx: Tx, deps: Deps, user: ActorUser, input: CallInput, callId?: string): Promise<CallCardData> {
  const data = {
    direction: input.direction,
    state: input.state,
    partnerId: input.partnerId,
    contactPhone: input.contactPhone ?? null,
    subject: input.subject,
    notes: input.notes ?? null,
    durationMinutes: input.durationMinutes ?? null,
    callAt: input.callAt,
  };
  const call = callId
    ? await tx.phoneCall.update({ where: { id: callId }, data: { ...data, dueNotifiedAt: null }, include: callCardInclude })
    : await tx.phoneCall.create({ data: { ...data, ownerId: user.id, sourceLink: input.sourceLink ?? null }, include: callCardInclude });
  await tx.timelineEntry.create({
    data: {
      recordType: "call",
      recordId: call.id,
      kind: callId ? "updated" : "created",
      actorId: user.id,
      summary: `${callId ? "Updated" : "Logged"} ${call.state} ${call.direction} call: ${call.subject}`.slice(0, 500),
    },
  });
  if (call.state === "planned") {
    // Enqueued through this transaction: no job for a call that was never saved (and no PGlite deadlock).
    await deps.jobs.send(callDueJob, { callId: call.id, callAt: call.callAt.toISOString() }, { startAfter: call.callAt, db: prismaExecutor(tx) });
  }
  return call;
}

export async function callWithOwnerTeams(deps: Pick<Deps, "db">, callId: string) {
  const call = await deps.db.phoneCall.findUnique({ where: { id: callId }, include: { ...callCardInclude, owner: { select: { name: true, memberships: { select: { teamId: true } } } } } });
  return call && { ...call, ownerTeamIds: call.owner.memberships.map((m) => m.teamId) };
}

function partnerChoiceView(name: string, text: string, candidates: { id: string; name: string }[]) {
  const value = (id: string) => `${id}|${text}`.slice(0, 1900);
  return {
    text: candidates.length ? `Which partner did you mean by “${name}”?` : `No partner is called “${name}” yet.`,
    blocks: [
      { type: "text" as const, text: candidates.length ? `Which partner did you mean by *${name}*?` : `No partner is called *${name}* yet. Create it and log the call?` },
      {
        type: "actions" as const,
        actions: [
          ...candidates.map((c) => ({ id: "call.quick-with-partner", label: `Use ${c.name}`.slice(0, 70), value: value(c.id) })),
          { id: "call.quick-create-partner", label: `Create “${name}”`.slice(0, 70), value: text.slice(0, 1900), style: "primary" as const },
        ],
      },
    ],
  };
}
