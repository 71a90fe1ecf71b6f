// Paces post-ack work by how late the event loop runs timers: the signal that acks are about to queue behind it.
const TICK_MS = 20;

export interface Pacer {
  /** How many pieces of work may run at once right now. */
  limit(): number;
  stop(): void;
}

/**
 * Additive increase, multiplicative decrease (as TCP does): every tick the loop was more than `lateMs` late halves
 * the limit, every punctual tick raises it by one, up to `max`. A backlog then resumes gradually, not as a burst.
 */
export function paceByLoopLag(opts: { max: number; lateMs: number }): Pacer {
  let limit = opts.max;
  let expected = performance.now() + TICK_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    const lag = now - expected;
    limit = lag > opts.lateMs ? Math.max(1, Math.floor(limit / 2)) : Math.min(opts.max, limit + 1);
    expected = now + TICK_MS;
  }, TICK_MS);
  timer.unref();
  return { limit: () => limit, stop: () => clearInterval(timer) };
}
