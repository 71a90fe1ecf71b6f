// A fake chat platform for the outbox worker: records what it was given and fails on command (500s, 429s, outages).
import type { MessageView } from "../../src/bot/views/view.js";
import { DeliveryError, type OutgoingMessage, type Transport } from "../../src/jobs/transport.js";

export interface Delivery {
  id: string;
  target: string;
  scope: string | null;
  view: MessageView;
  updateRef?: string;
  threadRef?: string;
  messageRef: string;
  /** When the fake accepted it (ms since the epoch). */
  at: number;
}

export interface Rejection {
  id: string;
  target: string;
  error: string;
  at: number;
}

export type FailureKind = "server-error" | "rate-limited" | "permanent";

export const serverError = (): DeliveryError => new DeliveryError("An API error occurred: internal_error (HTTP 500)");
export const rateLimited = (retryAfterMs: number): DeliveryError => new DeliveryError("ratelimited (HTTP 429)", { retryAfterMs });
export const permanentError = (): DeliveryError => new DeliveryError("An API error occurred: channel_not_found", { isPermanent: true });

export class FakeTransport implements Transport {
  readonly deliveries: Delivery[] = [];
  readonly rejections: Rejection[] = [];
  /** Every call, successful or not, in the order they started. */
  readonly calls: { id: string; at: number }[] = [];
  private failures: (() => DeliveryError)[] = [];
  private outage?: { until: number; error: (at: number) => DeliveryError };
  private nextRef = 1;

  constructor(private readonly opts: { latencyMs?: number; name?: string } = {}) {}

  /** The next `count` calls fail with the error the factory makes. */
  failNext(count: number, error: () => DeliveryError = serverError): this {
    for (let i = 0; i < count; i++) this.failures.push(error);
    return this;
  }

  /** Every call fails for the next `ms` milliseconds; `error` may depend on the time of the call. */
  failFor(ms: number, error: (at: number) => DeliveryError = serverError): this {
    this.outage = { until: Date.now() + ms, error };
    return this;
  }

  async deliver(message: OutgoingMessage): Promise<{ messageRef?: string }> {
    const at = Date.now();
    this.calls.push({ id: message.id, at });
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    // An outage window comes first; calls counted by failNext fail once it is over.
    const failure = this.outage && at < this.outage.until ? this.outage.error(at) : this.failures.shift()?.();
    if (failure) {
      this.rejections.push({ id: message.id, target: message.target, error: failure.message, at });
      throw failure;
    }
    const messageRef = message.updateRef ?? `${this.opts.name ?? "msg"}-${this.nextRef++}`;
    this.deliveries.push({ id: message.id, target: message.target, scope: message.scope, view: message.view, updateRef: message.updateRef, threadRef: message.threadRef, messageRef, at });
    return { messageRef };
  }

  deliveredIds(target?: string): string[] {
    return this.deliveries.filter((d) => target === undefined || d.target === target).map((d) => d.id);
  }
}

/** A transport that never answers, like a process killed in the middle of a delivery. */
export class HangingTransport implements Transport {
  readonly calls: string[] = [];
  deliver(message: OutgoingMessage): Promise<{ messageRef?: string }> {
    this.calls.push(message.id);
    return new Promise(() => undefined);
  }
}
