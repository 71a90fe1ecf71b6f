// The stored copy of a received email (EmailMessage and its attachments), written in the ingest transaction.
import type { Tx } from "../../db/outbox.js";
import type { RecordKind } from "../../domain/mail-rules.js";
import type { InboundEmail } from "../../mail/inbound-email.js";

export type InboundStatus = "created" | "threaded" | "rejected" | "ignored" | "bounce";

export interface StoredAs {
  status: InboundStatus;
  recordType?: RecordKind | "meeting" | null;
  recordId?: string | null;
  teamId?: string | null;
  reason?: string | null;
}

/** Stores the email once (Message-ID is unique: a second delivery fails with P2002) and its kept attachments. */
export async function storeInboundEmail(tx: Tx, email: InboundEmail, as: StoredAs, now: Date): Promise<string> {
  const row = await tx.emailMessage.create({
    data: {
      messageId: email.messageId,
      direction: "inbound",
      status: as.status,
      recordType: as.recordType ?? null,
      recordId: as.recordId ?? null,
      teamId: as.teamId ?? null,
      fromAddress: email.from.address,
      fromName: email.from.name?.slice(0, 200) || null,
      toAddresses: email.to.map((a) => a.address).filter(Boolean),
      ccAddresses: email.cc.map((a) => a.address).filter(Boolean),
      subject: email.subject.slice(0, 1000),
      text: email.text,
      inReplyTo: email.inReplyTo ?? null,
      references: email.references,
      reason: as.reason?.slice(0, 500) ?? null,
      size: email.size,
      createdAt: now,
    },
    select: { id: true },
  });
  // Only a new record or a reply keeps the files: refused and automatic mail is a log line, not an archive.
  if (email.attachments.length && (as.status === "created" || as.status === "threaded")) {
    await tx.emailAttachment.createMany({
      data: email.attachments.map((a) => ({ emailId: row.id, fileName: a.fileName.slice(0, 255), contentType: a.contentType.slice(0, 255), size: a.size, content: new Uint8Array(a.content) })),
    });
  }
  return row.id;
}

/** An "email-in" entry on the record's timeline, pointing at the stored email. */
export async function addEmailTimeline(tx: Tx, recordType: RecordKind, recordId: string, summary: string, emailId: string): Promise<void> {
  await tx.timelineEntry.create({ data: { recordType, recordId, kind: "email-in", actorId: null, summary: summary.slice(0, 500), data: { emailId } } });
}
