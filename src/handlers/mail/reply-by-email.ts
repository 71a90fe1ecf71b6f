// "Reply by email" on a case, claim or lead card: the form (prefilled from the record and its mail) and sending it
// from the team's alias, with the watchers copied, on the record's timeline and its channel card, exactly once.
import { randomBytes } from "node:crypto";
import { EMAIL_REPLY_FORM_ID, emailQueuedView, emailReplyForm, emailReplySchema, noAliasView, splitAddresses } from "../../bot/views/email-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import { cleanSubject, normalizeAddress, type RecordKind } from "../../domain/mail-rules.js";
import { policy, type MailRecordFacts } from "../../domain/policy.js";
import { formatDateTime } from "../../domain/time.js";
import { readButtonValue } from "../button-value.js";
import { publishCaseCard } from "../cases/case-notify.js";
import { publishClaimCard } from "../claims/claim-notify.js";
import { purchasingTeamIds } from "../claims/load-claim.js";
import type { Deps } from "../deps.js";
import { recordEmailed } from "../automation/events.js";
import { publishLeadCard } from "../leads/lead-notify.js";
import type { Who } from "../resolve-actor.js";
import { CONVERSATION_STATUSES } from "./email-summary.js";
import { loadMailRecord, queueRecordEmail, type MailRecord } from "./record-mail.js";

type Reader = Db | Tx;

const KINDS: readonly RecordKind[] = ["case", "claim", "lead"];
const UUID = /^[0-9a-f-]{36}$/i;
const SEND_ID = /^[0-9a-f]{32}$/;

interface EmailTarget {
  record: MailRecord;
  facts: MailRecordFacts;
  /** The customer's address on the record (its contact, its partner, the lead's email), if any. */
  contactEmail: string | null;
  /** Watchers added by email address: they get a copy of every email sent. */
  watcherEmails: string[];
}

/** The card's "✉ Reply by email" button: `value` is the card's "<id>:<version>" (the version does not matter here). */
export async function openEmailForm(deps: Deps, who: Who, kind: RecordKind, value: string): Promise<Reply> {
  const ref = readButtonValue(value.trim());
  const target = ref ? await loadTarget(deps.db, kind, ref.id) : null;
  const refused = refusal(who, kind, target);
  if (refused) return refused;
  const { record } = target!;
  const where = { recordType: kind, recordId: record.id };
  const lastInbound = await deps.db.emailMessage.findFirst({ where: { ...where, direction: "inbound", status: { in: ["created", "threaded"] } }, orderBy: { createdAt: "desc" }, select: { fromAddress: true } });
  const last = await deps.db.emailMessage.findFirst({ where: { ...where, status: { in: [...CONVERSATION_STATUSES] } }, orderBy: { createdAt: "desc" }, select: { subject: true } });
  return openForm(
    emailReplyForm({
      kind,
      recordId: record.id,
      reference: record.reference,
      alias: record.alias!,
      to: normalizeAddress(target!.contactEmail) || normalizeAddress(lastInbound?.fromAddress) || undefined,
      cc: target!.watcherEmails,
      subject: last ? `Re: ${cleanSubject(last.subject)}` : record.subject,
      sendId: randomBytes(16).toString("hex"),
    }),
  );
}

export async function submitEmailForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const kind = KINDS.find((k) => k === context.kind);
  const recordId = context.recordId ?? "";
  const sendId = context.sendId ?? "";
  if (!kind || !UUID.test(recordId) || !SEND_ID.test(sendId)) return privateMessage(notice("That form is no longer supported. Open it again from the card."));
  const parsed = parseForm({ id: EMAIL_REPLY_FORM_ID, title: "", submitLabel: "", schema: emailReplySchema, fields: ["to", "cc", "subject", "text"].map((id) => ({ id, label: id, kind: "text" as const })) }, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const target = await loadTarget(deps.db, kind, recordId);
  const refused = refusal(who, kind, target);
  if (refused) return refused;
  const { record } = target!;
  const to = normalizeAddress(parsed.value.to);
  if (await deps.db.team.findFirst({ where: { emailAlias: { equals: to, mode: "insensitive" } }, select: { id: true } })) {
    return { kind: "errors", errors: { to: `${to} is one of our own team addresses; write to the customer's address.` } };
  }
  const cc = [...new Set([...splitAddresses(parsed.value.cc).map(normalizeAddress), ...target!.watcherEmails])].filter((a) => a && a !== to);
  const subject = withReference(parsed.value.subject, record.reference);
  const dedupeKey = `email-reply:${sendId}`;
  const outcome = await deps.db.$transaction(async (tx) => {
    // The same form submitted twice (a double click, a retried request) waits here for the first, then finds it sent.
    await tx.$executeRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(${dedupeKey}))) AS locked`;
    const sent = await tx.timelineEntry.findFirst({ where: { recordType: kind, recordId, kind: "email-out", data: { path: ["sendId"], equals: sendId } }, select: { id: true } });
    if (sent) return { isDuplicate: true as const };
    const messageId = await queueRecordEmail(tx, deps, record, { to, cc, subject, text: parsed.value.text, sentById: who.user.id, dedupeKey });
    const summary = `${who.user.name} emailed ${to}: ${parsed.value.subject}`.slice(0, 500);
    await tx.timelineEntry.create({ data: { recordType: kind, recordId, kind: "email-out", actorId: who.actor.id, summary, data: { sendId, messageId } } });
    await recordEmailed(tx, deps, kind, recordId, "sent", { automatic: false });
    await refreshCard(tx, deps, kind, recordId);
    const status = await tx.emailAddressStatus.findUnique({ where: { address: to }, select: { bounceCount: true, lastBounceAt: true } });
    return { isDuplicate: false as const, bouncedAt: status && status.bounceCount > 0 ? (status.lastBounceAt ?? undefined) : undefined };
  });
  // Private answers (a DM on Slack, the dialog's closing text on Teams): the confirmation is not posted where the card is.
  if (outcome.isDuplicate) return privateMessage(notice(`That email to ${to} was already queued (${record.reference}); it is not sent twice.`));
  const bouncedAt = outcome.bouncedAt ? formatDateTime(outcome.bouncedAt, who.user.timeZone, deps.now()) : undefined;
  deps.logger.info({ record: `${kind}:${recordId}`, sentBy: who.user.id, ccCount: cc.length }, "email to a customer queued from chat");
  return privateMessage(emailQueuedView({ to, reference: record.reference, cc, ...(bouncedAt ? { bouncedAt } : {}) }));
}

/** Why the person may not email about this record (gone, not allowed, no alias), or undefined when they may. */
function refusal(who: Who, kind: RecordKind, target: EmailTarget | null): Reply | undefined {
  if (!target) return privateMessage(notice(`That ${kind} no longer exists.`));
  const allowed = policy.emailCustomer(who.actor, target.facts);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (!target.record.alias) return privateMessage(noAliasView(target.record.reference, target.record.teamName));
  return undefined;
}

/** Emailing the customer is a response: the case's first response is recorded (its SLA clock reads it), then the card. */
async function refreshCard(tx: Tx, deps: Deps, kind: RecordKind, id: string): Promise<void> {
  if (kind === "case") {
    await tx.case.updateMany({ where: { id, firstResponseAt: null }, data: { firstResponseAt: deps.now() } });
    await publishCaseCard(tx, deps, id);
  } else if (kind === "claim") {
    await publishClaimCard(tx, deps, id);
  } else {
    await publishLeadCard(tx, deps, id);
  }
}

/** "Re: Printer broken" → "Re: [CASE-0042] Printer broken": the reference stays after the reply prefixes. */
function withReference(subject: string, reference: string): string {
  if (subject.includes(reference)) return subject;
  const prefix = /^(?:(?:re|aw|fwd?|wg|sv)\s*:\s*)*/i.exec(subject)?.[0] ?? "";
  return `${prefix}[${reference}] ${subject.slice(prefix.length)}`;
}

async function loadTarget(db: Reader, kind: RecordKind, id: string): Promise<EmailTarget | null> {
  if (!UUID.test(id)) return null;
  const record = await loadMailRecord(db, kind, id);
  if (!record) return null;
  const watchers = { where: { email: { not: null } }, select: { email: true }, orderBy: { email: "asc" } } as const;
  const emails = (list: { email: string | null }[]) => [...new Set(list.map((w) => normalizeAddress(w.email)).filter(Boolean))];
  if (kind === "case") {
    const c = await db.case.findUniqueOrThrow({ where: { id }, select: { teamId: true, assigneeId: true, isInternal: true, contact: { select: { email: true } }, partner: { select: { email: true } }, watchers } });
    return { record, facts: { kind, facts: { teamId: c.teamId, assigneeId: c.assigneeId, isInternal: c.isInternal } }, contactEmail: c.contact?.email || c.partner?.email || null, watcherEmails: emails(c.watchers) };
  }
  if (kind === "claim") {
    const c = await db.claim.findUniqueOrThrow({ where: { id }, select: { kind: true, teamId: true, responsibleId: true, partner: { select: { email: true } }, watchers } });
    const facts = { kind, facts: { kind: c.kind, teamId: c.teamId, responsibleId: c.responsibleId }, purchasingTeamIds: await purchasingTeamIds(db) } as const;
    return { record, facts, contactEmail: c.partner?.email ?? null, watcherEmails: emails(c.watchers) };
  }
  const l = await db.lead.findUniqueOrThrow({ where: { id }, select: { teamId: true, salespersonId: true, email: true, partner: { select: { email: true } } } });
  return { record, facts: { kind, facts: { teamId: l.teamId, salespersonId: l.salespersonId } }, contactEmail: l.email || l.partner?.email || null, watcherEmails: [] };
}
