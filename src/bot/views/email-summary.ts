// The one line a case, claim or lead card shows about its email: how many, and the latest one.
import { cleanSubject } from "../../domain/mail-rules.js";
import { age } from "./outbox.js";
import { escapeMarkup, truncate, type Block } from "./view.js";

export interface EmailSummary {
  count: number;
  last: { direction: "inbound" | "outbound"; fromAddress: string; toAddresses: string[]; subject: string; createdAt: Date };
}

/** "✉ 3 emails · Last email: from jane@globex.com, 5 min ago — Printer still broken" (one context line). */
export function emailSummaryBlock(summary: EmailSummary | undefined, now: Date): Block[] {
  if (!summary || summary.count === 0) return [];
  const { last } = summary;
  const who = last.direction === "inbound" ? `from ${last.fromAddress}` : `to ${last.toAddresses[0] ?? "?"}`;
  const subject = truncate(cleanSubject(last.subject.replace(/\[(CASE|CLM|LEAD|OPP)-\d+\]\s*/gi, "")), 120);
  const count = `${summary.count} email${summary.count === 1 ? "" : "s"}`;
  return [{ type: "context", text: escapeMarkup(`✉ ${count} · Last email: ${who}, ${age(last.createdAt, now)} ago — ${subject}`) }];
}
