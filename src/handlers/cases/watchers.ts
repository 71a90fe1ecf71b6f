// Case watchers: "Watch" / "Stop watching" for the person pressing, "Add watcher" (a user or an email address),
// and the DM user watchers get when the case is reassigned, escalated, closed or reopened (not for their own actions).
// Email watchers get a copy of the case's emails once the mail gateway exists (issue 7); until then they are only listed.
import { caseCard } from "../../bot/views/case-card.js";
import { caseWatcherForm } from "../../bot/views/case-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { caseReference, watcherEventOf, watchersToTell, type WatcherChoice } from "../../domain/cases.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import { publishCaseCard } from "./case-notify.js";
import { caseForButton, type Who } from "./change-case.js";
import { cardWithLine } from "./escalate-case.js";
import { caseCardData, caseFacts, loadCase } from "./load-case.js";

const EVENT_TEXT = { reassigned: "reassigned", escalated: "escalated", closed: "closed", reopened: "reopened" } as const;

/** "Watch": watching changes no case field, so the card's version is not checked and not bumped (a double click just says so). */
export async function watchCase(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.watchCase(actor, facts), { ignoreVersion: true });
  if (!found.ok) return found.reply;
  const c = found.case;
  const added = await deps.db.$transaction(async (tx) => {
    const created = await tx.caseWatcher.createMany({ data: [{ caseId: c.id, userId: who.user.id }], skipDuplicates: true });
    if (created.count === 0) return false;
    await tx.timelineEntry.create({ data: { recordType: "case", recordId: c.id, kind: "watcher-added", actorId: who.user.id, summary: `${who.user.name} started watching the case` } });
    await publishCaseCard(tx, deps, c.id);
    return true;
  });
  const ref = caseReference(c.number);
  return cardWithLine(deps, who, c.id, added ? `👀 You are watching ${ref}: you will hear when it is reassigned, escalated, closed or reopened.` : `You are already watching ${ref}.`);
}

export async function unwatchCase(deps: Deps, who: Who, value: string): Promise<Reply> {
  // Anyone who may see the case may stop watching it (one who no longer may gets no DMs anyway).
  const found = await caseForButton(deps, who, value, () => ({ ok: true }), { ignoreVersion: true });
  if (!found.ok) return found.reply;
  const c = found.case;
  const removed = await deps.db.$transaction(async (tx) => {
    const deleted = await tx.caseWatcher.deleteMany({ where: { caseId: c.id, userId: who.user.id } });
    if (deleted.count === 0) return false;
    await tx.timelineEntry.create({ data: { recordType: "case", recordId: c.id, kind: "watcher-removed", actorId: who.user.id, summary: `${who.user.name} stopped watching the case` } });
    await publishCaseCard(tx, deps, c.id);
    return true;
  });
  const ref = caseReference(c.number);
  return cardWithLine(deps, who, c.id, removed ? `You stopped watching ${ref}.` : `You are not watching ${ref}.`);
}

export async function openAddWatcherForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.addCaseWatcher(actor, facts), { ignoreVersion: true });
  if (!found.ok) return found.reply;
  return openForm(caseWatcherForm({ id: found.case.id, number: found.case.number, version: found.version }));
}

export async function submitAddWatcher(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(caseWatcherForm({ id: "", number: 0, version: 0 }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const choice: WatcherChoice = parsed.value;
  const c = context.caseId ? await loadCase(deps.db, context.caseId) : null;
  if (!c) return privateMessage(notice("That case no longer exists."));
  const allowed = policy.addCaseWatcher(who.actor, caseFacts(c));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  let label: string;
  if (choice.kind === "user") {
    const person = await deps.db.user.findUnique({ where: { id: choice.userId } });
    if (!person?.isActive) return { kind: "errors", errors: { user: "That person is not an active Switchboard user. Choose another." } };
    if (!policy.viewCase(await actorOfUser(deps.db, person), caseFacts(c)).ok) return { kind: "errors", errors: { user: `${person.name} may not see this internal case, so they cannot watch it.` } };
    label = person.name;
  } else {
    label = choice.email;
  }
  const added = await deps.db.$transaction(async (tx) => {
    const data = choice.kind === "user" ? { caseId: c.id, userId: choice.userId } : { caseId: c.id, email: choice.email };
    const created = await tx.caseWatcher.createMany({ data: [data], skipDuplicates: true });
    if (created.count === 0) return false;
    await tx.timelineEntry.create({ data: { recordType: "case", recordId: c.id, kind: "watcher-added", actorId: who.user.id, summary: `${who.user.name} added ${label} as a watcher` } });
    await publishCaseCard(tx, deps, c.id);
    return true;
  });
  const ref = caseReference(c.number);
  const reply = await cardWithLine(deps, who, c.id, added ? `👀 ${label} is now watching ${ref}.` : `${label} is already watching ${ref}.`);
  return reply.kind === "message" ? { kind: "done", view: reply.view } : reply;
}

/**
 * DMs the case's user watchers about a change of kind `kind` (assigned, escalated, closed, reopened; others are
 * ignored), except the person who acted and those already told (the new assignee). One DM per watcher and change:
 * the dedupe key carries the case's version after the change.
 */
export async function notifyCaseWatchers(tx: Tx, deps: Deps, caseId: string, change: { kind: string; actorId: string | null; summary: string; assigneeTold?: boolean }): Promise<number> {
  const event = watcherEventOf(change.kind);
  if (!event) return 0;
  // Most cases have no watchers: the card is only rendered when someone is to be told.
  const c = await loadCase(tx, caseId);
  if (!c) return 0;
  const watchers = await tx.caseWatcher.findMany({ where: { caseId, userId: { not: null } }, select: { userId: true } });
  const ids = watchersToTell(watchers.map((w) => w.userId), change.actorId, change.assigneeTold ? [c.assigneeId] : []);
  if (!ids.length) return 0;
  const loaded = { case: c, card: await caseCardData(tx, c) };
  const people = await tx.user.findMany({ where: { id: { in: ids }, isActive: true } });
  const ref = caseReference(loaded.case.number);
  let sent = 0;
  for (const person of people) {
    if (!policy.viewCase(await actorOfUser(tx, person), caseFacts(loaded.case)).ok) continue;
    const card = caseCard(loaded.card, person.timeZone, deps.now());
    const line = `👀 ${ref}, which you watch, was ${EVENT_TEXT[event]}: ${change.summary}`.slice(0, 500);
    await notifyUser(tx, person, { text: `${line} — ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] }, { dedupeKey: `case-watch:${caseId}:${loaded.case.version}:${person.id}` });
    sent++;
  }
  return sent;
}

/** A watcher as the policy sees them (their role and teams), to check they may see what they watch. */
export async function actorOfUser(db: Deps["db"] | Tx, person: { id: string; role: Actor["role"] }): Promise<Actor> {
  const theirs = await db.teamMember.findMany({ where: { userId: person.id }, select: { teamId: true } });
  const managed = await db.team.findMany({ where: { managerId: person.id }, select: { id: true } });
  return { id: person.id, role: person.role, teamIds: theirs.map((t) => t.teamId), managedTeamIds: managed.map((t) => t.id) };
}
