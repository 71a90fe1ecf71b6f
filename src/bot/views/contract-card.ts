// A partner's contracts (`/crm contract Acme`) and one contract's card: dates, billing, price, prepaid usage, buttons.
import { BILLING_LABELS, contractReference, dayText, isLive, percentUsed, type ContractBilling, type ContractState } from "../../domain/contracts.js";
import { escapeMarkup, truncate, type Action, type Block, type MessageView } from "./view.js";

export const CONTRACT_BUTTONS = {
  show: "contract.show",
  renew: "contract.renew",
  edit: "contract.edit",
  close: "contract.close",
  partner: "contract.partner",
  newFor: "contract.new",
} as const;

export interface ContractCardData {
  id: string;
  number: number;
  version: number;
  name: string;
  partner: { id: string; name: string };
  salesperson: { name: string } | null;
  team: { name: string } | null;
  startsAt: Date;
  endsAt: Date | null;
  billing: ContractBilling;
  unitPrice: number | null;
  prepaidUnits: number | null;
  unitsUsed: number;
  state: ContractState;
  renewedBy: { number: number } | null;
  renewedFrom: { number: number } | null;
}

const STATE_ICON: Record<ContractState, string> = { draft: "📝", open: "🟢", closed: "⚪", cancelled: "✖️" };
const money = (n: number) => n.toLocaleString("en", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const hours = (n: number) => `${money(n)} h`;

/** "12 / 20 h (60%)" for prepaid hours; "12 h" used otherwise; "—" when nothing was logged. */
export function usageText(c: Pick<ContractCardData, "prepaidUnits" | "unitsUsed" | "billing">): string {
  const percent = percentUsed(c);
  if (c.billing === "prepaid_hours" && c.prepaidUnits) return `${hours(c.unitsUsed)} / ${hours(c.prepaidUnits)} (${percent}%)`;
  return c.unitsUsed ? hours(c.unitsUsed) : "—";
}

function priceText(c: Pick<ContractCardData, "unitPrice" | "billing">): string {
  if (c.unitPrice === null) return "—";
  return c.billing === "fixed_price" ? money(c.unitPrice) : `${money(c.unitPrice)} / h`;
}

export const periodText = (c: Pick<ContractCardData, "startsAt" | "endsAt">) => `${dayText(c.startsAt)} → ${c.endsAt ? dayText(c.endsAt) : "no end"}`;

function contractBlocks(c: ContractCardData, canEdit: boolean): Block[] {
  const ref = contractReference(c.number);
  const renewal = c.renewedBy ? ` · renewed by ${contractReference(c.renewedBy.number)}` : "";
  const renews = c.renewedFrom ? ` · renews ${contractReference(c.renewedFrom.number)}` : "";
  const blocks: Block[] = [
    { type: "text", text: `${STATE_ICON[c.state]} *${ref}* ${escapeMarkup(c.name)} — ${c.state}${renewal}${renews}` },
    {
      type: "fields",
      fields: [
        { label: "Customer", value: escapeMarkup(c.partner.name) },
        { label: "Period", value: periodText(c) },
        { label: "Billing", value: BILLING_LABELS[c.billing] },
        { label: "Price", value: priceText(c) },
        { label: "Hours used", value: usageText(c) },
        { label: "Salesperson", value: c.salesperson?.name ?? "—" },
        ...(c.team ? [{ label: "Team", value: c.team.name }] : []),
      ],
    },
  ];
  const actions = contractButtons(c, canEdit);
  if (actions.length) blocks.push({ type: "actions", actions });
  return blocks;
}

function contractButtons(c: ContractCardData, canEdit: boolean): Action[] {
  if (!canEdit || !isLive(c)) return [];
  const value = `${c.id}:${c.version}`;
  return [
    ...(c.renewedBy ? [] : [{ id: CONTRACT_BUTTONS.renew, label: "Renew", value, opensForm: true, style: "primary" as const }]),
    { id: CONTRACT_BUTTONS.edit, label: "Edit", value, opensForm: true },
    { id: CONTRACT_BUTTONS.close, label: "Close", value, style: "danger" as const },
  ];
}

export function contractCard(c: ContractCardData, canEdit: boolean, line?: string): MessageView {
  const ref = contractReference(c.number);
  return {
    text: `${line ? `${line} ` : ""}${ref} ${c.name} — ${c.partner.name}, ${periodText(c)}, ${c.state}`,
    blocks: [...(line ? [{ type: "text" as const, text: line }] : []), { type: "header", text: truncate(`${ref}: ${c.name}`, 150) }, ...contractBlocks(c, canEdit)],
  };
}

/** The partner's contracts the reader may see, newest first; `hidden` counts the others (not named). */
export function partnerContractsView(partner: { id: string; name: string }, contracts: { data: ContractCardData; canEdit: boolean }[], hidden: number, canCreate: boolean): MessageView {
  const title = `Contracts of ${partner.name}`;
  const blocks: Block[] = [{ type: "header", text: truncate(title, 150) }];
  if (!contracts.length) blocks.push({ type: "text", text: hidden ? "You may not see this partner's contracts." : "No contracts yet." });
  for (const [i, c] of contracts.entries()) {
    if (i > 0) blocks.push({ type: "divider" });
    blocks.push(...contractBlocks(c.data, c.canEdit));
  }
  if (hidden && contracts.length) blocks.push({ type: "context", text: `${hidden} more belong to teams you are not in.` });
  if (canCreate) blocks.push({ type: "actions", actions: [{ id: CONTRACT_BUTTONS.newFor, label: "New contract", value: partner.id, opensForm: true }] });
  return { text: `${title}: ${contracts.length}`, blocks };
}

export function contractPartnerPickView(text: string, candidates: { id: string; name: string }[]): MessageView {
  return {
    text: `Which partner did you mean by “${text}”?`,
    blocks: [
      { type: "text", text: `Which partner did you mean by *${escapeMarkup(text)}*?` },
      { type: "actions", actions: candidates.map((c) => ({ id: CONTRACT_BUTTONS.partner, label: truncate(c.name, 70), value: c.id })) },
    ],
  };
}
