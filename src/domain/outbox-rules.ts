// Outbox delivery rules: retry backoff, Retry-After, dead letters, per-target pacing and in-place updates.

/** Attempts before a notification is given up (dead-lettered) for an admin to retry. */
export const MAX_ATTEMPTS = 8;
/** Slack allows about one chat.postMessage per second per channel; Teams is paced the same (DESIGN.md). */
export const PACING_MS = 1000;
export const FIRST_BACKOFF_MS = 2000;
export const MAX_BACKOFF_MS = 5 * 60_000;
/** How long a claimed row is reserved for its deliverer; after that (a crash) another delivery may take it. */
export const DEFAULT_LEASE_MS = 60_000;

/** Why a delivery failed, as a plain value (from a DeliveryError or any other exception). */
export interface Failure {
  message: string;
  /** The platform said when to come back (a 429's Retry-After). */
  retryAfterMs?: number;
  /** A retry cannot help (channel not found, bot not in the channel, invalid payload). */
  isPermanent?: boolean;
}

export type FailureOutcome =
  | { state: "dead"; attempts: number; lastError: string }
  | { state: "pending"; attempts: number; nextAttemptAt: Date; lastError: string };

/**
 * Delay before the next attempt after `attempts` failed ones: 2 s, 4 s, 8 s … capped at 5 min,
 * each within ±20 % so that notifications failed by one outage do not all come back at once.
 * `random` is in [0, 1).
 */
export function backoffMs(attempts: number, random: number): number {
  const base = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
  return Math.min(Math.round(base * (0.8 + 0.4 * random)), MAX_BACKOFF_MS);
}

/**
 * What happens to a row whose delivery failed. `attempts` already counts the failed attempt.
 * A rate limit (Retry-After) is the platform asking us to slow down, not a fault of the message:
 * it does not use up an attempt, so a long run of 429s delays notifications but never drops them.
 */
export function afterFailure(attempts: number, failure: Failure, now: Date, random: number): FailureOutcome {
  const lastError = trimError(failure.message);
  if (failure.isPermanent) return { state: "dead", attempts, lastError };
  if (failure.retryAfterMs !== undefined) {
    const wait = Math.max(0, Math.min(failure.retryAfterMs, 60 * 60_000));
    return { state: "pending", attempts: Math.max(0, attempts - 1), nextAttemptAt: new Date(now.getTime() + wait), lastError };
  }
  if (attempts >= MAX_ATTEMPTS) return { state: "dead", attempts, lastError };
  return { state: "pending", attempts, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts, random)), lastError };
}

/**
 * A sent row keeps, in `nextAttemptAt`, the earliest time its target may receive the next message:
 * the delivery worker finds "sent to this target less than a second ago" through the
 * (state, nextAttemptAt) index instead of scanning every sent row.
 */
export function afterSuccess(now: Date): { state: "sent"; sentAt: Date; nextAttemptAt: Date } {
  return { state: "sent", sentAt: now, nextAttemptAt: new Date(now.getTime() + PACING_MS) };
}

/** Until when a claimed row is reserved for the delivery that claimed it. */
export function leaseUntil(now: Date, leaseMs: number = DEFAULT_LEASE_MS): Date {
  return new Date(now.getTime() + leaseMs);
}

/**
 * With no transport for a channel (Teams not configured) rows wait, pending, rather than die:
 * an admin may configure it later. After this long they are marked so the admin list shows them.
 */
export const NO_TRANSPORT_NOTICE_AFTER_MS = 60_000;
export const noTransportError = (channel: string): string => `no transport for ${channel}`;

export interface SentMessage {
  id: string;
  channel: string;
  scope: string | null;
  target: string;
  subjectKey: string | null;
  state: "pending" | "sent" | "dead";
  messageRef: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * The platform reference to update instead of posting: a message showing the same record
 * (same subjectKey) was already sent to the same place. The latest such message wins.
 */
export function updateRefFor(message: Omit<SentMessage, "state" | "messageRef" | "sentAt">, earlier: SentMessage[]): string | undefined {
  if (!message.subjectKey) return undefined;
  const candidates = earlier.filter(
    (e) =>
      e.id !== message.id &&
      e.state === "sent" &&
      e.messageRef !== null &&
      e.subjectKey === message.subjectKey &&
      e.channel === message.channel &&
      e.target === message.target &&
      (e.scope ?? null) === (message.scope ?? null) &&
      e.createdAt.getTime() <= message.createdAt.getTime(),
  );
  candidates.sort((a, b) => (b.sentAt?.getTime() ?? 0) - (a.sentAt?.getTime() ?? 0) || b.createdAt.getTime() - a.createdAt.getTime());
  return candidates[0]?.messageRef ?? undefined;
}

/** Errors are stored for admins to read: one line, bounded. */
export function trimError(message: string): string {
  const line = message.replace(/\s+/g, " ").trim() || "unknown error";
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

/** Whether an admin should see the row in the list of undelivered notifications. */
export function isUndelivered(row: { state: "pending" | "sent" | "dead"; attempts: number; lastError: string | null }): boolean {
  return row.state === "dead" || (row.state === "pending" && (row.attempts > 0 || row.lastError !== null));
}
