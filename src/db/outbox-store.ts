// The outbox delivery worker's statements: claim the due head of each target, record the outcome.
import type { Db } from "./client.js";
import { afterSuccess, NO_TRANSPORT_NOTICE_AFTER_MS, noTransportError, type FailureOutcome, type SentMessage } from "../domain/outbox-rules.js";

export type Channel = "slack" | "teams" | "email" | "webhook";
export const CHANNELS: readonly Channel[] = ["slack", "teams", "email", "webhook"];

export interface ClaimedRow {
  id: string;
  channel: Channel;
  target: string;
  scope: string | null;
  payload: unknown;
  /** Attempts including this one: the fencing token for recording its outcome. */
  attempts: number;
  subjectKey: string | null;
  createdAt: Date;
}

/**
 * Claims up to `limit` rows, each the oldest pending row of its (channel, scope, target), when it
 * is due and the target received nothing in the last PACING_MS. One statement, so it needs no
 * interactive transaction (PGlite-safe). The claim is a lease: `nextAttemptAt` moves to
 * `leaseUntil`, so the row, and with it every later row of its target (head-of-line), is not due
 * for anybody else until the outcome is recorded or the lease runs out after a crash.
 * SKIP LOCKED lets replicas claim side by side; re-checking "pending and due" in the locking
 * query makes a replica that read an older snapshot skip a row another replica just claimed.
 */
export async function claimDue(db: Db, opts: { now: Date; leaseUntil: Date; channels: Channel[]; limit: number }): Promise<ClaimedRow[]> {
  const channels = opts.channels.filter((c) => CHANNELS.includes(c));
  if (channels.length === 0 || opts.limit <= 0) return [];
  const channelList = channels.map((c) => `'${c}'`).join(", ");
  return db.$queryRawUnsafe<ClaimedRow[]>(
    `WITH heads AS (
       SELECT DISTINCT ON (channel, scope, target) id, channel, scope, target, "nextAttemptAt", "createdAt"
       FROM "Outbox"
       WHERE state = 'pending' AND channel IN (${channelList})
       ORDER BY channel, scope, target, "createdAt", seq
     ), due AS (
       SELECT h.id FROM heads h
       WHERE h."nextAttemptAt" <= $1::timestamptz
         AND NOT EXISTS (
           SELECT 1 FROM "Outbox" s
           WHERE s.state = 'sent' AND s."nextAttemptAt" > $1::timestamptz
             AND s.channel = h.channel AND s.target = h.target AND s.scope IS NOT DISTINCT FROM h.scope)
       ORDER BY h."nextAttemptAt", h."createdAt"
       LIMIT $3::int
     ), locked AS (
       SELECT o.id FROM "Outbox" o
       WHERE o.id IN (SELECT id FROM due) AND o.state = 'pending' AND o."nextAttemptAt" <= $1::timestamptz
       FOR UPDATE SKIP LOCKED
     )
     UPDATE "Outbox" o SET attempts = o.attempts + 1, "nextAttemptAt" = $2::timestamptz
     FROM locked WHERE o.id = locked.id
     RETURNING o.id, o.channel::text AS channel, o.target, o.scope, o.payload, o.attempts, o."subjectKey", o."createdAt"`,
    opts.now,
    opts.leaseUntil,
    opts.limit,
  );
}

/**
 * Marks a claimed row sent, with its platform reference, in one statement. Guarded by the
 * attempt count: if our lease ran out and another delivery claimed the row, this changes nothing.
 */
export async function markSent(db: Db, row: Pick<ClaimedRow, "id" | "attempts">, messageRef: string | null, now: Date): Promise<boolean> {
  const { count } = await db.outbox.updateMany({
    where: { id: row.id, state: "pending", attempts: row.attempts },
    data: { ...afterSuccess(now), messageRef, lastError: null },
  });
  return count === 1;
}

export async function markFailed(db: Db, row: Pick<ClaimedRow, "id" | "attempts">, outcome: FailureOutcome): Promise<boolean> {
  const { count } = await db.outbox.updateMany({
    where: { id: row.id, state: "pending", attempts: row.attempts },
    data: outcome,
  });
  return count === 1;
}

/** Earlier messages that showed the same record in the same place (for updateRefFor). */
export async function earlierMessagesOfSubject(db: Db, row: ClaimedRow): Promise<SentMessage[]> {
  if (!row.subjectKey) return [];
  return db.outbox.findMany({
    where: { subjectKey: row.subjectKey, channel: row.channel, target: row.target, scope: row.scope, state: "sent", messageRef: { not: null } },
    orderBy: { sentAt: "desc" },
    take: 5,
    select: { id: true, channel: true, scope: true, target: true, subjectKey: true, state: true, messageRef: true, createdAt: true, sentAt: true },
  });
}

/** Tells admins why rows of a channel nobody can deliver are waiting (they stay pending). */
export async function noteMissingTransports(db: Db, channels: Channel[], now: Date): Promise<void> {
  for (const channel of channels) {
    await db.outbox.updateMany({
      where: { state: "pending", channel, lastError: null, createdAt: { lte: new Date(now.getTime() - NO_TRANSPORT_NOTICE_AFTER_MS) } },
      data: { lastError: noTransportError(channel) },
    });
  }
}

/** The platform reference of the latest message that showed `subjectKey` in the row's place (a thread's root), if any. */
export async function threadRootOf(db: Db, row: ClaimedRow, subjectKey: string): Promise<string | undefined> {
  const root = await db.outbox.findFirst({
    where: { subjectKey, channel: row.channel, target: row.target, scope: row.scope, state: "sent", messageRef: { not: null } },
    orderBy: { sentAt: "asc" },
    select: { messageRef: true },
  });
  return root?.messageRef ?? undefined;
}
