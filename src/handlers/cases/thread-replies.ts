// Replies in the chat thread a case was opened from become internal notes on the case's timeline.
import type { Deps } from "../deps.js";
import { resolveActor, type ChatIdentity } from "../resolve-actor.js";
import { noteFirstResponse } from "./sla.js";

export interface ThreadReply {
  /** The channel and the thread's parent message ts (Case.sourceChannel + Case.sourceTs). */
  channel: string;
  threadTs: string;
  /** This reply's own ts, kept with the note. */
  ts: string;
  text: string;
  /** The author's chat identity (resolved to a User; first contact may look the profile up). */
  author: ChatIdentity;
}

export type ThreadReplyOutcome = "noted" | "unknown-thread" | "empty";

const MAX_NOTE = 4000;

export async function addThreadReply(deps: Deps, reply: ThreadReply): Promise<ThreadReplyOutcome> {
  const text = reply.text.trim();
  if (!text) return "empty";
  // Most threads are not cases: one indexed lookup, before anything else.
  const c = await deps.db.case.findFirst({ where: { sourceChannel: reply.channel, sourceTs: reply.threadTs }, select: { id: true } });
  if (!c) return "unknown-thread";
  const who = await resolveActor(deps, reply.author);
  // Someone Switchboard does not know (e.g. a guest in a shared channel) still has their reply kept, without an actor.
  const actorId = who.ok ? who.user.id : null;
  await deps.db.$transaction(async (tx) => {
    await tx.timelineEntry.create({
      data: {
        recordType: "case",
        recordId: c.id,
        kind: "note",
        actorId,
        summary: text.slice(0, 500),
        data: {
          internal: true,
          source: "thread-reply",
          platform: reply.author.platform,
          authorChatId: reply.author.userId,
          ts: reply.ts,
          ...(text.length > 500 ? { text: text.slice(0, MAX_NOTE) } : {}),
        },
      },
    });
    if (actorId) await noteFirstResponse(tx, deps, c.id, actorId);
  });
  return "noted";
}
