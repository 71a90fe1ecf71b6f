import { describe, expect, it } from "vitest";
import { age, undeliveredView } from "../../src/bot/views/outbox.js";
import {
  afterFailure,
  afterSuccess,
  backoffMs,
  isUndelivered,
  leaseUntil,
  MAX_ATTEMPTS,
  MAX_BACKOFF_MS,
  PACING_MS,
  trimError,
  updateRefFor,
  type SentMessage,
} from "../../src/domain/outbox-rules.js";
import { nextSlot, slotAt, tickId } from "../../src/jobs/outbox-ticks.js";

const now = new Date("2026-11-24T10:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);

function aMessage(overrides: Partial<SentMessage> = {}): SentMessage {
  return {
    id: "m1",
    channel: "slack",
    scope: "T1",
    target: "C1",
    subjectKey: "merge:1",
    state: "sent",
    messageRef: "1700000000.000100",
    createdAt: at(-60_000),
    sentAt: at(-59_000),
    ...overrides,
  };
}

describe("retry backoff", () => {
  it("doubles from 2 s per failed attempt (without jitter at the middle of the range)", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 0.5))).toEqual([2000, 4000, 8000, 16_000, 32_000]);
  });

  it("spreads retries within ±20 % so one outage's failures do not return together", () => {
    expect(backoffMs(1, 0)).toBe(1600);
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(2400);
    expect(backoffMs(3, 0)).toBe(6400);
  });

  it("never waits more than five minutes", () => {
    expect(backoffMs(20, 0.999)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(1000, 0.5)).toBe(MAX_BACKOFF_MS);
  });
});

describe("after a failed delivery", () => {
  it("retries a transient error after the backoff, keeping the error for admins", () => {
    expect(afterFailure(1, { message: "HTTP 500" }, now, 0.5)).toEqual({ state: "pending", attempts: 1, nextAttemptAt: at(2000), lastError: "HTTP 500" });
  });

  it("honours Retry-After on a 429, without using up an attempt", () => {
    expect(afterFailure(3, { message: "ratelimited", retryAfterMs: 30_000 }, now, 0.5)).toEqual({
      state: "pending",
      attempts: 2,
      nextAttemptAt: at(30_000),
      lastError: "ratelimited",
    });
  });

  it("keeps rate-limited notifications even after many attempts: the platform asked us to wait, not to give up", () => {
    expect(afterFailure(MAX_ATTEMPTS, { message: "ratelimited", retryAfterMs: 1000 }, now, 0.5).state).toBe("pending");
  });

  it("dead-letters a permanent error at once", () => {
    expect(afterFailure(1, { message: "channel_not_found", isPermanent: true }, now, 0.5)).toEqual({ state: "dead", attempts: 1, lastError: "channel_not_found" });
  });

  it("dead-letters after eight attempts, with the last error", () => {
    expect(afterFailure(MAX_ATTEMPTS - 1, { message: "HTTP 502" }, now, 0.5).state).toBe("pending");
    expect(afterFailure(MAX_ATTEMPTS, { message: "HTTP 503" }, now, 0.5)).toEqual({ state: "dead", attempts: MAX_ATTEMPTS, lastError: "HTTP 503" });
  });

  it("stores errors as one bounded line", () => {
    expect(trimError("line one\n  line two ")).toBe("line one line two");
    expect(trimError("x".repeat(2000))).toHaveLength(500);
    expect(trimError("  ")).toBe("unknown error");
  });
});

describe("pacing and leases", () => {
  it("a sent notification holds its target for a second (Slack: about one message per second per channel)", () => {
    expect(afterSuccess(now)).toEqual({ state: "sent", sentAt: now, nextAttemptAt: at(PACING_MS) });
  });

  it("a claimed notification is reserved for a minute by default", () => {
    expect(leaseUntil(now)).toEqual(at(60_000));
    expect(leaseUntil(now, 5000)).toEqual(at(5000));
  });
});

describe("which earlier message a state card updates", () => {
  const next = { id: "m2", channel: "slack", scope: "T1", target: "C1", subjectKey: "merge:1", createdAt: now };

  it("updates the message that showed the same record in the same place", () => {
    expect(updateRefFor(next, [aMessage()])).toBe("1700000000.000100");
  });

  it("picks the latest sent one when there are several", () => {
    const older = aMessage({ id: "a", messageRef: "old", sentAt: at(-50_000) });
    const newer = aMessage({ id: "b", messageRef: "new", sentAt: at(-10_000) });
    expect(updateRefFor(next, [older, newer])).toBe("new");
  });

  it("posts anew without a subject, or when the earlier one was elsewhere, not sent, or has no reference", () => {
    expect(updateRefFor({ ...next, subjectKey: null }, [aMessage()])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ target: "C2" })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ channel: "teams" })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ scope: "T2" })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ state: "dead" })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ messageRef: null })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ subjectKey: "merge:2" })])).toBeUndefined();
  });

  it("never updates a message created after this one, nor itself", () => {
    expect(updateRefFor(next, [aMessage({ createdAt: at(1000) })])).toBeUndefined();
    expect(updateRefFor(next, [aMessage({ id: "m2" })])).toBeUndefined();
  });
});

describe("the admin list", () => {
  it("shows dead notifications and pending ones that failed or wait for a transport", () => {
    expect(isUndelivered({ state: "dead", attempts: 1, lastError: "x" })).toBe(true);
    expect(isUndelivered({ state: "pending", attempts: 2, lastError: "x" })).toBe(true);
    expect(isUndelivered({ state: "pending", attempts: 0, lastError: "no transport for teams" })).toBe(true);
    expect(isUndelivered({ state: "pending", attempts: 0, lastError: null })).toBe(false);
    expect(isUndelivered({ state: "sent", attempts: 3, lastError: null })).toBe(false);
  });

  it("lists each row with channel, target, age, attempts, last error and a Retry button", () => {
    const row = { id: "r1", channel: "slack" as const, target: "C1", state: "dead" as const, attempts: 8, lastError: "HTTP 503", createdAt: at(-12 * 60_000), nextAttemptAt: now };
    const view = undeliveredView([row], 1, now);
    expect(view.blocks).toEqual([
      { type: "header", text: "1 undelivered notification" },
      { type: "text", text: "*Slack* → `C1` · *dead* after 8 attempts · queued 12 min ago" },
      { type: "context", text: "Last error: HTTP 503" },
      { type: "actions", actions: [{ id: "outbox.retry", label: "Retry", value: "r1" }] },
    ]);
  });

  it("says so when everything was delivered", () => {
    expect(undeliveredView([], 0, now).text).toMatch(/Every notification was delivered/);
  });

  it("writes ages roughly", () => {
    expect([age(at(-40_000), now), age(at(-12 * 60_000), now), age(at(-3 * 3600_000), now), age(at(-2 * 86400_000), now)]).toEqual(["40 s", "12 min", "3 h", "2 d"]);
  });
});

describe("the outbox clock", () => {
  it("gives every replica the same job id for the same second, and a different one for the next", () => {
    expect(tickId(1_790_000_000)).toBe(tickId(1_790_000_000));
    expect(tickId(1_790_000_000)).not.toBe(tickId(1_790_000_001));
    expect(tickId(1_790_000_000)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("schedules the next tick for the next second, catching up when it fell behind", () => {
    expect(slotAt(10_999)).toBe(10);
    expect(nextSlot(10, 10_500)).toBe(11);
    expect(nextSlot(10, 25_300)).toBe(26);
  });
});
