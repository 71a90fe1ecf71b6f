// Sends a person a direct message on every chat platform they are linked to (through the outbox).
import type { MessageView } from "../bot/views/view.js";
import { enqueueNotification, type Tx } from "../db/outbox.js";

export interface Recipient {
  id: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  teamsAadId: string | null;
}

/** Returns how many notifications were queued (0 when the person is on no chat platform yet). */
export async function notifyUser(tx: Tx, user: Recipient, view: MessageView, opts: { dedupeKey?: string; subjectKey?: string } = {}): Promise<number> {
  let queued = 0;
  if (user.slackUserId) {
    await enqueueNotification(tx, {
      channel: "slack",
      target: user.slackUserId,
      scope: user.slackTeamId,
      view,
      subjectKey: opts.subjectKey,
      dedupeKey: opts.dedupeKey && `${opts.dedupeKey}:slack`,
    });
    queued++;
  }
  if (user.teamsAadId) {
    const chat = await tx.teamsConversation.findFirst({ where: { userAadId: user.teamsAadId, kind: "personal" }, orderBy: { updatedAt: "desc" } });
    if (chat) {
      await enqueueNotification(tx, {
        channel: "teams",
        target: chat.id,
        scope: chat.tenantId,
        view,
        subjectKey: opts.subjectKey,
        dedupeKey: opts.dedupeKey && `${opts.dedupeKey}:teams`,
      });
      queued++;
    }
  }
  return queued;
}
