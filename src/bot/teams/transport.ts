// Outbox delivery to Teams: posts (or updates in place) a card in a stored conversation, proactively.
import type { CloudAdapter, TurnContext } from "botbuilder";
import { z } from "zod";
import type { Deps } from "../../handlers/deps.js";
import { DeliveryError, type OutgoingMessage, type Transport } from "../../jobs/transport.js";
import { loadConversation } from "./conversation-store.js";
import { messageActivity } from "./replies.js";

/** Throttling and transient answers (learn.microsoft.com …/bots/how-to/rate-limit): retry later. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
/** The bot is not in the conversation, or it (or the message) is gone: retrying cannot help. */
const PERMANENT = new Set([400, 401, 403, 404, 405, 410, 413]);

export function teamsTransport(deps: Pick<Deps, "db">, adapter: CloudAdapter, appId: string): Transport {
  return {
    async deliver(message: OutgoingMessage): Promise<{ messageRef?: string }> {
      const stored = await loadConversation(deps, message.target);
      if (!stored) throw new DeliveryError(`Teams conversation ${message.target} is unknown (never seen, or the app was removed)`, { isPermanent: true });
      // A reply in a channel's reply chain goes to "<conversation id>;messageid=<root activity id>".
      const reference =
        message.threadRef && !message.updateRef && stored.conversation?.conversationType === "channel"
          ? { ...stored, conversation: { ...stored.conversation, id: `${stored.conversation.id};messageid=${message.threadRef}` } }
          : stored;
      let messageRef: string | undefined;
      let failure: unknown;
      // Errors are caught inside: thrown out of the callback, they would reach onTurnError, which answers in the chat.
      await adapter.continueConversationAsync(appId, reference, async (ctx) => {
        try {
          withoutClientRetries(adapter, ctx);
          messageRef = await send(ctx, message);
        } catch (error) {
          failure = error;
        }
      });
      if (failure !== undefined) throw toDeliveryError(failure);
      return { messageRef };
    },
  };
}

async function send(ctx: TurnContext, message: OutgoingMessage): Promise<string | undefined> {
  const activity = messageActivity(message.view);
  if (message.updateRef) {
    await ctx.updateActivity({ ...activity, id: message.updateRef });
    return message.updateRef;
  }
  // The continuation activity has a made-up id that sendActivity would reply to (a thread that does not exist).
  ctx.onSendActivities(async (_ctx, activities, next) => {
    for (const a of activities) delete a.replyToId;
    return next();
  });
  return (await ctx.sendActivity(activity))?.id;
}

/**
 * The connector client retries 429s and 5xx itself (up to 3 times, sleeping Retry-After in between),
 * which would hold an outbox worker for minutes. The outbox retries with its own pacing instead.
 * The pipeline is private in botbuilder 4.23.3 (pinned, archived): if its shape changes, the client keeps retrying.
 */
function withoutClientRetries(adapter: CloudAdapter, ctx: TurnContext): void {
  const connector = ctx.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy?: (o: { phase: string }) => unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy?.({ phase: "Retry" });
}

const restError = z.object({
  statusCode: z.number().int().optional(),
  message: z.string().optional(),
  response: z.object({ status: z.number().int().optional(), headers: z.unknown().optional() }).loose().optional(),
});

export function toDeliveryError(error: unknown): DeliveryError {
  const parsed = restError.safeParse(error);
  const status = parsed.success ? (parsed.data.statusCode ?? parsed.data.response?.status) : undefined;
  if (status === undefined) return new DeliveryError(`Teams could not be reached: ${parsed.data?.message ?? String(error)}`.slice(0, 500));
  const message = `Teams answered ${status}${parsed.data?.message ? `: ${parsed.data.message}` : ""}`.slice(0, 500);
  if (PERMANENT.has(status)) return new DeliveryError(message, { isPermanent: true });
  const retryAfterMs = status === 429 || status === 503 ? retryAfter(parsed.data?.response?.headers) : undefined;
  return new DeliveryError(message, { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), isPermanent: !RETRYABLE.has(status) && status < 500 });
}

/** Retry-After in seconds or as an HTTP date; headers as core-rest-pipeline's HttpHeaders or a plain object. */
function retryAfter(headers: unknown): number | undefined {
  const read = headers as { get?: (name: string) => string | undefined } & Record<string, unknown>;
  const raw = typeof read?.get === "function" ? read.get("retry-after") : (read?.["retry-after"] ?? read?.["Retry-After"]);
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}
