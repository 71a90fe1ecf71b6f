// Where a received email goes: which team's alias it was sent to, and which record (if any) it answers.
import type { Tx } from "../../db/outbox.js";
import { normalizeAddress, readReplyToken, referenceInSubject, withoutPlusTag, type ContactPolicy, type RecordKind } from "../../domain/mail-rules.js";
import type { Envelope, InboundEmail } from "../../mail/inbound-email.js";
import { mailReplySecret } from "./app-secret.js";
import { findMailRecordByNumber, loadMailRecord, type MailRecord } from "./record-mail.js";

export interface AliasTeam {
  id: string;
  name: string;
  kind: string;
  emailAlias: string;
  emailCreates: RecordKind | null;
  emailContact: ContactPolicy;
  emailAck: boolean;
}

export interface Aliases {
  teams: AliasTeam[];
  /** Every team alias, lower-cased: never a watcher, never sent an acknowledgement. */
  isOurs(address: string): boolean;
}

export async function loadAliases(tx: Tx): Promise<Aliases> {
  const rows = await tx.team.findMany({
    where: { emailAlias: { not: null } },
    select: { id: true, name: true, kind: true, emailAlias: true, emailCreates: true, emailContact: true, emailAck: true },
    orderBy: { createdAt: "asc" },
  });
  const teams = rows.map((t) => ({ ...t, emailAlias: normalizeAddress(t.emailAlias) })).filter((t) => t.emailAlias !== "");
  const own = new Set(teams.map((t) => t.emailAlias));
  return { teams, isOurs: (address) => own.has(withoutPlusTag(normalizeAddress(address)).base) };
}

/** The addresses the message was delivered to: the envelope, and for IMAP also To and Cc (lower-cased, unique). */
export function recipientsOf(email: InboundEmail, envelope: Envelope): string[] {
  const list = [...envelope.recipients, ...(envelope.via === "imap" ? [...email.to, ...email.cc].map((a) => a.address) : [])];
  return [...new Set(list.map(normalizeAddress).filter(Boolean))];
}

/** The first recipient that is a team alias (its +tag stripped). */
export function teamOfRecipients(aliases: Aliases, recipients: string[]): AliasTeam | null {
  for (const r of recipients) {
    const base = withoutPlusTag(r).base;
    const team = aliases.teams.find((t) => t.emailAlias === base);
    if (team) return team;
  }
  return null;
}

export type ReplyMatch =
  | { kind: "record"; record: MailRecord; by: "references" | "token" | "subject" }
  /** It answers a record that was deleted since: Odoo makes a new one. */
  | { kind: "gone" }
  | { kind: "none" };

/** The record a message answers, by its References/In-Reply-To (the newest known one wins). */
export async function recordByReferences(tx: Tx, references: string[]): Promise<ReplyMatch> {
  if (!references.length) return { kind: "none" };
  const known = await tx.emailMessage.findMany({
    where: { messageId: { in: references }, recordType: { in: ["case", "claim", "lead"] }, recordId: { not: null } },
    select: { messageId: true, recordType: true, recordId: true },
  });
  if (!known.length) return { kind: "none" };
  const newestFirst = [...known].sort((a, b) => references.indexOf(b.messageId) - references.indexOf(a.messageId));
  for (const m of newestFirst) {
    const record = await loadMailRecord(tx, m.recordType as RecordKind, m.recordId!);
    if (record) return { kind: "record", record, by: "references" };
  }
  return { kind: "gone" };
}

/** A valid reply token in a recipient's +tag ("support+c42-1a2b3c4d@…"): a forged or stale tag matches nothing. */
export async function recordByToken(tx: Tx, recipients: string[]): Promise<ReplyMatch> {
  const tags = recipients.map((r) => withoutPlusTag(r).tag).filter((t): t is string => t !== null);
  if (!tags.length) return { kind: "none" };
  const secret = await mailReplySecret(tx);
  let gone = false;
  for (const tag of tags) {
    const token = readReplyToken(secret, tag);
    if (!token) continue;
    const record = await findMailRecordByNumber(tx, token.kind, token.number);
    if (record) return { kind: "record", record, by: "token" };
    gone = true;
  }
  return gone ? { kind: "gone" } : { kind: "none" };
}

/**
 * "CASE-0042" in the subject, only when the sender is the record's customer or contact, or one of its watchers: a
 * stranger cannot post into a record by writing its reference.
 */
export async function recordBySubject(tx: Tx, subject: string, sender: string): Promise<ReplyMatch> {
  const ref = referenceInSubject(subject);
  if (!ref || !sender) return { kind: "none" };
  const record = await findMailRecordByNumber(tx, ref.kind, ref.number);
  if (!record) return { kind: "none" };
  const people = await recordPeople(tx, record);
  return people.has(sender) ? { kind: "record", record, by: "subject" } : { kind: "none" };
}

/** The addresses that belong to a record's conversation: its customer, contact, lead email and watchers (lower-cased). */
export async function recordPeople(tx: Tx, record: Pick<MailRecord, "kind" | "id">): Promise<Set<string>> {
  const found: (string | null | undefined)[] = [];
  if (record.kind === "case") {
    const c = await tx.case.findUnique({
      where: { id: record.id },
      select: { partner: { select: { email: true } }, contact: { select: { email: true } }, watchers: { select: { email: true, user: { select: { email: true } } } } },
    });
    found.push(c?.partner?.email, c?.contact?.email, ...(c?.watchers ?? []).flatMap((w) => [w.email, w.user?.email]));
  } else if (record.kind === "claim") {
    const c = await tx.claim.findUnique({
      where: { id: record.id },
      select: { partner: { select: { email: true } }, watchers: { select: { email: true, user: { select: { email: true } } } } },
    });
    found.push(c?.partner?.email, ...(c?.watchers ?? []).flatMap((w) => [w.email, w.user?.email]));
  } else {
    const l = await tx.lead.findUnique({ where: { id: record.id }, select: { email: true, partner: { select: { email: true } } } });
    found.push(l?.email, l?.partner?.email);
  }
  return new Set(found.map(normalizeAddress).filter(Boolean));
}

/** References, then a reply token, then a subject reference from someone of the record. */
export async function findRepliedRecord(tx: Tx, email: InboundEmail, recipients: string[]): Promise<ReplyMatch> {
  const byRefs = await recordByReferences(tx, email.references);
  if (byRefs.kind === "record") return byRefs;
  const byToken = await recordByToken(tx, recipients);
  if (byToken.kind === "record") return byToken;
  const bySubject = await recordBySubject(tx, email.subject, email.from.address);
  if (bySubject.kind === "record") return bySubject;
  return byRefs.kind === "gone" || byToken.kind === "gone" ? { kind: "gone" } : { kind: "none" };
}
