// Claim watchers: "Watch" / "Stop watching" for the person pressing, "Add watcher" (a user or an email address),
// and the DM user watchers get when the claim is reassigned, closed or reopened (not for their own actions).
// A supplier claim is watched only by people allowed to see it (purchasing, managers, admins, its responsible).
import { claimCard } from "../../bot/views/claim-card.js";
import { claimWatcherForm } from "../../bot/views/claim-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { claimReference } from "../../domain/claims.js";
import { watcherEventOf, watchersToTell } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { actorOfUser } from "../cases/watchers.js";
import { addTimeline, publishClaimCard } from "./claim-notify.js";
import { claimOfButton } from "./claim-forms.js";
import { claimFor, loadClaim, purchasingTeamIds } from "./load-claim.js";
import { cardFor } from "./open-claim.js";

const EVENT_TEXT = { reassigned: "reassigned", escalated: "escalated", closed: "closed", reopened: "reopened" } as const;

/** Watching changes no claim field: the card's version is neither checked nor bumped (a double click just says so). */
export async function watchClaim(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await claimOfButton(deps, who, value, "view");
  if (!found.ok) return found.reply;
  const { claim } = found;
  const added = await deps.db.$transaction(async (tx) => {
    const created = await tx.claimWatcher.createMany({ data: [{ claimId: claim.id, userId: who.user.id }], skipDuplicates: true });
    if (created.count === 0) return false;
    await addTimeline(tx, claim.id, who.user.id, "watcher-added", `${who.user.name} started watching the claim`);
    await publishClaimCard(tx, deps, claim.id);
    return true;
  });
  const ref = claimReference(claim.number);
  return privateMessage(await cardFor(deps, claim.id, who.user, [added ? `👀 You are watching ${ref}: you will hear when it is reassigned, closed or reopened.` : `You are already watching ${ref}.`]));
}

export async function unwatchClaim(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await claimOfButton(deps, who, value, "view");
  if (!found.ok) return found.reply;
  const { claim } = found;
  const removed = await deps.db.$transaction(async (tx) => {
    const deleted = await tx.claimWatcher.deleteMany({ where: { claimId: claim.id, userId: who.user.id } });
    if (deleted.count === 0) return false;
    await addTimeline(tx, claim.id, who.user.id, "watcher-removed", `${who.user.name} stopped watching the claim`);
    await publishClaimCard(tx, deps, claim.id);
    return true;
  });
  const ref = claimReference(claim.number);
  return privateMessage(await cardFor(deps, claim.id, who.user, [removed ? `You stopped watching ${ref}.` : `You are not watching ${ref}.`]));
}

export async function openAddClaimWatcherForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await claimOfButton(deps, who, value, "change");
  if (!found.ok) return found.reply;
  return openForm(claimWatcherForm(found.claim.id, found.claim.version));
}

export async function submitAddClaimWatcher(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(claimWatcherForm("", 0), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const choice = parsed.value;
  if (!context.claimId) return privateMessage(notice("That form is out of date. Open it again."));
  const found = await claimFor(deps.db, who.actor, { id: context.claimId }, "change");
  if (!found.ok) return privateMessage(notice(found.reason));
  const { claim } = found;
  const purchasing = await purchasingTeamIds(deps.db);
  let label = choice.kind === "email" ? choice.email : "";
  if (choice.kind === "user") {
    const person = await deps.db.user.findUnique({ where: { id: choice.userId } });
    if (!person?.isActive) return { kind: "errors", errors: { user: "That person is not an active Switchboard user. Choose another." } };
    const allowed = policy.addClaimWatcher(who.actor, claim, purchasing, await actorOfUser(deps.db, person));
    if (!allowed.ok) return { kind: "errors", errors: { user: allowed.reason.replace("That person", person.name) } };
    label = person.name;
  } else {
    const allowed = policy.addClaimWatcher(who.actor, claim, purchasing);
    if (!allowed.ok) return privateMessage(notice(allowed.reason));
  }
  const added = await deps.db.$transaction(async (tx) => {
    const data = choice.kind === "user" ? { claimId: claim.id, userId: choice.userId } : { claimId: claim.id, email: choice.email };
    const created = await tx.claimWatcher.createMany({ data: [data], skipDuplicates: true });
    if (created.count === 0) return false;
    await addTimeline(tx, claim.id, who.user.id, "watcher-added", `${who.user.name} added ${label} as a watcher`);
    await publishClaimCard(tx, deps, claim.id);
    return true;
  });
  const ref = claimReference(claim.number);
  return { kind: "done", view: await cardFor(deps, claim.id, who.user, [added ? `👀 ${label} is now watching ${ref}.` : `${label} is already watching ${ref}.`]) };
}

/**
 * DMs the claim's user watchers about a change of kind `kind` (assigned, closed, reopened; others are ignored),
 * except the person who acted and the new responsible already told; only watchers who may still see the claim.
 * One DM per watcher and change: the dedupe key carries the claim's version after the change.
 */
export async function notifyClaimWatchers(tx: Tx, deps: Deps, claimId: string, change: { kind: string; actorId: string | null; summary: string; responsibleTold?: boolean }): Promise<number> {
  const event = watcherEventOf(change.kind);
  if (!event) return 0;
  const claim = await loadClaim(tx, { id: claimId });
  if (!claim) return 0;
  const ids = watchersToTell(claim.watchers.map((w) => w.userId), change.actorId, change.responsibleTold ? [claim.responsibleId] : []);
  if (!ids.length) return 0;
  const people = await tx.user.findMany({ where: { id: { in: ids }, isActive: true } });
  const purchasing = await purchasingTeamIds(tx);
  const ref = claimReference(claim.number);
  let sent = 0;
  for (const person of people) {
    if (!policy.viewClaim(await actorOfUser(tx, person), claim, purchasing).ok) continue;
    const card = claimCard(claim, person.timeZone, deps.now());
    const line = `👀 ${ref}, which you watch, was ${EVENT_TEXT[event]}: ${change.summary}`.slice(0, 500);
    await notifyUser(tx, person, { text: `${line} — ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] }, { dedupeKey: `claim-watch:${claimId}:${claim.version}:${person.id}` });
    sent++;
  }
  return sent;
}
