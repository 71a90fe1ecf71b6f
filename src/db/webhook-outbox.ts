// Queuing a webhook call as an outbox row, inside the caller's transaction; the webhook transport POSTs it.
import type { Prisma } from "./generated/client.js";
import type { Tx } from "./outbox.js";

export interface WebhookCall {
  /** http(s) URL the JSON body is POSTed to. */
  url: string;
  body: unknown;
  /** Same key twice is stored once (e.g. "rule:<id>:<record>:<moment>"). */
  dedupeKey?: string;
}

/** The row's payload: a MessageView (text, no blocks) as the outbox expects of every row, plus the call itself. */
export interface WebhookPayload {
  text: string;
  blocks: [];
  webhook: { url: string; body: unknown };
}

export async function enqueueWebhook(tx: Tx, call: WebhookCall): Promise<void> {
  // Rules validate their URL when saved; a bad one here is a bug, not something to queue and retry.
  if (!isHttpUrl(call.url)) throw new Error("a webhook URL must be http or https");
  const payload: WebhookPayload = { text: `webhook ${call.url}`, blocks: [], webhook: { url: call.url, body: call.body } };
  const data = {
    channel: "webhook" as const,
    target: call.url,
    scope: null,
    payload: payload as unknown as Prisma.InputJsonValue,
    dedupeKey: call.dedupeKey ?? null,
  };
  if (call.dedupeKey) await tx.outbox.upsert({ where: { dedupeKey: call.dedupeKey }, create: data, update: {} });
  else await tx.outbox.create({ data });
}

export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
