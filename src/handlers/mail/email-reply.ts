// A reply on a record (Odoo's message_update): stored, on the timeline, in the chat thread, copied to the watchers.
import type { Tx } from "../../db/outbox.js";
import type { InboundEmail } from "../../mail/inbound-email.js";
import type { Deps } from "../deps.js";
import { addCcWatchers, copyToWatchers, postEmailToThread, senderLabel } from "./email-notify.js";
import { isRecordClosed } from "./email-to-record.js";
import type { MailRecord } from "./record-mail.js";
import { addEmailTimeline, storeInboundEmail } from "./store-email.js";

export async function threadReply(tx: Tx, deps: Deps, record: MailRecord, email: InboundEmail, isOurs: (a: string) => boolean): Promise<string> {
  const emailId = await storeInboundEmail(tx, email, { status: "threaded", recordType: record.kind, recordId: record.id, teamId: record.teamId }, deps.now());
  await addEmailTimeline(tx, record.kind, record.id, `Email from ${senderLabel(email)}: ${email.subject.replace(/[\r\n]+/g, " ").trim() || "(no subject)"}`, emailId);
  await addCcWatchers(tx, record, email, isOurs);
  await postEmailToThread(tx, record, email, emailId, await isRecordClosed(tx, record));
  await copyToWatchers(tx, deps, record, email, isOurs);
  return emailId;
}
