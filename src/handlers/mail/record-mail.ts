// Email about a record (case, claim, lead): who it is from, where answers go, how it threads, and its stored copy.
// Used by the gateway's acknowledgements and watcher copies and by "Reply by email" from chat.
import { randomBytes } from "node:crypto";
import type { Tx } from "../../db/outbox.js";
import { caseReference } from "../../domain/cases.js";
import { claimReference } from "../../domain/claims.js";
import { leadReference } from "../../domain/leads.js";
import { normalizeAddress, outgoingMessageId, plusAddress, replyToken, type RecordKind } from "../../domain/mail-rules.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import { mailReplySecret } from "./app-secret.js";

export interface MailRecord {
  kind: RecordKind;
  id: string;
  number: number;
  /** "CASE-0042", "CLM-0042", "LEAD-0042" / "OPP-0042". */
  reference: string;
  subject: string;
  teamId: string | null;
  teamName: string | null;
  /** The team's alias, if it has one: our From and, with the record's token, our Reply-To. */
  alias: string | null;
}

/** The record as mail sees it, or null when it does not exist. */
export async function loadMailRecord(tx: Tx, kind: RecordKind, id: string): Promise<MailRecord | null> {
  const team = { select: { id: true, name: true, emailAlias: true } } as const;
  if (kind === "case") {
    const c = await tx.case.findUnique({ where: { id }, select: { id: true, number: true, subject: true, team } });
    return c && { kind, id: c.id, number: c.number, reference: caseReference(c.number), subject: c.subject, teamId: c.team.id, teamName: c.team.name, alias: c.team.emailAlias };
  }
  if (kind === "claim") {
    const c = await tx.claim.findUnique({ where: { id }, select: { id: true, number: true, subject: true, team } });
    return c && { kind, id: c.id, number: c.number, reference: claimReference(c.number), subject: c.subject, teamId: c.team?.id ?? null, teamName: c.team?.name ?? null, alias: c.team?.emailAlias ?? null };
  }
  const l = await tx.lead.findUnique({ where: { id }, select: { id: true, number: true, type: true, title: true, team } });
  return l && { kind, id: l.id, number: l.number, reference: leadReference(l), subject: l.title, teamId: l.team?.id ?? null, teamName: l.team?.name ?? null, alias: l.team?.emailAlias ?? null };
}

/** The record by its kind and number (a reply token or a reference in a subject). */
export async function findMailRecordByNumber(tx: Tx, kind: RecordKind, number: number): Promise<MailRecord | null> {
  const where = { where: { number }, select: { id: true } } as const;
  const found = kind === "case" ? await tx.case.findUnique(where) : kind === "claim" ? await tx.claim.findUnique(where) : await tx.lead.findUnique(where);
  return found ? loadMailRecord(tx, kind, found.id) : null;
}

export interface RecordEmail {
  to: string;
  cc?: string[];
  /** Without the reference: "[CASE-0042] " is put in front unless the subject already carries it. */
  subject: string;
  text: string;
  /** The chat user who sent it; none for the gateway's own mail. */
  sentById?: string | null;
  /** Acknowledgements and bounces: RFC 3834 "auto-replied"; automation rules' mail: "auto-generated". */
  autoSubmitted?: "auto-replied" | "auto-generated";
  /** The Message-ID this answers (an inbound email); by default the record's latest email. */
  inReplyTo?: string;
  /** Same key twice is queued once (e.g. "email-ack:<inbound message id>"). */
  dedupeKey?: string;
}

/**
 * Queues an email about the record through the outbox and stores its copy (direction outbound, status "sent") with
 * our Message-ID, so an answer's In-Reply-To finds the record. From is the team alias (else MAIL_FROM), Reply-To the
 * alias's plus-address for the record (it routes back even when a client drops the threading headers), and
 * In-Reply-To/References continue the record's mail thread. Returns our Message-ID.
 */
export async function queueRecordEmail(tx: Tx, deps: Deps, record: MailRecord, email: RecordEmail): Promise<string> {
  const secret = await mailReplySecret(tx);
  const alias = record.alias ? normalizeAddress(record.alias) : "";
  const from = alias ? `${quoteName(record.teamName ?? "Switchboard")} <${alias}>` : undefined;
  const replyTo = alias ? plusAddress(alias, replyToken(secret, record.kind, record.number)) : undefined;
  const thread = await tx.emailMessage.findMany({
    where: { recordType: record.kind, recordId: record.id, status: { in: ["created", "threaded", "sent"] } },
    orderBy: { createdAt: "asc" },
    select: { messageId: true },
    take: 200,
  });
  const references = thread.map((m) => m.messageId).slice(-20);
  const inReplyTo = email.inReplyTo ?? references.at(-1);
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const messageId = outgoingMessageId(randomBytes(12).toString("hex"), `${record.kind}-${record.number}`, alias || "switchboard@switchboard.invalid");
  const subject = email.subject.includes(record.reference) ? email.subject : `[${record.reference}] ${email.subject}`;
  const cc = [...new Set((email.cc ?? []).map(normalizeAddress).filter((a) => a && a !== normalizeAddress(email.to)))];
  await tx.emailMessage.create({
    data: {
      messageId,
      direction: "outbound",
      status: "sent",
      recordType: record.kind,
      recordId: record.id,
      teamId: record.teamId,
      fromAddress: alias || "switchboard@switchboard.invalid",
      fromName: record.teamName,
      toAddresses: [normalizeAddress(email.to) || email.to],
      ccAddresses: cc,
      subject,
      text: email.text,
      inReplyTo: inReplyTo ?? null,
      references,
      size: Buffer.byteLength(email.text),
      sentById: email.sentById ?? null,
    },
  });
  await enqueueEmail(tx, {
    to: email.to,
    subject,
    text: email.text,
    ...(email.dedupeKey ? { dedupeKey: email.dedupeKey } : {}),
    headers: {
      ...(from ? { from } : {}),
      ...(replyTo ? { replyTo } : {}),
      ...(cc.length ? { cc } : {}),
      messageId,
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(references.length ? { references } : {}),
      ...(email.autoSubmitted ? { autoSubmitted: email.autoSubmitted } : {}),
    },
  });
  return messageId;
}

/** A display name safe in a From header: quoted when it holds anything but letters, digits and spaces. */
function quoteName(name: string): string {
  const clean = name.replace(/[\r\n"\\]/g, " ").trim().slice(0, 80) || "Switchboard";
  return /^[\p{L}\p{N} ]+$/u.test(clean) ? clean : `"${clean}"`;
}
