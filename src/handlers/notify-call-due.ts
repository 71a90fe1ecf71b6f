// Job handler: at a planned call's time, DM its owner (once), unless the call was moved, held or cancelled.
import { callDueView } from "../bot/views/calls.js";
import { isDue } from "../domain/calls.js";
import type { Deps } from "./deps.js";
import { callCardInclude } from "./log-call.js";
import { notifyUser } from "./notify-user.js";

export async function notifyCallDue(deps: Deps, payload: { callId: string; callAt: string }): Promise<"sent" | "skipped"> {
  return deps.db.$transaction(async (tx) => {
    const call = await tx.phoneCall.findUnique({ where: { id: payload.callId }, include: { ...callCardInclude, owner: true } });
    // Reload and re-check: a moved call has its own job for the new time.
    if (!call || call.callAt.toISOString() !== payload.callAt || !isDue(call, deps.now())) return "skipped";
    const claimed = await tx.phoneCall.updateMany({ where: { id: call.id, dueNotifiedAt: null }, data: { dueNotifiedAt: deps.now() } });
    if (claimed.count === 0) return "skipped";
    await notifyUser(tx, call.owner, callDueView(call, call.owner.timeZone, deps.now()), { dedupeKey: `call-due:${call.id}:${payload.callAt}` });
    return "sent";
  });
}
