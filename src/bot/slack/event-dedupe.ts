// Slack retries an Events API delivery it thinks failed: the first delivery of an event_id runs, the rest are skipped.
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { forgetEvent, pruneEvents, recordEventOnce } from "../../db/chat-state.js";
import type { Deps } from "../../handlers/deps.js";
import type { Logger } from "../../log.js";
import { eventEnvelope } from "./payloads.js";

/** Slack retries for about 5 minutes (3 retries: now, +1 min, +5 min); a day of keys is plenty. */
const KEEP_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

export function dedupeEvents(deps: Pick<Deps, "db" | "now">, logger: Logger): Middleware<AnyMiddlewareArgs> {
  let lastPrune = 0;
  return async ({ body, context, next }) => {
    const envelope = eventEnvelope.safeParse(body);
    if (!envelope.success) return next();
    const eventId = envelope.data.event_id;
    // One row per event id, shared by every replica: the insert that wins runs the listeners.
    if (!(await recordEventOnce(deps.db, eventId))) {
      logger.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, "Slack event already processed; retry skipped");
      return;
    }
    if (deps.now().getTime() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = deps.now().getTime();
      void prune(deps, logger);
    }
    try {
      await next();
    } catch (error) {
      // Not processed after all: let Slack's retry run it.
      await forgetEvent(deps.db, eventId).catch(() => undefined);
      throw error;
    }
  };
}

async function prune(deps: Pick<Deps, "db" | "now">, logger: Logger): Promise<void> {
  try {
    await pruneEvents(deps.db, new Date(deps.now().getTime() - KEEP_MS));
  } catch (error) {
    logger.warn({ err: error }, "could not prune processed Slack events");
  }
}
