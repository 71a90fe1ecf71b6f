// "Reply by email" from a record's card: the form (To, Cc, Subject, Text) and the answers to the person who sent it.
import { z } from "zod";
import { normalizeAddress, type RecordKind } from "../../domain/mail-rules.js";
import { requiredText } from "./form-values.js";
import { escapeMarkup, notice, type Form, type MessageView } from "./view.js";

export const EMAIL_REPLY_FORM_ID = "mail.reply-form";
/** Longest text an agent may send from chat (a Slack text input itself stops at 3,000; Teams does not). */
export const MAX_EMAIL_TEXT = 20_000;
export const MAX_EMAIL_SUBJECT = 200;
/** At most this many Cc addresses typed in the form (watchers are added on top). */
export const MAX_CC = 20;

/** Comma-, semicolon- or space-separated addresses, normalised, without duplicates. */
export function splitAddresses(text: string | undefined): string[] {
  return [...new Set((text ?? "").split(/[,;\s]+/).map((a) => a.trim()).filter(Boolean))];
}

export const emailReplySchema = z.object({
  to: requiredText("Give the customer's email address.").superRefine((value, ctx) => {
    if (!normalizeAddress(value)) ctx.addIssue({ code: "custom", message: `“${value.slice(0, 100)}” is not an email address (one address, like jane@globex.com).` });
  }),
  cc: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      const list = splitAddresses(value);
      const bad = list.filter((a) => !normalizeAddress(a));
      if (bad.length) ctx.addIssue({ code: "custom", message: `Not an email address: ${bad.slice(0, 3).map((a) => a.slice(0, 100)).join(", ")}. Separate addresses with commas.` });
      else if (list.length > MAX_CC) ctx.addIssue({ code: "custom", message: `At most ${MAX_CC} addresses in Cc.` });
    }),
  subject: requiredText("Give the email a subject.").max(MAX_EMAIL_SUBJECT, `Keep the subject under ${MAX_EMAIL_SUBJECT} characters.`),
  text: requiredText("Write the email.").max(MAX_EMAIL_TEXT, `An email from chat is limited to ${MAX_EMAIL_TEXT.toLocaleString("en")} characters; shorten it.`),
});

export type EmailReplyInput = z.infer<typeof emailReplySchema>;

export interface EmailReplyPrefill {
  kind: RecordKind;
  recordId: string;
  reference: string;
  alias: string;
  to: string | undefined;
  cc: string[];
  subject: string;
  /** A random id minted when the form opened: the same submission twice sends once. */
  sendId: string;
}

export function emailReplyForm(p: EmailReplyPrefill): Form<typeof emailReplySchema> {
  return {
    id: EMAIL_REPLY_FORM_ID,
    // Slack clips modal titles at 24 characters: the reference goes in the intro, which both platforms show.
    title: "Email the customer",
    submitLabel: "Send email",
    intro: `*Email the customer — ${p.reference}*\nSent from ${escapeMarkup(p.alias)}; the customer sees this. For a note only colleagues see, use “Add note (internal)”.`,
    context: { kind: p.kind, recordId: p.recordId, sendId: p.sendId },
    schema: emailReplySchema,
    fields: [
      { id: "to", label: "To", kind: "text", placeholder: "jane@globex.com", ...(p.to ? { initial: p.to } : {}), maxLength: 320 },
      { id: "cc", label: "Cc", kind: "text", isOptional: true, hint: "Comma-separated. The record's email watchers always get a copy.", ...(p.cc.length ? { initial: p.cc.join(", ") } : {}), maxLength: 2000 },
      { id: "subject", label: "Subject", kind: "text", initial: p.subject.slice(0, MAX_EMAIL_SUBJECT), maxLength: MAX_EMAIL_SUBJECT },
      { id: "text", label: "Text", kind: "textarea", hint: "Plain text, sent as written.", maxLength: MAX_EMAIL_TEXT },
    ],
  };
}

/** "Email to jane@globex.com queued (CASE-0042)", with who is copied and a warning when the address bounced before. */
export function emailQueuedView(p: { to: string; reference: string; cc: string[]; bouncedAt?: string }): MessageView {
  const details = [
    p.cc.length ? `Cc: ${p.cc.join(", ")}.` : undefined,
    p.bouncedAt ? `⚠️ Mail to ${p.to} bounced on ${p.bouncedAt}; it may not arrive. Check the address with the customer.` : undefined,
  ].filter(Boolean);
  return notice(`✉ Email to ${p.to} queued (${p.reference}).`, details.length ? escapeMarkup(details.join(" ")) : undefined);
}

/** Refused before the form opens (and again on submit): From MAIL_FROM the customer could not answer, so nothing is sent. */
export function noAliasView(reference: string, teamName: string | null): MessageView {
  if (!teamName) return notice(`${reference} has no team, so there is no email alias to send from; give it a team that has one. Nothing was sent.`);
  const team = /\s/.test(teamName) ? `"${teamName}"` : teamName;
  return notice(`${reference}'s team has no email alias; an admin sets one with \`npm run admin -- team update ${team} --alias support@example.com\`. Nothing was sent.`);
}
