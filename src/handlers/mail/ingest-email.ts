// The gateway's one entry point: a raw email in, one outcome out (Odoo's message_process, notes §1.8).
// Order: dedupe → delivery report → recipient → automatic mail → reply or new record (contact policy, throttle) → ack.
import { createHash } from "node:crypto";
import type { Tx } from "../../db/outbox.js";
import {
  automaticMailReason,
  defaultRecordKind,
  isDeliveryReport,
  isThrottled,
  LOOP_THRESHOLD,
  LOOP_WINDOW_MINUTES,
  loopWindowStart,
  mayWrite,
  normalizeAddress,
  withoutPlusTag,
  type RecordKind,
} from "../../domain/mail-rules.js";
import type { Envelope, InboundEmail } from "../../mail/inbound-email.js";
import { parseEmail } from "../../mail/parse-email.js";
import type { Deps } from "../deps.js";
import { recordEmailed } from "../automation/events.js";
import { meetingReference } from "../../domain/meetings.js";
import { bouncedAddress, bounceReason, clearBounces, markBounced, reportText, sendRefusal } from "./email-bounce.js";
import { acknowledge, addCcWatchers } from "./email-notify.js";
import { threadReply } from "./email-reply.js";
import { createRecordFromEmail, findSenderPartner } from "./email-to-record.js";
import { applyCalendarReply, isCalendarReply } from "./meeting-reply.js";
import { findRepliedRecord, loadAliases, recipientsOf, recordByReferences, recordPeople, teamOfRecipients, type Aliases, type AliasTeam } from "./route-email.js";
import type { MailRecord } from "./record-mail.js";
import { addEmailTimeline, storeInboundEmail } from "./store-email.js";

export type IngestOutcome =
  /** A new case, claim or lead (and its acknowledgement, if the alias sends them). */
  | { kind: "created"; recordType: RecordKind; recordId: string; reference: string }
  /** A reply added to its record's timeline and chat thread. */
  | { kind: "threaded"; recordType: RecordKind | "meeting"; recordId: string; reference: string }
  /** This Message-ID was stored before: nothing done (a redelivery, a retried IMAP fetch after a crash). */
  | { kind: "duplicate"; messageId: string }
  /** Refused by the alias's contact policy or the loop throttle: stored, and the sender told politely (never a robot). */
  | { kind: "rejected"; reason: string }
  /** Automatic mail (auto-reply, bulk, daemon): stored, no record, no answer. */
  | { kind: "ignored"; reason: string }
  /** A delivery report: the bounced address is marked. */
  | { kind: "bounce"; address: string | null }
  /** No recipient is a known alias (or a reply token of ours). */
  | { kind: "unknown-recipient" };

/**
 * Parses and routes one message, committing everything it does (the stored email, the record or the reply, the
 * outbox rows) in one transaction. Throws only when that cannot be committed (the database is down, say): the
 * caller must then leave the message where it was (SMTP: 451; IMAP: not flagged), so it is retried, never lost.
 */
export async function ingestEmail(deps: Deps, raw: Buffer, envelope: Envelope): Promise<IngestOutcome> {
  const email = await parseEmail(raw);
  const log = { messageIdHash: createHash("sha256").update(email.messageId).digest("hex").slice(0, 12), via: envelope.via, size: email.size };
  if (email.parseProblem) deps.logger.warn({ ...log, problem: email.parseProblem }, "email read by the fallback parser (mailparser failed on it)");
  if (await deps.db.emailMessage.findUnique({ where: { messageId: email.messageId }, select: { id: true } })) {
    deps.logger.info({ ...log, outcome: "duplicate" }, "email ingested");
    return { kind: "duplicate", messageId: email.messageId };
  }
  let routed: Routed;
  try {
    routed = await deps.db.$transaction((tx) => route(tx, deps, raw, email, envelope), { timeout: 30_000, maxWait: 30_000 });
  } catch (error) {
    // Two deliveries of one message at once: the second commit hits the unique Message-ID.
    if (isUniqueViolation(error) && (await deps.db.emailMessage.findUnique({ where: { messageId: email.messageId }, select: { id: true } }))) {
      deps.logger.info({ ...log, outcome: "duplicate" }, "email ingested");
      return { kind: "duplicate", messageId: email.messageId };
    }
    throw error;
  }
  const { outcome, teamId } = routed;
  deps.logger.info({ ...log, outcome: outcome.kind, teamId, ...("recordId" in outcome ? { recordType: outcome.recordType, recordId: outcome.recordId } : {}), ...("reason" in outcome ? { reason: outcome.reason } : {}) }, "email ingested");
  deps.logger.debug({ ...log, from: email.from.address, recipients: envelope.recipients }, "email addresses");
  return outcome;
}

/** Whether an SMTP RCPT TO address is ours: a team alias, with or without a +tag. */
export async function isKnownRecipient(deps: Pick<Deps, "db">, address: string): Promise<boolean> {
  const base = withoutPlusTag(normalizeAddress(address)).base;
  if (!base) return false;
  const team = await deps.db.team.findFirst({ where: { emailAlias: { equals: base, mode: "insensitive" } }, select: { id: true } });
  return team !== null;
}

interface Routed {
  outcome: IngestOutcome;
  teamId: string | null;
}

async function route(tx: Tx, deps: Deps, raw: Buffer, email: InboundEmail, envelope: Envelope): Promise<Routed> {
  const now = deps.now();
  const aliases = await loadAliases(tx);
  const recipients = recipientsOf(email, envelope);
  const aliasTeam = teamOfRecipients(aliases, recipients);
  const sender = email.from.address;

  // A delivery report about our own mail: mark the address, never answer (it may reach a shared mailbox, not an alias).
  if (isDeliveryReport(email.contentType, sender)) {
    const report = reportText(email.deliveryStatus, raw);
    const address = bouncedAddress(report);
    const reason = bounceReason(report);
    if (address && !aliases.isOurs(address)) await markBounced(tx, address, reason, now);
    const replied = await recordByReferences(tx, email.references);
    const record = replied.kind === "record" ? replied.record : null;
    await storeInboundEmail(tx, email, { status: "bounce", recordType: record?.kind, recordId: record?.id, teamId: aliasTeam?.id ?? record?.teamId, reason: `${address ?? "unknown address"}: ${reason}` }, now);
    return { outcome: { kind: "bounce", address }, teamId: aliasTeam?.id ?? null };
  }

  // A calendar's answer to one of our invitations, if it names a meeting and attendee we know.
  if (isCalendarReply(email) && (aliasTeam || envelope.via === "imap")) {
    const meetingId = await applyCalendarReply(tx, deps, email, aliasTeam?.id ?? null);
    if (meetingId) {
      const meeting = await tx.meeting.findUniqueOrThrow({ where: { id: meetingId }, select: { number: true } });
      return { outcome: { kind: "threaded", recordType: "meeting", recordId: meetingId, reference: meetingReference(meeting.number) }, teamId: aliasTeam?.id ?? null };
    }
  }

  const replied = await findRepliedRecord(tx, email, recipients);
  const repliedRecord = replied.kind === "record" ? replied.record : null;
  // A valid reply token routes even when its alias was renamed since; anything else needs an alias.
  if (!aliasTeam && !(replied.kind === "record" && replied.by === "token")) return { outcome: { kind: "unknown-recipient" }, teamId: null };
  const team = aliasTeam ?? aliases.teams.find((t) => t.id === repliedRecord?.teamId) ?? null;

  // Our own aliases never open or feed a record: that is how two aliases would answer each other forever.
  const automatic = automaticMailReason(email.headers, sender) ?? (aliases.isOurs(sender) ? "sent from one of our own addresses" : null);
  if (automatic) {
    await storeInboundEmail(tx, email, { status: "ignored", recordType: repliedRecord?.kind, recordId: repliedRecord?.id, teamId: team?.id, reason: automatic }, now);
    // Rules still hear of it, marked automatic, so their email actions never answer it (the loop guard above).
    if (repliedRecord) await recordEmailed(tx, deps, repliedRecord.kind, repliedRecord.id, "received", { automatic: true });
    return { outcome: { kind: "ignored", reason: automatic }, teamId: team?.id ?? null };
  }
  await clearBounces(tx, sender);

  if (team) {
    const refusal = await contactRefusal(tx, team, sender, repliedRecord);
    if (refusal) return reject(tx, email, aliases, team, repliedRecord, refusal, `email-refused:${email.messageId}`, now);
  }

  if (repliedRecord) {
    await threadReply(tx, deps, repliedRecord, email, aliases.isOurs);
    await recordEmailed(tx, deps, repliedRecord.kind, repliedRecord.id, "received", { automatic: false });
    return { outcome: { kind: "threaded", recordType: repliedRecord.kind, recordId: repliedRecord.id, reference: repliedRecord.reference }, teamId: repliedRecord.teamId };
  }
  if (!team) return { outcome: { kind: "unknown-recipient" }, teamId: null };

  const since = loopWindowStart(now);
  const createdInWindow = sender ? await tx.emailMessage.count({ where: { fromAddress: sender, direction: "inbound", status: "created", createdAt: { gte: since } } }) : 0;
  if (isThrottled(createdInWindow)) {
    const window = Math.floor(now.getTime() / (LOOP_WINDOW_MINUTES * 60_000));
    const reason = `more than ${LOOP_THRESHOLD} records in ${LOOP_WINDOW_MINUTES / 60} hours`;
    return reject(tx, email, aliases, team, null, reason, `email-throttled:${sender}:${window}`, now);
  }

  const kind = team.emailCreates ?? defaultRecordKind(team.kind);
  const record = await createRecordFromEmail(tx, deps, kind, team.id, email);
  const emailId = await storeInboundEmail(tx, email, { status: "created", recordType: record.kind, recordId: record.id, teamId: team.id }, now);
  await addEmailTimeline(tx, record.kind, record.id, `Email from ${sender || "an unknown sender"}: ${email.subject.replace(/[\r\n]+/g, " ").trim() || "(no subject)"}`, emailId);
  await addCcWatchers(tx, record, email, aliases.isOurs);
  if (team.emailAck) await acknowledge(tx, deps, record, email, aliases.isOurs);
  await recordEmailed(tx, deps, record.kind, record.id, "received", { automatic: false });
  return { outcome: { kind: "created", recordType: record.kind, recordId: record.id, reference: record.reference }, teamId: team.id };
}

/** Why the alias's contact policy refuses this sender, or null when they may write. */
async function contactRefusal(tx: Tx, team: AliasTeam, sender: string, record: MailRecord | null): Promise<string | null> {
  if (team.emailContact === "everyone") return null;
  const isWatcher = Boolean(sender && record && (await recordPeople(tx, record)).has(sender));
  const isKnownPartner = team.emailContact === "partners" && (await findSenderPartner(tx, sender)) !== null;
  if (mayWrite(team.emailContact, { isKnownPartner, isWatcher })) return null;
  return team.emailContact === "partners" ? "the sender is not a known customer or follower" : "the sender is not a follower of the record";
}

async function reject(tx: Tx, email: InboundEmail, aliases: Aliases, team: AliasTeam, record: MailRecord | null, reason: string, dedupeKey: string, now: Date): Promise<Routed> {
  await storeInboundEmail(tx, email, { status: "rejected", recordType: record?.kind, recordId: record?.id, teamId: team.id, reason }, now);
  const who = team.emailContact === "watchers" ? "the followers of a request" : "known customers and followers";
  const text = reason.startsWith("more than")
    ? `Hello,\n\nYour message was not registered: this address received more than ${LOOP_THRESHOLD} new requests from you in ${LOOP_WINDOW_MINUTES / 60} hours, which usually means two systems are answering each other. Please try again later, or reply to one of your open requests.\n\n${team.name}`
    : `Hello,\n\nYour message was not registered: ${team.emailAlias} only accepts mail from ${who}. If you are a customer, please write from the address we know you by.\n\n${team.name}`;
  await sendRefusal(tx, email, aliases.isOurs, { alias: team.emailAlias, teamName: team.name, text, dedupeKey });
  return { outcome: { kind: "rejected", reason }, teamId: team.id };
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
