// How the outbox worker hands a notification to a platform. Implemented in src/bot/slack and src/bot/teams.
import type { MessageView } from "../bot/views/view.js";

export interface OutgoingMessage {
  id: string;
  target: string;
  scope: string | null;
  view: MessageView;
  /** Set when an earlier message showing the same record exists: update it in place instead of posting. */
  updateRef?: string;
  /** Set when the view asks for a thread (view.threadOf) and its root message exists: the root's platform reference. */
  threadRef?: string;
}

export interface Transport {
  /** Posts (or updates) the message and returns the platform reference of the posted message. */
  deliver(message: OutgoingMessage): Promise<{ messageRef?: string }>;
}

/** A delivery failure. `retryAfterMs` from a 429's Retry-After; `isPermanent` for errors a retry cannot fix. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly opts: { retryAfterMs?: number; isPermanent?: boolean } = {},
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

export type Transports = Partial<Record<"slack" | "teams" | "email" | "webhook", Transport>>;
