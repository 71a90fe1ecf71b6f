// Lists of leads and opportunities: `/crm leads` (mine) and the results of `/crm opp NAME`, each with an Open button.
import { leadReference, type LeadType } from "../../domain/leads.js";
import { formatMoney } from "./lead-card.js";
import { escapeMarkup, truncate, type Block, type MessageView } from "./view.js";

export interface LeadListItem {
  id: string;
  number: number;
  type: LeadType;
  title: string;
  companyName: string | null;
  expectedRevenue: number | null;
  probability: number;
  stage: { name: string };
  partner: { name: string } | null;
}

function itemBlocks(l: LeadListItem): Block[] {
  const customer = l.partner?.name ?? l.companyName;
  const details = [l.stage.name, customer ? escapeMarkup(truncate(customer, 80)) : undefined, l.expectedRevenue !== null ? `${formatMoney(l.expectedRevenue)} at ${l.probability}%` : undefined].filter(Boolean);
  return [
    { type: "text", text: `*${leadReference(l)}* ${escapeMarkup(truncate(l.title, 150))}\n${details.join(" · ")}` },
    { type: "actions", actions: [{ id: "lead.open", label: "Open", value: l.id }] },
  ];
}

/** `/crm leads`: my open leads and opportunities, newest first, with how many there are in all. */
export function myLeadsView(leads: LeadListItem[], total: number): MessageView {
  const title = "Your open leads and opportunities";
  if (total === 0) return { text: `${title}: none`, blocks: [{ type: "header", text: title }, { type: "text", text: "You have no open leads or opportunities. Capture one with `/crm lead`." }] };
  const blocks: Block[] = [{ type: "header", text: `${title} (${total})` }, ...leads.flatMap(itemBlocks)];
  if (total > leads.length) blocks.push({ type: "context", text: `Newest ${leads.length} shown; …and ${total - leads.length} more.` });
  return { text: `${title}: ${total}`, blocks };
}

/** `/crm opp NAME` with several matches: the list to pick from (the caller has already answered one match with its card). */
export function opportunitySearchView(query: string, found: LeadListItem[], hasMore: boolean): MessageView {
  const shown = escapeMarkup(truncate(query, 80));
  if (!found.length) return { text: `No open opportunity matches “${query.slice(0, 80)}”.`, blocks: [{ type: "text", text: `No open opportunity matches “${shown}” (by title, company or customer).` }] };
  const blocks: Block[] = [{ type: "header", text: `Open opportunities matching “${truncate(query, 60)}”` }, ...found.flatMap(itemBlocks)];
  if (hasMore) blocks.push({ type: "context", text: `Only the newest ${found.length} are shown; type more of the name to narrow it down.` });
  return { text: `${found.length}${hasMore ? "+" : ""} open opportunities match “${query.slice(0, 80)}”`, blocks };
}
