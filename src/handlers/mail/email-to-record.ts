// A new case, claim or lead from an email to a team alias (Odoo's message_new): the sender becomes the customer.
import type { Tx } from "../../db/outbox.js";
import { cleanSubject, type RecordKind } from "../../domain/mail-rules.js";
import type { InboundEmail } from "../../mail/inbound-email.js";
import { createCase } from "../cases/open-case.js";
import { createClaim } from "../claims/open-claim.js";
import type { Deps } from "../deps.js";
import { createLead } from "../leads/capture-lead.js";
import { createPartner } from "../resolve-partner.js";
import { loadMailRecord, type MailRecord } from "./record-mail.js";

/** A description longer than this is cut (the whole text stays on the stored email). */
export const MAX_DESCRIPTION_CHARS = 20_000;

export function describe(text: string): string {
  const t = text.trim();
  return t.length > MAX_DESCRIPTION_CHARS ? `${t.slice(0, MAX_DESCRIPTION_CHARS)}\n\n[…cut: the email was longer; the whole text is kept with the email]` : t;
}

/** The sender's partner, by email (case-insensitive): a contact of a company gives the company and the contact. */
export async function findSenderPartner(tx: Tx, address: string): Promise<{ partnerId: string; contactId: string | null } | null> {
  if (!address) return null;
  const found = await tx.partner.findFirst({ where: { email: { equals: address, mode: "insensitive" } }, orderBy: { createdAt: "asc" }, select: { id: true, parentId: true } });
  if (!found) return null;
  return found.parentId ? { partnerId: found.parentId, contactId: found.id } : { partnerId: found.id, contactId: null };
}

async function senderPartner(tx: Tx, deps: Deps, email: InboundEmail): Promise<{ partnerId: string | null; contactId: string | null }> {
  const address = email.from.address;
  if (!address) return { partnerId: null, contactId: null };
  const found = await findSenderPartner(tx, address);
  if (found) return found;
  const name = email.from.name?.replace(/[\r\n]+/g, " ").trim().slice(0, 200) || address;
  const created = await createPartner(tx, deps, { kind: "person", name, email: address }, null);
  return { partnerId: created.id, contactId: null };
}

/** Creates the record the alias makes (its card is posted in the team's channel by the creation path). */
export async function createRecordFromEmail(tx: Tx, deps: Deps, kind: RecordKind, teamId: string, email: InboundEmail): Promise<MailRecord> {
  const subject = cleanSubject(email.subject);
  const description = describe(email.text) || undefined;
  const openedBy = `Email from ${email.from.address || "an unknown sender"}`;
  let id: string;
  if (kind === "case") {
    const { partnerId, contactId } = await senderPartner(tx, deps, email);
    id = await createCase(tx, deps, null, { subject, description, typeId: null, teamId, priority: "medium", partnerId, contactId, assigneeId: null, channel: { code: "email" }, isInternal: false, openedBy });
  } else if (kind === "claim") {
    const { partnerId } = await senderPartner(tx, deps, email);
    id = await createClaim(tx, deps, null, { kind: "customer", subject, partnerId, categoryId: null, responsibleId: null, priority: "medium", description, teamId, openedBy });
  } else {
    // A lead keeps the sender as contact name and email; a partner is made when it is converted (duplicate checks run on the email).
    const contactName = email.from.name?.replace(/[\r\n]+/g, " ").trim().slice(0, 200) || undefined;
    id = await createLead(
      tx,
      deps,
      null,
      { title: subject, contactName, email: email.from.address || undefined, salespersonId: null, teamId, tags: [], channel: { code: "email" }, notes: description },
      "email",
    );
  }
  const record = await loadMailRecord(tx, kind, id);
  if (!record) throw new Error(`the ${kind} created from an email vanished`);
  return record;
}

/** Whether the record is closed (a reply still threads, and the chat post says so). */
export async function isRecordClosed(tx: Tx, record: Pick<MailRecord, "kind" | "id">): Promise<boolean> {
  if (record.kind === "case") return !(await tx.case.findUnique({ where: { id: record.id }, select: { isOpen: true } }))?.isOpen;
  if (record.kind === "claim") return Boolean((await tx.claim.findUnique({ where: { id: record.id }, select: { closedAt: true } }))?.closedAt);
  return !(await tx.lead.findUnique({ where: { id: record.id }, select: { isOpen: true } }))?.isOpen;
}
