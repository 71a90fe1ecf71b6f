// One place per request where an unexpected exception is caught, logged with a reference and answered with an apology;
// and where listener work is paced so acks stay fast under load.
import { randomBytes } from "node:crypto";
import { webApi } from "@slack/bolt";
import type { Logger } from "../../log.js";
import { paceByLoopLag, type Pacer } from "./loop-pacer.js";
import { GateFullError, WorkGate } from "./work-gate.js";

/**
 * Listener work running at once. Most of it waits on Slack and the database, so up to 16 (unbounded, a burst
 * stampedes the 10-connection pool and Prisma gives up on transactions after 2 s). When the event loop runs late,
 * the work is using the CPU the next acks need, and the limit comes down. A missed ack is an error in Slack;
 * an answer a moment later is not. (Measured with test/bench/slack-ack.ts; see docs/slack.md.)
 */
const CONCURRENT_WORK = 16;
const LATE_LOOP_MS = 5;
/** Beyond this much waiting work, new work is refused with a "busy" answer instead of growing memory without end. */
const MAX_QUEUED = 5000;

export class RequestGuard {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pacer: Pacer = paceByLoopLag({ max: CONCURRENT_WORK, lateMs: LATE_LOOP_MS });
  private readonly gate = new WorkGate(() => this.pacer.limit(), MAX_QUEUED);

  constructor(private readonly logger: Logger) {}

  /**
   * Runs a listener's work; `apologize` tells the person when it fails. `isUrgent` for work that runs before
   * the ack (a modal submission, type-ahead options): Slack is holding the request open for it.
   */
  run(name: string, work: () => Promise<void>, apologize: (text: string) => Promise<unknown>, opts: { isUrgent?: boolean } = {}): Promise<void> {
    const task = (async () => {
      try {
        await this.gate.run(work, opts.isUrgent);
      } catch (error) {
        await this.fail(name, error, apologize);
      }
    })();
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    return task;
  }

  /** Waits for work still running after its ack (processBeforeResponse is off), up to the timeout. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    if (this.inFlight.size > 0) await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.pacer.stop();
  }

  private async fail(name: string, error: unknown, apologize: (text: string) => Promise<unknown>): Promise<void> {
    const reference = randomBytes(4).toString("hex");
    if (error instanceof GateFullError) this.logger.warn({ reference, listener: name }, "Slack request refused: too much work waiting");
    else this.logger.error({ err: error, reference, listener: name }, "Slack request failed");
    await apologize(apologyFor(error, reference)).catch((e: unknown) => this.logger.warn({ err: e, reference }, "could not tell the person about the failure"));
  }
}

function apologyFor(error: unknown, reference: string): string {
  if (error instanceof GateFullError) return `Switchboard is very busy right now. Try again in a minute. (Reference: ${reference})`;
  if ((error as { code?: string }).code === webApi.ErrorCode.RateLimitedError) {
    const seconds = (error as { retryAfter?: number }).retryAfter ?? 30;
    return `Slack asked Switchboard to slow down. Try again in ${seconds} seconds. (Reference: ${reference})`;
  }
  return `Sorry, something went wrong on our side. If it happens again, give an admin this reference: ${reference}.`;
}
