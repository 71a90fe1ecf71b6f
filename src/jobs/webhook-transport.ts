// The outbox transport for webhook rows (an automation rule's "call a webhook"): a signed JSON POST, retried from the outbox.
import { createHmac } from "node:crypto";
import { z } from "zod";
import type { Logger } from "../log.js";
import { DeliveryError, type OutgoingMessage, type Transport } from "./transport.js";

/** The AppSecret that keys the signatures; receivers get it from an admin (docs/outbox.md, "Webhooks"). */
export const WEBHOOK_SECRET_NAME = "webhook-signing";
export const WEBHOOK_TIMEOUT_MS = 10_000;

const payloadSchema = z.object({ webhook: z.object({ url: z.string().url(), body: z.unknown() }) });

export interface WebhookTransportOptions {
  /** Reads (or creates once) the shared signing secret: the AppSecret WEBHOOK_SECRET_NAME, given by the composition root. */
  loadSecret(): Promise<string>;
  logger: Logger;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>.<body>" with the shared secret, as hex.
 * The timestamp is inside the signature so a captured request cannot be replayed later with a fresh one.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function createWebhookTransport(opts: WebhookTransportOptions): Transport {
  const timeoutMs = opts.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: "webhook" });
  let secret: Promise<string> | undefined;
  const signingSecret = () => (secret ??= opts.loadSecret().catch((error: unknown) => {
    secret = undefined;
    throw error;
  }));

  return {
    async deliver(message: OutgoingMessage) {
      const parsed = payloadSchema.safeParse(message.view);
      if (!parsed.success) throw new DeliveryError("the stored webhook payload has no URL", { isPermanent: true });
      const { url } = parsed.data.webhook;
      const host = hostOf(url);
      const body = JSON.stringify(parsed.data.webhook.body ?? null);
      const timestamp = Math.floor(now().getTime() / 1000);
      const headers = {
        "Content-Type": "application/json",
        "User-Agent": "Switchboard",
        "X-Switchboard-Signature": signWebhook(await signingSecret(), timestamp, body),
        "X-Switchboard-Delivery": message.id,
        "X-Switchboard-Timestamp": String(timestamp),
      };
      let response: Response;
      try {
        // A redirect is not followed: the signed body would go to a host the rule's author never named.
        response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        throw new DeliveryError(isTimeout(error) ? `${host} did not answer within ${Math.round(timeoutMs / 1000)} s` : `${host} could not be reached: ${causeOf(error)}`);
      }
      await response.body?.cancel().catch(() => undefined);
      log.debug({ outboxId: message.id, host, status: response.status }, "webhook answered");
      if (response.ok) return {};
      throw failureFor(response, host, now());
    },
  };
}

/** 429 and 5xx are retried (a 429's Retry-After honoured); a redirect or another 4xx will not get better by retrying. */
function failureFor(response: Response, host: string, now: Date): DeliveryError {
  const status = response.status;
  const message = `${host} answered ${status}`;
  if (status === 429) {
    const retryAfterMs = retryAfter(response.headers.get("retry-after"), now);
    return new DeliveryError(message, retryAfterMs !== undefined ? { retryAfterMs } : {});
  }
  if (status >= 500) return new DeliveryError(message);
  if (status >= 300 && status < 400) return new DeliveryError(`${message} (a redirect; webhooks do not follow redirects)`, { isPermanent: true });
  return new DeliveryError(message, { isPermanent: true });
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3). */
export function retryAfter(raw: string | null, now: Date): number | undefined {
  if (!raw || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : undefined;
}

/** Only the host goes into errors and logs: a URL's path or query may carry the receiver's token. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the webhook";
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
