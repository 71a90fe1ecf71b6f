// Views for admins: the notifications that were not delivered, each with a Retry button.
import { notice, type Block, type MessageView } from "./view.js";

export const OUTBOX_RETRY_ACTION = "outbox.retry";
/** A Slack message holds at most 50 blocks; each row takes three. */
export const MAX_LISTED = 12;

export interface UndeliveredRow {
  id: string;
  channel: "slack" | "teams" | "email" | "webhook";
  target: string;
  state: "pending" | "sent" | "dead";
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
}

const CHANNEL_NAMES = { slack: "Slack", teams: "Teams", email: "Email", webhook: "Webhook" } as const;

export function undeliveredView(rows: UndeliveredRow[], total: number, now: Date): MessageView {
  if (rows.length === 0) return notice("Every notification was delivered: nothing is waiting or dead-lettered.");
  const title = `${total} undelivered notification${total === 1 ? "" : "s"}`;
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const row of rows) {
    blocks.push(
      { type: "text", text: `*${CHANNEL_NAMES[row.channel]}* → \`${row.target}\` · ${stateText(row, now)} · queued ${age(row.createdAt, now)} ago` },
      { type: "context", text: `Last error: ${row.lastError ?? "none"}` },
      { type: "actions", actions: [{ id: OUTBOX_RETRY_ACTION, label: "Retry", value: row.id }] },
    );
  }
  if (total > rows.length) blocks.push({ type: "context", text: `Showing the oldest ${rows.length} of ${total}.` });
  return { text: title, blocks };
}

function stateText(row: UndeliveredRow, now: Date): string {
  const tries = `${row.attempts} attempt${row.attempts === 1 ? "" : "s"}`;
  if (row.state === "dead") return `*dead* after ${tries}`;
  const wait = row.nextAttemptAt.getTime() - now.getTime();
  return `retrying (${tries}), next ${wait > 0 ? `in ${age(new Date(now.getTime() - wait), now)}` : "now"}`;
}

/** "40 s", "12 min", "3 h", "2 d": how long ago, roughly. */
export function age(since: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} d`;
}

export function retryQueuedView(row: Pick<UndeliveredRow, "channel" | "target">): MessageView {
  return notice(`Retrying the notification to \`${row.target}\` on ${CHANNEL_NAMES[row.channel]}.`, "It goes out within a few seconds, before later notifications to the same place.");
}
