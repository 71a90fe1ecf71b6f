// Logging a phone call: from the form (new or edit) and from the one-line quick form.
import { callCard, callForm, type CallCardData } from "../bot/views/calls.js";
import { parseForm } from "../bot/views/form-values.js";
import { notice, privateMessage, type Reply } from "../bot/views/view.js";
import { heldDuration, parseQuickCall } from "../domain/calls.js";
import { policy, type Actor } from "../domain/policy.js";
import { prismaExecutor } from "../jobs/job-runner.js";
import { callDueJob } from "../jobs/call-due.js";
import type { Tx } from "../db/outbox.js";
import type { Deps } from "./deps.js";
import { recordCreated, watchRecord } from "./automation/events.js";
import type { ActorUser } from "./resolve-actor.js";
import { createPartner, matchPartner, partnerFromFormValue } from "./resolve-partner.js";
import { publishLeadCard } from "./leads/lead-notify.js";
import { leadFacts, loadLead } from "./leads/load-lead.js";
import { leadReference } from "../domain/leads.js";

export const callCardInclude = { partner: { select: { name: true } }, owner: { select: { name: true } } } as const;

interface CallInput {
  direction: "inbound" | "outbound";
  state: "held" | "planned";
  /** Left unchanged by an edit when not given. */
  kind?: "call" | "voicemail";
  partnerId: string | null;
  contactPhone?: string;
  subject: string;
  notes?: string;
  durationMinutes?: number;
  callAt: Date;
  sourceLink?: string;
  /** The lead or opportunity the call is about (the card's "Schedule call"). */
  leadId?: string;
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
  const lead = context.leadId && !context.callId ? await loadLead(deps.db, context.leadId) : undefined;
  if (lead === null) return privateMessage(notice("That lead no longer exists."));
  if (lead) {
    const allowed = policy.editLead(actor, leadFacts(lead));
    if (!allowed.ok) return privateMessage(notice(allowed.reason));
  }
  const call = await deps.db.$transaction(async (tx) => {
    const partnerId = await partnerFromFormValue(tx, deps, input.partner, user.id);
    const saved = await saveCall(tx, deps, user, { ...input, partnerId, sourceLink: context.sourceLink, leadId: lead?.id }, context.callId);
    if (context.followUpOf && !context.callId && saved.state === "held") await holdOriginal(tx, deps, actor, context.followUpOf);
    if (lead) {
      const summary = `${saved.state === "planned" ? "Call planned" : "Call logged"}: ${saved.subject}`.slice(0, 500);
      await tx.timelineEntry.create({ data: { recordType: "lead", recordId: lead.id, kind: "call", actorId: user.id, summary, data: { callId: saved.id, lead: leadReference(lead) } } });
      await publishLeadCard(tx, deps, lead.id);
    }
    return saved;
  });
  return { kind: "done", view: callCard(call, user.timeZone, deps.now()) };
}

/**
 * A follow-up logged as held (OCA crm.phonecall2phonecall, action "log") marks the planned call it follows held:
 * only while still planned, only by someone who may change it; the version bump outdates its card's buttons.
 */
async function holdOriginal(tx: Tx, deps: Deps, actor: Actor, callId: string): Promise<void> {
  const original = await callWithOwnerTeams({ db: tx }, callId);
  if (!original || original.state !== "planned" || !policy.editCall(actor, original).ok) return;
  const watch = await watchRecord(tx, deps, "call", callId, actor.id);
  await tx.phoneCall.updateMany({
    where: { id: callId, state: "planned" },
    data: { state: "held", durationMinutes: heldDuration(original.callAt, deps.now(), original.durationMinutes ?? undefined), version: { increment: 1 } },
  });
  await tx.timelineEntry.create({ data: { recordType: "call", recordId: callId, kind: "held", actorId: actor.id, summary: `Held (follow-up logged): ${original.subject}`.slice(0, 500) } });
  await watch.done();
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
    const partnerId = match.kind === "found" ? match.id : (await createPartner(tx, deps, { kind: "company", name: q.partnerName, salespersonId: user.id }, user.id)).id;
    return saveCall(tx, deps, user, { direction: q.direction, state: q.state === "planned" ? "planned" : "held", partnerId, subject: q.subject, durationMinutes: q.durationMinutes, callAt: q.callAt, kind: q.kind });
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
    ...(input.kind ? { kind: input.kind } : {}),
  };
  const watch = callId ? await watchRecord(tx, deps, "call", callId, user.id) : null;
  const call = callId
    ? await tx.phoneCall.update({ where: { id: callId }, data: { ...data, dueNotifiedAt: null, version: { increment: 1 } }, include: callCardInclude })
    : await tx.phoneCall.create({ data: { ...data, ownerId: user.id, sourceLink: input.sourceLink ?? null, leadId: input.leadId ?? null }, include: callCardInclude });
  await tx.timelineEntry.create({
    data: {
      recordType: "call",
      recordId: call.id,
      kind: callId ? "updated" : "created",
      actorId: user.id,
      summary: `${callId ? "Updated" : "Logged"} ${call.state} ${call.direction} call: ${call.subject}`.slice(0, 500),
    },
  });
  if (watch) await watch.done();
  else await recordCreated(tx, deps, "call", call.id, user.id);
  if (call.state === "planned") {
    // Enqueued through this transaction: no job for a call that was never saved (and no PGlite deadlock).
    await deps.jobs.send(callDueJob, { callId: call.id, callAt: call.callAt.toISOString() }, { startAfter: call.callAt, db: prismaExecutor(tx) });
  }
  return call;
}

/** A call with its owner's teams (for the policy); `db` may be a transaction. */
export async function callWithOwnerTeams(deps: { db: Pick<Tx, "phoneCall"> }, callId: string) {
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
