// Secrets the app makes for itself once, shared by every replica through the database.
import { randomBytes } from "node:crypto";
import type { Tx } from "../../db/outbox.js";
import type { Db } from "../../db/client.js";

const MAIL_REPLY = "mail-reply-token";

/** The HMAC key of reply plus-addresses (mail-rules replyToken). Created on first use; a race keeps the first. */
export async function mailReplySecret(db: Tx | Db): Promise<string> {
  return appSecret(db, MAIL_REPLY);
}

/** The secret called `name` (e.g. "webhook-signing"): 32 random bytes as hex, created on first use; a race keeps the first. */
export async function appSecret(db: Tx | Db, name: string): Promise<string> {
  const found = await db.appSecret.findUnique({ where: { name } });
  if (found) return found.value;
  await db.appSecret.createMany({ data: [{ name, value: randomBytes(32).toString("hex") }], skipDuplicates: true });
  const made = await db.appSecret.findUniqueOrThrow({ where: { name } });
  return made.value;
}
