// The claim card's buttons and their forms: assign, start, note, root cause, repairs, close, reopen.
// Each change is guarded by the version the card showed, so a double click or a stale card acts once.
import { closeSchema, noteSchema, reassignSchema, repairSchema, rootCauseSchema } from "../../bot/views/claim-forms.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { nextState, STATE_LABEL } from "../../domain/claims.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { watchRecord } from "../automation/events.js";
import { addTimeline, notifyResponsible, publishClaimCard } from "./claim-notify.js";
import { claimFor, readClaimButton, readClaimForm, type LoadedClaim } from "./load-claim.js";
import { cardFor } from "./open-claim.js";
import { notifyClaimWatchers } from "./watchers.js";

type Change = { ok: false; reason: string } | { ok: true; data: Prisma.ClaimUncheckedUpdateManyInput; kind: string; summary: string; assigned?: boolean; also?: (tx: Tx) => Promise<boolean> };

const OUT_OF_DATE = "Already done, or the card was out of date: this is the claim now.";

/** Loads, checks policy and version, applies the change with `where: {id, version}`, writes the timeline and updates the cards. */
export async function changeClaim(deps: Deps, who: Who, claimId: string, version: number, plan: (claim: LoadedClaim) => Change): Promise<Reply> {
  const found = await claimFor(deps.db, who.actor, { id: claimId }, "change");
  if (!found.ok) return privateMessage(notice(found.reason));
  if (found.claim.version !== version) return privateMessage(await cardFor(deps, claimId, who.user, [OUT_OF_DATE]));
  const change = plan(found.claim);
  if (!change.ok) return privateMessage(await cardFor(deps, claimId, who.user, [change.reason]));
  const isDone = await deps.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, deps, "claim", claimId, who.user.id);
    const updated = await tx.claim.updateMany({ where: { id: claimId, version }, data: { ...change.data, version: version + 1 } });
    if (updated.count === 0) return false;
    if (change.also && !(await change.also(tx))) throw new StaleChange();
    await addTimeline(tx, claimId, who.user.id, change.kind, change.summary);
    await watch.done();
    await publishClaimCard(tx, deps, claimId);
    if (change.assigned) await notifyResponsible(tx, deps, claimId, `${who.user.name} made you responsible for a claim.`, who.user.id);
    await notifyClaimWatchers(tx, deps, claimId, { kind: change.kind, actorId: who.user.id, summary: change.summary, responsibleTold: Boolean(change.assigned) });
    return true;
  }).catch((error: unknown) => {
    if (error instanceof StaleChange) return false;
    throw error;
  });
  return privateMessage(await cardFor(deps, claimId, who.user, isDone ? [] : [OUT_OF_DATE]));
}

class StaleChange extends Error {}

function fromButton(deps: Deps, who: Who, value: string, plan: (claim: LoadedClaim, extra?: string) => Change): Promise<Reply> {
  const button = readClaimButton(value);
  if (!button) return Promise.resolve(privateMessage(notice("That button is out of date. Run /crm claims again.")));
  return changeClaim(deps, who, button.id, button.version, (claim) => plan(claim, button.extra));
}

export function assignClaimToMe(deps: Deps, who: Who, value: string): Promise<Reply> {
  return fromButton(deps, who, value, (claim) =>
    claim.responsibleId === who.user.id ? { ok: false, reason: "You are already responsible for this claim." } : { ok: true, data: { responsibleId: who.user.id }, kind: "assigned", summary: `${who.user.name} took the claim` },
  );
}

/** Reassign (user select): the new responsible gets a DM with the card. */
export async function submitReassign(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = reassignSchema.safeParse({ responsible: text(values.responsible) });
  if (!parsed.success) return { kind: "errors", errors: { responsible: parsed.error.issues[0]!.message } };
  const target = readClaimForm(context);
  if (!target) return privateMessage(notice("That form is out of date. Open it again."));
  const person = await deps.db.user.findUnique({ where: { id: parsed.data.responsible }, select: { id: true, name: true, isActive: true } });
  if (!person?.isActive) return { kind: "errors", errors: { responsible: "That person is not an active Switchboard user. Choose another." } };
  return done(
    await changeClaim(deps, who, target.id, target.version, (claim) =>
      claim.responsibleId === person.id
        ? { ok: false, reason: `${person.name} is already responsible for this claim.` }
        : { ok: true, data: { responsibleId: person.id }, kind: "assigned", summary: `${who.user.name} made ${person.name} responsible`, assigned: true },
    ),
  );
}

export function startClaim(deps: Deps, who: Who, value: string): Promise<Reply> {
  return fromButton(deps, who, value, (claim) => {
    const next = nextState(claim.state, { kind: "start" });
    return next.ok ? { ok: true, data: { state: next.value }, kind: "state", summary: `State: ${STATE_LABEL[next.value]}` } : next;
  });
}

export function reopenClaim(deps: Deps, who: Who, value: string): Promise<Reply> {
  return fromButton(deps, who, value, (claim) => {
    const next = nextState(claim.state, { kind: "reopen" });
    return next.ok ? { ok: true, data: { state: next.value, closedAt: null }, kind: "reopened", summary: `Reopened (was ${STATE_LABEL[claim.state].toLowerCase()})` } : next;
  });
}

export function markRepairDone(deps: Deps, who: Who, value: string): Promise<Reply> {
  return fromButton(deps, who, value, (claim, repairId) => {
    const repair = claim.repairs.find((r) => r.id === repairId);
    if (!repair) return { ok: false, reason: "That repair no longer exists." };
    if (repair.doneAt) return { ok: false, reason: `“${repair.title}” is already done.` };
    const also = async (tx: Tx) => (await tx.claimRepair.updateMany({ where: { id: repair.id, doneAt: null }, data: { doneAt: deps.now() } })).count === 1;
    return { ok: true, data: {}, kind: "repair-done", summary: `Repair done: ${repair.title}`, also };
  });
}

/** Notes change nothing on the card, so they are not refused for a stale card (two notes are two notes). */
export async function submitClaimNote(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = noteSchema.safeParse({ note: text(values.note) });
  if (!parsed.success) return { kind: "errors", errors: { note: parsed.error.issues[0]!.message } };
  const target = readClaimForm(context);
  const found = target && (await claimFor(deps.db, who.actor, { id: target.id }, "change"));
  if (!found || !found.ok) return privateMessage(notice(found ? found.reason : "That form is out of date. Open it again."));
  await deps.db.$transaction((tx) => addTimeline(tx, found.claim.id, who.user.id, "note", parsed.data.note));
  return { kind: "done", view: notice(`Note added to the claim.`) };
}

export async function submitRootCause(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = rootCauseSchema.safeParse({ rootCause: text(values.rootCause) });
  if (!parsed.success) return { kind: "errors", errors: { rootCause: parsed.error.issues[0]!.message } };
  const target = readClaimForm(context);
  if (!target) return privateMessage(notice("That form is out of date. Open it again."));
  return done(await changeClaim(deps, who, target.id, target.version, () => ({ ok: true, data: { rootCause: parsed.data.rootCause }, kind: "root-cause", summary: `Root cause: ${parsed.data.rootCause}` })));
}

export async function submitRepair(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = repairSchema.safeParse({ title: text(values.title), assignee: text(values.assignee) });
  if (!parsed.success) return { kind: "errors", errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  const target = readClaimForm(context);
  if (!target) return privateMessage(notice("That form is out of date. Open it again."));
  const { title, assignee } = parsed.data;
  if (assignee && !(await deps.db.user.findUnique({ where: { id: assignee }, select: { id: true } }))) return { kind: "errors", errors: { assignee: "That person is not a Switchboard user." } };
  const also = async (tx: Tx) => Boolean(await tx.claimRepair.create({ data: { claimId: target.id, title, assigneeId: assignee ?? null } }));
  return done(await changeClaim(deps, who, target.id, target.version, () => ({ ok: true, data: {}, kind: "repair", summary: `Repair added: ${title}`, also })));
}

export async function submitCloseClaim(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = closeSchema.safeParse({ outcome: text(values.outcome), resolution: text(values.resolution), rootCause: text(values.rootCause), actionType: text(values.actionType) });
  if (!parsed.success) return { kind: "errors", errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  const target = readClaimForm(context);
  if (!target) return privateMessage(notice("That form is out of date. Open it again."));
  const input = parsed.data;
  return done(
    await changeClaim(deps, who, target.id, target.version, (claim) => {
      const next = nextState(claim.state, { kind: "close", outcome: input.outcome, resolution: input.resolution });
      if (!next.ok) return next;
      const data = { state: next.value, resolution: input.resolution, closedAt: deps.now(), ...(input.rootCause ? { rootCause: input.rootCause } : {}), ...(input.actionType ? { actionType: input.actionType } : {}) };
      return { ok: true, data, kind: "closed", summary: `${STATE_LABEL[next.value]}: ${input.resolution}` };
    }),
  );
}

/** A form submit answers with "done" and the card (the form closes). */
export function done(reply: Reply): Reply {
  return reply.kind === "message" ? { kind: "done", view: reply.view } : reply;
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const t = String(value).trim();
  return t === "" ? undefined : t;
}
