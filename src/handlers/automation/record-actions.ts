// A rule's "add watchers" and "follow-up" actions, stored as the chat handlers store them (cases/watchers.ts,
// email-notify.ts addCcWatchers, log-call.ts saveCall).
import type { Tx } from "../../db/outbox.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { callReference } from "../../domain/calls.js";
import { normalizeAddress } from "../../domain/mail-rules.js";
import { callDueJob } from "../../jobs/call-due.js";
import { prismaExecutor } from "../../jobs/job-runner.js";
import { actorOfUser } from "../cases/watchers.js";
import type { Deps } from "../deps.js";
import { loadAliases } from "../mail/route-email.js";
import { actorCanSee } from "./record-access.js";

export interface WatchersAdded {
  added: string[];
  skipped: { who: string; reason: string }[];
}

/**
 * Case and claim watchers: a user's email makes them a user watcher (if active and allowed to see the record), any
 * other address an outside email watcher (never one of our team aliases: mail to it would come back as new mail).
 */
export async function addWatchers(tx: Tx, snapshot: RecordSnapshot, people: string[]): Promise<WatchersAdded> {
  const result: WatchersAdded = { added: [], skipped: [] };
  if (snapshot.type !== "case" && snapshot.type !== "claim") {
    return { added: [], skipped: people.map((who) => ({ who, reason: `${snapshot.type} records have no watchers` })) };
  }
  const aliases = await loadAliases(tx);
  const seen = new Set<string>();
  for (const who of people) {
    const address = normalizeAddress(who);
    if (!address) {
      result.skipped.push({ who, reason: "not an email address" });
      continue;
    }
    if (seen.has(address)) continue;
    seen.add(address);
    const user = await tx.user.findFirst({ where: { email: { equals: address, mode: "insensitive" } }, select: { id: true, role: true, isActive: true } });
    let watcher: { userId: string } | { email: string };
    if (user) {
      if (!user.isActive) {
        result.skipped.push({ who: address, reason: "that user's account is deactivated" });
        continue;
      }
      if (!(await actorCanSee(tx, await actorOfUser(tx, user), snapshot))) {
        result.skipped.push({ who: address, reason: `they may not see ${snapshot.ref}` });
        continue;
      }
      watcher = { userId: user.id };
    } else if (aliases.isOurs(address)) {
      result.skipped.push({ who: address, reason: "it is one of our team aliases" });
      continue;
    } else {
      watcher = { email: address };
    }
    const created =
      snapshot.type === "case"
        ? await tx.caseWatcher.createMany({ data: [{ caseId: snapshot.id, ...watcher }], skipDuplicates: true })
        : await tx.claimWatcher.createMany({ data: [{ claimId: snapshot.id, ...watcher }], skipDuplicates: true });
    if (created.count) result.added.push(address);
    else result.skipped.push({ who: address, reason: "already watching" });
  }
  return result;
}

export type FollowUpOutcome = { ok: true; callRef: string; callId: string } | { ok: false; reason: string };

/**
 * A planned outbound call for the record's responsible person, about its partner (and lead), due at `dueAt`; the
 * "call is due" DM is scheduled through the caller's transaction, as log-call.ts does (no job for a rolled-back
 * call, and no second connection on PGlite).
 */
export async function planFollowUpCall(tx: Tx, deps: Pick<Deps, "jobs">, snapshot: RecordSnapshot, title: string, dueAt: Date): Promise<FollowUpOutcome> {
  if (!snapshot.responsibleId) return { ok: false, reason: `${snapshot.ref} has no responsible person to make the call` };
  const owner = await tx.user.findUnique({ where: { id: snapshot.responsibleId }, select: { isActive: true } });
  if (!owner?.isActive) return { ok: false, reason: `${snapshot.ref}'s responsible person is no longer an active user` };
  const subject = title.trim().slice(0, 500) || `Follow up ${snapshot.ref}`;
  const call = await tx.phoneCall.create({
    data: {
      direction: "outbound",
      state: "planned",
      subject,
      partnerId: snapshot.partnerId,
      callAt: dueAt,
      ownerId: snapshot.responsibleId,
      leadId: snapshot.type === "lead" ? snapshot.id : null,
    },
    select: { id: true, number: true, callAt: true },
  });
  // The call's own history starts here; the record's timeline gets the engine's firing entry.
  await tx.timelineEntry.create({
    data: { recordType: "call", recordId: call.id, kind: "created", actorId: null, summary: `Planned outbound call (automatic follow-up of ${snapshot.ref}): ${subject}`.slice(0, 500) },
  });
  await deps.jobs.send(callDueJob, { callId: call.id, callAt: call.callAt.toISOString() }, { startAfter: call.callAt, db: prismaExecutor(tx) });
  return { ok: true, callRef: callReference(call.number), callId: call.id };
}
