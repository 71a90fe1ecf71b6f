// Admins list the notifications that were not delivered (dead-lettered or failing) and retry one.
import { z } from "zod";
import { MAX_LISTED, retryQueuedView, undeliveredView } from "../bot/views/outbox.js";
import { notice, privateMessage, type Reply } from "../bot/views/view.js";
import { policy, type Actor } from "../domain/policy.js";
import type { Prisma } from "../db/client.js";
import type { Deps } from "./deps.js";

/** Dead rows, and pending rows that already failed or wait for a transport (see isUndelivered). */
const undelivered: Prisma.OutboxWhereInput = {
  OR: [{ state: "dead" }, { state: "pending", OR: [{ attempts: { gt: 0 } }, { lastError: { not: null } }] }],
};

export async function listUndelivered(deps: Deps, actor: Actor): Promise<Reply> {
  const allowed = policy.manageOutbox(actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const [rows, total] = await Promise.all([
    deps.db.outbox.findMany({
      where: undelivered,
      orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
      take: MAX_LISTED,
      select: { id: true, channel: true, target: true, state: true, attempts: true, lastError: true, createdAt: true, nextAttemptAt: true },
    }),
    deps.db.outbox.count({ where: undelivered }),
  ]);
  return privateMessage(undeliveredView(rows, total, deps.now()));
}

/**
 * Puts a dead or failing notification back at the start: pending, no attempts, due now. It keeps
 * its place in its target's order (its createdAt), so it goes out before later notifications
 * to the same place that are still waiting.
 */
export async function retryUndelivered(deps: Deps, actor: Actor, id: string): Promise<Reply> {
  const allowed = policy.manageOutbox(actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (!z.uuid().safeParse(id).success) return privateMessage(notice(`"${id}" is not a notification id. Run the outbox list again and press Retry.`));
  const row = await deps.db.outbox.findUnique({ where: { id }, select: { channel: true, target: true, state: true } });
  if (!row) return privateMessage(notice("That notification no longer exists."));
  const { count } = await deps.db.outbox.updateMany({
    where: { id, state: { in: ["dead", "pending"] } },
    data: { state: "pending", attempts: 0, nextAttemptAt: deps.now(), lastError: null },
  });
  if (count === 0) return privateMessage(notice("That notification was delivered in the meantime."));
  deps.logger.info({ outboxId: id, actorId: actor.id }, "outbox notification retried by an admin");
  return privateMessage(retryQueuedView(row));
}
