// How many emails a record has, and its latest one, for its card (the EmailMessage (recordType, recordId, createdAt) index).
import type { EmailSummary } from "../../bot/views/email-summary.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { RecordKind } from "../../domain/mail-rules.js";

/** Mail that belongs to the conversation: received and kept, or sent; refusals and bounces are not counted. */
export const CONVERSATION_STATUSES = ["created", "threaded", "sent"] as const;

export async function loadEmailSummary(db: Db | Tx, kind: RecordKind, recordId: string): Promise<EmailSummary | undefined> {
  const where = { recordType: kind, recordId, status: { in: [...CONVERSATION_STATUSES] } };
  const last = await db.emailMessage.findFirst({ where, orderBy: { createdAt: "desc" }, select: { direction: true, fromAddress: true, toAddresses: true, subject: true, createdAt: true } });
  if (!last) return undefined;
  return { count: await db.emailMessage.count({ where }), last };
}
