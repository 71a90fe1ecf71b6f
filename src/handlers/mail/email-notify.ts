// What people hear of a received email: a post in the record's chat thread, copies to its email watchers, the sender's acknowledgement.
import { escapeMarkup, truncate, type MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { cleanSubject, normalizeAddress, type RecordKind } from "../../domain/mail-rules.js";
import type { InboundEmail } from "../../mail/inbound-email.js";
import { caseSubjectKey } from "../cases/case-notify.js";
import { claimSubjectKey } from "../claims/claim-notify.js";
import type { Deps } from "../deps.js";
import { leadSubjectKey } from "../leads/lead-notify.js";
import { postToTeamChannels } from "../team-channels.js";
import { isBouncing } from "./email-bounce.js";
import { queueRecordEmail, type MailRecord } from "./record-mail.js";

/** Chat views stay small: the start of the mail is enough, the rest is on the record. */
export const THREAD_EXCERPT_CHARS = 1500;

const SUBJECT_KEY: Record<RecordKind, (id: string) => string> = { case: caseSubjectKey, claim: claimSubjectKey, lead: leadSubjectKey };

export function senderLabel(email: InboundEmail): string {
  const name = email.from.name?.replace(/[\r\n]+/g, " ").trim();
  const address = email.from.address || "(unknown sender)";
  return name && name.toLowerCase() !== address ? `${name} <${address}>` : address;
}

/** The email as a reply under the record's channel card (Slack thread / Teams reply chain). */
export function emailThreadView(record: MailRecord, email: InboundEmail, opts: { isClosed: boolean; attachmentCount: number }): MessageView {
  const from = escapeMarkup(senderLabel(email));
  const subject = escapeMarkup(truncate(email.subject.replace(/[\r\n]+/g, " ").trim() || "(no subject)", 200));
  const excerpt = escapeMarkup(truncate(email.text.trim(), THREAD_EXCERPT_CHARS)) || "_(no text)_";
  const notes = [
    opts.attachmentCount ? `📎 ${opts.attachmentCount} attachment${opts.attachmentCount === 1 ? "" : "s"} kept with ${record.reference}` : undefined,
    opts.isClosed ? `${record.reference} is closed — reopen it if needed.` : undefined,
  ].filter((n): n is string => n !== undefined);
  return {
    text: `✉️ Email from ${senderLabel(email)} on ${record.reference}: ${truncate(email.subject, 150)}`,
    blocks: [
      { type: "text", text: `✉️ *Email from ${from}*: ${subject}` },
      { type: "text", text: excerpt },
      ...(notes.length ? [{ type: "context" as const, text: notes.join(" · ") }] : []),
    ],
    threadOf: SUBJECT_KEY[record.kind](record.id),
  };
}

/** Posts the email in the record's thread in each of its team's channels (nothing when the record has no team). */
export async function postEmailToThread(tx: Tx, record: MailRecord, email: InboundEmail, emailId: string, isClosed: boolean): Promise<boolean> {
  if (!record.teamId) return false;
  const team = await tx.team.findUnique({ where: { id: record.teamId }, select: { id: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  if (!team) return false;
  const view = emailThreadView(record, email, { isClosed, attachmentCount: email.attachments.length });
  return postToTeamChannels(tx, team, view, { dedupeKey: `email-in:${emailId}` });
}

/** The record's email watchers (outside people following it by email). */
export async function emailWatchersOf(tx: Tx, record: Pick<MailRecord, "kind" | "id">): Promise<string[]> {
  const rows =
    record.kind === "case"
      ? await tx.caseWatcher.findMany({ where: { caseId: record.id, email: { not: null } }, select: { email: true } })
      : record.kind === "claim"
        ? await tx.claimWatcher.findMany({ where: { claimId: record.id, email: { not: null } }, select: { email: true } })
        : [];
  return [...new Set(rows.map((r) => normalizeAddress(r.email)).filter(Boolean))];
}

/** A copy of the email to each email watcher who did not get it already (not in To/Cc, not the sender). */
export async function copyToWatchers(tx: Tx, deps: Deps, record: MailRecord, email: InboundEmail, isOurs: (a: string) => boolean): Promise<number> {
  const got = new Set([email.from.address, ...email.to.map((a) => a.address), ...email.cc.map((a) => a.address)]);
  const watchers = (await emailWatchersOf(tx, record)).filter((w) => !got.has(w) && !isOurs(w));
  let sent = 0;
  for (const watcher of watchers) {
    if (await isBouncing(tx, watcher)) continue;
    await queueRecordEmail(tx, deps, record, {
      to: watcher,
      subject: cleanSubject(email.subject),
      text: `${senderLabel(email)} wrote on ${record.reference}:\n\n${email.text}`,
      inReplyTo: email.messageId,
      dedupeKey: `email-copy:${email.messageId}:${watcher}`,
    });
    sent += 1;
  }
  return sent;
}

/** Adds the CC addresses as email watchers of a case or claim (not our aliases, not the sender, no duplicates). */
export async function addCcWatchers(tx: Tx, record: Pick<MailRecord, "kind" | "id">, email: InboundEmail, isOurs: (a: string) => boolean): Promise<number> {
  if (record.kind === "lead") return 0;
  const addresses = [...new Set(email.cc.map((a) => normalizeAddress(a.address)))].filter((a) => a && a !== email.from.address && !isOurs(a));
  if (!addresses.length) return 0;
  const added =
    record.kind === "case"
      ? await tx.caseWatcher.createMany({ data: addresses.map((email) => ({ caseId: record.id, email })), skipDuplicates: true })
      : await tx.claimWatcher.createMany({ data: addresses.map((email) => ({ claimId: record.id, email })), skipDuplicates: true });
  return added.count;
}

/**
 * The acknowledgement of a new thread, to Reply-To or From: never to our aliases or a bouncing address.
 * Returns whether it was queued.
 */
export async function acknowledge(tx: Tx, deps: Deps, record: MailRecord, email: InboundEmail, isOurs: (a: string) => boolean): Promise<boolean> {
  const to = normalizeAddress(email.replyTo?.address) || email.from.address;
  if (!to || isOurs(to) || (await isBouncing(tx, to))) return false;
  const what = record.kind === "lead" ? "registered your request as" : "opened";
  await queueRecordEmail(tx, deps, record, {
    to,
    subject: cleanSubject(email.subject),
    text: `Hello,\n\nWe received your message and ${what} ${record.reference}. Reply to this email to add to it.\n\n${record.teamName ?? "Switchboard"}`,
    autoSubmitted: "auto-replied",
    inReplyTo: email.messageId,
    dedupeKey: `email-ack:${email.messageId}`,
  });
  return true;
}
