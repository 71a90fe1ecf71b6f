// Outbox delivery to Slack: chat.postMessage (a user id posts into the app DM) or chat.update in place.
import { webApi } from "@slack/bolt";
import { z } from "zod";
import { DeliveryError, type OutgoingMessage, type Transport } from "../../jobs/transport.js";
import { isMessageGone, toDeliveryError } from "./delivery-errors.js";
import { renderMessage, type RenderedMessage } from "./render-block-kit.js";
import type { WebClient } from "./slack-surface.js";

/** Where a workspace's bot token comes from: the single token, or the installation store. */
export type BotTokenSource = (scope: string | null) => Promise<string | undefined>;

const posted = z.object({ channel: z.string(), ts: z.string() });

export function createSlackTransport(opts: { botToken: BotTokenSource; clientOptions: webApi.WebClientOptions }): Transport {
  const clients = new Map<string, WebClient>();
  const clientFor = (token: string) => {
    let client = clients.get(token);
    // One client per token; no waiting or retrying inside: the outbox schedules retries (Retry-After included).
    if (!client) clients.set(token, (client = new webApi.WebClient(token, { ...opts.clientOptions, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } })));
    return client;
  };
  return {
    async deliver(message: OutgoingMessage) {
      const token = await opts.botToken(message.scope);
      if (!token) throw new DeliveryError(`Switchboard is not installed in Slack workspace ${message.scope ?? "(none given)"}`, { isPermanent: true });
      const client = clientFor(token);
      const rendered = renderMessage(message.view);
      try {
        if (message.updateRef) {
          const updated = await updateInPlace(client, message.updateRef, rendered);
          if (updated) return { messageRef: updated };
        }
        const threadTs = message.threadRef?.slice(message.threadRef.indexOf(":") + 1);
        const res = posted.parse(await client.chat.postMessage({ channel: message.target, ...rendered, ...(threadTs ? { thread_ts: threadTs } : {}) }));
        return { messageRef: `${res.channel}:${res.ts}` };
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
  };
}

/** Returns the reference, or undefined when the old message is gone (the caller posts a new one). */
async function updateInPlace(client: WebClient, ref: string, rendered: RenderedMessage): Promise<string | undefined> {
  const colon = ref.indexOf(":");
  if (colon <= 0) return undefined;
  try {
    const res = posted.parse(await client.chat.update({ channel: ref.slice(0, colon), ts: ref.slice(colon + 1), ...rendered }));
    return `${res.channel}:${res.ts}`;
  } catch (error) {
    if (isMessageGone(error)) return undefined;
    throw error;
  }
}
