// Outbox delivery: every tick, claim the due head row of each target and hand it to its platform's transport.
import type { MessageView } from "../bot/views/view.js";
import { CHANNELS, claimDue, earlierMessagesOfSubject, markFailed, markSent, noteMissingTransports, threadRootOf, type Channel, type ClaimedRow } from "../db/outbox-store.js";
import { afterFailure, DEFAULT_LEASE_MS, leaseUntil, noTransportError, updateRefFor, type Failure } from "../domain/outbox-rules.js";
import type { Deps } from "../handlers/deps.js";
import type { Logger } from "../log.js";
import { defineJob, type JobDefinition } from "./define-job.js";
import { nextSlot, outboxTickJob, seedTicks, sendTick } from "./outbox-ticks.js";
import { DeliveryError, type Transports } from "./transport.js";

export interface OutboxOptions {
  /** Deliveries in flight at once on one replica (each to a different target). */
  concurrency: number;
  /** How long a claimed row is reserved; must exceed deliveryTimeoutMs. */
  leaseMs: number;
  /** A transport call that takes longer fails (and is retried): it must not outlive its lease. */
  deliveryTimeoutMs: number;
  /** A tick stops claiming after this long, so shutdown never waits long for it. */
  passBudgetMs: number;
  /** Start the tick chain when the job runner is up (false: a process that only sends jobs). */
  seed: boolean;
}

export const defaultOutboxOptions: OutboxOptions = { concurrency: 8, leaseMs: DEFAULT_LEASE_MS, deliveryTimeoutMs: 30_000, passBudgetMs: 5000, seed: true };

export function outboxJobs(deps: Deps, transports: Transports, options: Partial<OutboxOptions> = {}): JobDefinition<any>[] {
  const opts = { ...defaultOutboxOptions, ...options };
  // With no chat platform configured there is nothing to deliver: rows wait, and no tick polls the database.
  if (CHANNELS.every((c) => !transports[c])) return [];
  if (opts.seed) seedTicks(deps.jobs, deps.logger.child({ component: "outbox" }));
  return [
    defineJob({
      ...outboxTickJob,
      // A failed tick is retried only to send its successor; `expireInSeconds` bounds a crashed one.
      queue: { retryLimit: 1000, retryDelay: 1, expireInSeconds: Math.ceil((opts.passBudgetMs + opts.deliveryTimeoutMs) / 1000) + 30 },
      batchSize: 1,
      pollingIntervalSeconds: 0.5,
      async handler({ slot }, ctx) {
        // The successor first: a tick that dies mid-pass must not stop the clock.
        await sendTick(deps.jobs, nextSlot(slot, Date.now()));
        try {
          const delivered = await deliverDue(deps, transports, opts);
          if (delivered > 0) ctx.logger.debug({ delivered }, "outbox delivered");
          if (slot % 30 === 0) await noteMissingTransports(deps.db, missingChannels(transports), deps.now());
        } catch (error) {
          ctx.logger.error({ err: error }, "outbox delivery pass failed");
        }
      },
    }),
  ];
}

/**
 * One delivery pass: keeps up to `concurrency` deliveries in flight, claiming more as they
 * finish, until nothing is due or the pass budget is spent. Returns how many were sent.
 */
export async function deliverDue(deps: Deps, transports: Transports, options: Partial<OutboxOptions> = {}): Promise<number> {
  const opts = { ...defaultOutboxOptions, ...options };
  const channels = CHANNELS.filter((c) => transports[c]);
  const log = deps.logger.child({ component: "outbox" });
  const startedAt = Date.now();
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  for (;;) {
    const free = opts.concurrency - inFlight.size;
    const mayClaim = free > 0 && Date.now() - startedAt < opts.passBudgetMs;
    const now = deps.now();
    const claimed = mayClaim ? await claimDue(deps.db, { now, leaseUntil: leaseUntil(now, opts.leaseMs), channels, limit: free }) : [];
    for (const row of claimed) {
      const delivery: Promise<void> = deliverRow(deps, transports, row, opts, log)
        .then((ok) => {
          if (ok) sent++;
        })
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
    if (inFlight.size === 0) return sent;
    await Promise.race(inFlight);
  }
}

/** Delivers one claimed row and records the outcome. Never throws: a lost outcome is retried after the lease. */
async function deliverRow(deps: Deps, transports: Transports, row: ClaimedRow, opts: OutboxOptions, log: Logger): Promise<boolean> {
  const rowLog = log.child({ outboxId: row.id, channel: row.channel, attempt: row.attempts });
  try {
    const outcome = await attempt(deps, transports, row, opts.deliveryTimeoutMs);
    if (outcome.ok) {
      const recorded = await markSent(deps.db, row, outcome.messageRef, deps.now());
      if (!recorded) rowLog.warn("delivered after its lease ran out; another delivery may post it again");
      return recorded;
    }
    const next = afterFailure(row.attempts, outcome.failure, deps.now(), Math.random());
    await markFailed(deps.db, row, next);
    const level = next.state === "dead" ? "error" : "warn";
    rowLog[level]({ error: next.lastError, state: next.state }, next.state === "dead" ? "notification dead-lettered" : "notification delivery failed; will retry");
  } catch (error) {
    rowLog.error({ err: error }, "recording an outbox outcome failed; the row is retried after its lease");
  }
  return false;
}

type Attempt = { ok: true; messageRef: string | null } | { ok: false; failure: Failure };

async function attempt(deps: Deps, transports: Transports, row: ClaimedRow, timeoutMs: number): Promise<Attempt> {
  const transport = transports[row.channel];
  // Not claimed without a transport (claimDue filters by channel); kept for a transport removed mid-pass.
  if (!transport) return { ok: false, failure: { message: noTransportError(row.channel), retryAfterMs: 10 * 60_000 } };
  if (!isMessageView(row.payload)) return { ok: false, failure: { message: "the stored payload is not a message view", isPermanent: true } };
  const updateRef = updateRefFor(row, await earlierMessagesOfSubject(deps.db, row));
  // Rows of one target go out in order, so a thread's root (queued earlier) is already sent when its reply is claimed.
  const threadRef = row.payload.threadOf && !updateRef ? await threadRootOf(deps.db, row, row.payload.threadOf) : undefined;
  try {
    const result = await withTimeout(
      transport.deliver({ id: row.id, target: row.target, scope: row.scope, view: row.payload, ...(updateRef ? { updateRef } : {}), ...(threadRef ? { threadRef } : {}) }),
      timeoutMs,
    );
    // An update keeps the message's reference when the platform does not return one.
    return { ok: true, messageRef: result.messageRef ?? updateRef ?? null };
  } catch (error) {
    return { ok: false, failure: toFailure(error) };
  }
}

export function toFailure(error: unknown): Failure {
  if (error instanceof DeliveryError) return { message: error.message, ...error.opts };
  return { message: error instanceof Error ? error.message : String(error) };
}

function isMessageView(payload: unknown): payload is MessageView {
  const p = payload as Partial<MessageView> | null;
  return typeof p === "object" && p !== null && typeof p.text === "string" && Array.isArray(p.blocks);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryError(`no answer from the platform within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function missingChannels(transports: Transports): Channel[] {
  return CHANNELS.filter((c) => !transports[c]);
}
