// The weekly contract digest (OpenERP's "contract expiration reminder"): just expired, expired and still open, expiring soon.
import { contractReference, type DigestParts } from "../../domain/contracts.js";
import { CONTRACT_BUTTONS, periodText, usageText, type ContractCardData } from "./contract-card.js";
import { escapeMarkup, type Block, type MessageView } from "./view.js";

export type DigestLine = Pick<ContractCardData, "id" | "number" | "name" | "partner" | "startsAt" | "endsAt" | "billing" | "prepaidUnits" | "unitsUsed" | "salesperson">;

const SECTIONS: { key: keyof DigestParts<DigestLine>; title: string }[] = [
  { key: "justExpired", title: "Just expired (last 7 days)" },
  { key: "stillOpen", title: "Expired and still not handled" },
  { key: "expiringSoon", title: "Expiring within 30 days" },
];

/** Shown per section: 3 sections of 7 lines with their buttons stay within Slack's 50 blocks. */
const MAX_PER_SECTION = 7;

function line(c: DigestLine): string {
  const usage = c.billing === "prepaid_hours" ? ` · ${usageText(c)}` : "";
  const who = c.salesperson ? ` · ${c.salesperson.name}` : "";
  return `*${contractReference(c.number)}* ${escapeMarkup(c.name)} — ${escapeMarkup(c.partner.name)} · ${periodText(c)}${usage}${who}`;
}

export function contractDigestView(parts: DigestParts<DigestLine>, week: string): MessageView {
  const blocks: Block[] = [{ type: "header", text: `Contracts to renew — week ${week}` }];
  const counts: string[] = [];
  for (const { key, title } of SECTIONS) {
    const items = parts[key];
    if (!items.length) continue;
    counts.push(`${title.toLowerCase()}: ${items.length}`);
    blocks.push({ type: "text", text: `*${title}* (${items.length})` });
    for (const c of items.slice(0, MAX_PER_SECTION)) {
      blocks.push({ type: "text", text: line(c) });
      blocks.push({ type: "actions", actions: [{ id: CONTRACT_BUTTONS.show, label: `Open ${contractReference(c.number)}`, value: c.id }] });
    }
    if (items.length > MAX_PER_SECTION) blocks.push({ type: "context", text: `…and ${items.length - MAX_PER_SECTION} more.` });
  }
  return { text: `Contracts to renew (${week}) — ${counts.join("; ")}`, blocks };
}
