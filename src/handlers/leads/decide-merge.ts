// Deciding a merge request: Approve merges (once), Reject asks for a reason, Withdraw is the requester's way out.
// Every decision is a conditional update of the pending request, so a double click, a second manager or a retried
// request finds it decided and changes nothing. Every copy of the request card is then updated in place.
import { decisionLine, mergeDecidedCard, mergeRejectForm, mergeRequestCard, MERGE_REJECT_FORM_ID, type MergeRequestCardData } from "../../bot/views/merge-views.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { leadReference } from "../../domain/leads.js";
import { checkMergeSelection, listRefs, mergeRequestReference } from "../../domain/merge.js";
import { policy, type Actor, type Decision, type MergeRequestFacts } from "../../domain/policy.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { applyMerge, RecordsChanged } from "./apply-merge.js";
import { publishLeadCard, withLine } from "./lead-notify.js";
import { loadMergeLeads, loadMergeRequest, mergeRequestFacts, mergeSubjectKey, planFor, requestCardData, updateRequestCopies, type LoadedMergeRequest } from "./merge-preview.js";

export { MERGE_REJECT_FORM_ID };

class AlreadyDecided extends Error {}

type Found = { ok: true; request: LoadedMergeRequest; version: number } | { ok: false; reply: Reply };

/** The pending request a button or form names, if `check` allows this person; otherwise the answer to give. */
async function pendingRequest(deps: Deps, who: Who, id: string | undefined, version: number | undefined, check: (actor: Actor, facts: MergeRequestFacts) => Decision): Promise<Found> {
  const request = id && version !== undefined ? await loadMergeRequest(deps.db, id) : null;
  if (!request) return { ok: false, reply: privateMessage(notice("That merge request no longer exists, or this button is no longer supported.")) };
  if (request.state !== "pending") return { ok: false, reply: await alreadyDecided(deps, who, request) };
  const allowed = check(who.actor, mergeRequestFacts(request));
  if (!allowed.ok) return { ok: false, reply: privateMessage(notice(allowed.reason)) };
  return { ok: true, request, version: version! };
}

async function alreadyDecided(deps: Deps, who: Who, request: LoadedMergeRequest): Promise<Reply> {
  const data = await requestCardData(deps.db, request);
  const line = `${decisionLine(data, who.user.timeZone, deps.now(), { already: true })}; nothing was changed.`;
  return privateMessage(withLine(mergeDecidedCard(data, who.user.timeZone, deps.now()), line));
}

/** "Approve" (value "<requestId>:<version>"). */
export async function approveMerge(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readButtonValue(value.trim());
  const found = await pendingRequest(deps, who, ref?.id, ref?.version, policy.decideMerge);
  if (!found.ok) return found.reply;
  const { request, version } = found;
  if (request.version !== version) {
    return privateMessage(withLine(mergeRequestCard(await requestCardData(deps.db, request)), `This card was out of date, so nothing was done. Here is ${mergeRequestReference(request.number)} as it is now.`));
  }
  const changed = changedRecords(request);
  if (changed.length) return rePreview(deps, who, request, changed);
  const now = deps.now();
  try {
    const view = await deps.db.$transaction(async (tx) => {
      const watchRequest = await watchRecord(tx, deps, "merge-request", request.id, who.actor.id);
      const claimed = await tx.mergeRequest.updateMany({ where: { id: request.id, state: "pending", version }, data: { state: "approved", decidedById: who.actor.id, decidedAt: now, version: { increment: 1 } } });
      if (claimed.count === 0) throw new AlreadyDecided();
      const ids = request.items.map((i) => i.leadId);
      const plan = await planFor(tx, await loadMergeLeads(tx, ids));
      const versions = new Map(request.items.map((i) => [i.leadId, i.version]));
      // Only the survivor changes for rules: the merged-away records are archived, out of their reach.
      const watchSurvivor = await watchRecord(tx, deps, "lead", plan.survivor.id, who.actor.id);
      await applyMerge(tx, plan, versions, { id: who.actor.id, name: who.user.name, now, request: { id: request.id, ref: mergeRequestReference(request.number) } });
      await watchSurvivor.done();
      await tx.mergeRequest.update({ where: { id: request.id }, data: { survivorId: plan.survivor.id } });
      await watchRequest.done();
      for (const id of ids) await publishLeadCard(tx, deps, id);
      return announceDecision(tx, deps, who, request.id);
    });
    return { kind: "done", view };
  } catch (error) {
    if (error instanceof AlreadyDecided) return alreadyDecided(deps, who, (await loadMergeRequest(deps.db, request.id))!);
    if (!(error instanceof RecordsChanged)) throw error;
    const now = (await loadMergeRequest(deps.db, request.id))!;
    return rePreview(deps, who, now, changedRecords(now));
  }
}

/** "Reject" opens a form for the reason (the requester is told it). */
export async function openRejectForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readButtonValue(value.trim());
  const found = await pendingRequest(deps, who, ref?.id, ref?.version, policy.decideMerge);
  if (!found.ok) return found.reply;
  return openForm(mergeRejectForm(found.request));
}

/**
 * A rejection does not depend on the preview, so only "still pending" is required (not the card's version):
 * a rejection after a refreshed preview still rejects the same request, and only once.
 */
export async function submitReject(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(mergeRejectForm({ id: "", number: 0, version: 0 }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const found = await pendingRequest(deps, who, context.requestId, Number(context.version ?? 0), policy.decideMerge);
  if (!found.ok) return found.reply;
  const note = parsed.value.reason;
  return closeRequest(deps, who, found.request, { state: "rejected", decisionNote: note }, `Merge ${mergeRequestReference(found.request.number)} rejected by ${who.user.name}: ${note}`);
}

/** "Withdraw" (value "<requestId>:<version>"): the requester, or anyone who could decide. */
export async function withdrawMerge(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readButtonValue(value.trim());
  const found = await pendingRequest(deps, who, ref?.id, ref?.version, policy.cancelMerge);
  if (!found.ok) return found.reply;
  return closeRequest(deps, who, found.request, { state: "cancelled" }, `Merge ${mergeRequestReference(found.request.number)} withdrawn by ${who.user.name}`);
}

async function closeRequest(deps: Deps, who: Who, request: LoadedMergeRequest, outcome: { state: "rejected" | "cancelled"; decisionNote?: string }, summary: string): Promise<Reply> {
  try {
    const view = await deps.db.$transaction(async (tx) => {
      const watch = await watchRecord(tx, deps, "merge-request", request.id, who.actor.id);
      const closed = await tx.mergeRequest.updateMany({ where: { id: request.id, state: "pending" }, data: { ...outcome, decidedById: who.actor.id, decidedAt: deps.now(), version: { increment: 1 } } });
      if (closed.count === 0) throw new AlreadyDecided();
      await watch.done();
      await tx.timelineEntry.createMany({
        data: request.items.map((i) => ({ recordType: "lead", recordId: i.leadId, kind: `merge-${outcome.state}`, actorId: who.actor.id, summary: summary.slice(0, 500), data: { requestId: request.id } })),
      });
      return announceDecision(tx, deps, who, request.id);
    });
    return { kind: "done", view };
  } catch (error) {
    if (!(error instanceof AlreadyDecided)) throw error;
    return alreadyDecided(deps, who, (await loadMergeRequest(deps.db, request.id))!);
  }
}

/** Every copy of the request card becomes the decided card; the requester is told (unless they acted themselves). */
async function announceDecision(tx: Tx, deps: Deps, who: Who, requestId: string): Promise<MessageView> {
  const decided = (await loadMergeRequest(tx, requestId))!;
  const data = await requestCardData(tx, decided);
  await updateRequestCopies(tx, requestId, mergeDecidedCard(data, "UTC", deps.now()));
  if (decided.requesterId !== who.actor.id && decided.requester.isActive) {
    await notifyUser(tx, decided.requester, mergeDecidedCard(data, decided.requester.timeZone, deps.now()), { dedupeKey: `${mergeSubjectKey(requestId)}:outcome` });
  }
  return mergeDecidedCard(data, who.user.timeZone, deps.now());
}

/** Records that changed since the request (or its last preview), or can no longer be merged. */
function changedRecords(request: LoadedMergeRequest): string[] {
  return request.items.filter((i) => i.lead.version !== i.version || i.lead.mergedIntoId !== null || i.lead.stage.kind === "won").map((i) => leadReference(i.lead));
}

/**
 * Something changed since the preview the decider saw: nothing is merged. The request takes the records' current
 * versions, and every copy of its card shows the new preview and why; the decider approves again if it still holds.
 */
async function rePreview(deps: Deps, who: Who, request: LoadedMergeRequest, changed: string[]): Promise<Reply> {
  const leads = request.items.map((i) => i.lead);
  const still = checkMergeSelection(leads.map((l) => ({ ...l, stageKind: l.stage.kind })));
  const warning = still.ok
    ? `${listRefs(changed)} changed since the merge was requested, so nothing was merged. Check the new preview and approve again.`
    : `${still.reason} Nothing was merged; this request can only be rejected or withdrawn now.`;
  const card = await deps.db.$transaction(async (tx) => {
    const bumped = await tx.mergeRequest.updateMany({ where: { id: request.id, state: "pending", version: request.version }, data: { version: { increment: 1 } } });
    if (bumped.count === 0) return undefined;
    for (const lead of leads) await tx.mergeRequestLead.update({ where: { requestId_leadId: { requestId: request.id, leadId: lead.id } }, data: { version: lead.version } });
    const data: MergeRequestCardData = await requestCardData(tx, (await loadMergeRequest(tx, request.id))!, { warning, canApprove: still.ok });
    const view = mergeRequestCard(data);
    await updateRequestCopies(tx, request.id, view);
    return view;
  });
  if (!card) {
    const now = (await loadMergeRequest(deps.db, request.id))!;
    if (now.state !== "pending") return alreadyDecided(deps, who, now);
    return privateMessage(withLine(mergeRequestCard(await requestCardData(deps.db, now)), "This card was out of date, so nothing was done. Here is the request as it is now."));
  }
  return privateMessage(card);
}
