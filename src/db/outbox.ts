// Writing notifications to the outbox, inside the caller's transaction; the outbox worker delivers them.
import type { MessageView } from "../bot/views/view.js";
import type { Prisma } from "./generated/client.js";

export type Tx = Prisma.TransactionClient;

export interface Notification {
  channel: "slack" | "teams" | "email";
  /** Slack channel or user id; Teams conversation id; email address. */
  target: string;
  /** Slack workspace (team) id; Teams tenant id. */
  scope?: string | null;
  view: MessageView;
  /** Same key twice is stored once (e.g. "call-due:<id>"). */
  dedupeKey?: string;
  /** Messages showing one record's state share it, so a later change can update them in place. */
  subjectKey?: string;
}

export async function enqueueNotification(tx: Tx, n: Notification): Promise<void> {
  const data = {
    channel: n.channel,
    target: n.target,
    scope: n.scope ?? null,
    payload: n.view as unknown as Prisma.InputJsonValue,
    dedupeKey: n.dedupeKey ?? null,
    subjectKey: n.subjectKey ?? null,
  };
  if (n.dedupeKey) {
    await tx.outbox.upsert({ where: { dedupeKey: n.dedupeKey }, create: data, update: {} });
  } else {
    await tx.outbox.create({ data });
  }
}
