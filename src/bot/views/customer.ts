// A partner's history: the partner card (open cases, open claims, recent calls) and the simple lists behind its buttons.
import { callReference } from "../../domain/calls.js";
import { formatDateTime } from "../../domain/time.js";
import { claimLine, type ClaimLine } from "./claim-card.js";
import { escapeMarkup, type Block, type MessageView } from "./view.js";

export interface PartnerSummary {
  id: string;
  name: string;
  kind: "company" | "person";
  email: string | null;
  phone: string | null;
  isCustomer: boolean;
  isSupplier: boolean;
  parent: { name: string } | null;
}

export interface CaseLine {
  number: number;
  subject: string;
  priority: string;
  stage: { name: string };
  assignee: { name: string } | null;
}

export interface CallLine {
  number: number;
  subject: string;
  callAt: Date;
  state: string;
  owner: { name: string };
}

export interface PartnerHistory {
  partner: PartnerSummary;
  cases: { count: number };
  claims: { count: number };
  calls: { count: number; last?: CallLine };
}

/** Recent calls are the calls of the last this-many days. */
export const RECENT_CALL_DAYS = 90;

export function customerCard(h: PartnerHistory, timeZone: string, now: Date): MessageView {
  const p = h.partner;
  const roles = [p.isCustomer ? "customer" : "", p.isSupplier ? "supplier" : ""].filter(Boolean).join(" and ") || "partner";
  const fields = [
    { label: "Open cases", value: String(h.cases.count) },
    { label: "Open claims", value: String(h.claims.count) },
    { label: `Calls (${RECENT_CALL_DAYS} days)`, value: String(h.calls.count) },
    ...(p.email ? [{ label: "Email", value: p.email }] : []),
    ...(p.phone ? [{ label: "Phone", value: p.phone }] : []),
  ];
  const blocks: Block[] = [
    { type: "header", text: p.name },
    { type: "context", text: `${p.kind === "company" ? "Company" : "Person"}, ${roles}${p.parent ? ` · ${escapeMarkup(p.parent.name)}` : ""}` },
    { type: "fields", fields },
  ];
  if (h.calls.last) blocks.push({ type: "context", text: `Last call: ${escapeMarkup(h.calls.last.subject)} · ${formatDateTime(h.calls.last.callAt, timeZone, now)} · ${h.calls.last.owner.name}` });
  blocks.push({
    type: "actions",
    actions: [
      { id: "customer.cases", label: `Cases (${h.cases.count})`, value: p.id },
      { id: "customer.claims", label: `Claims (${h.claims.count})`, value: p.id },
      { id: "customer.calls", label: `Calls (${h.calls.count})`, value: p.id },
    ],
  });
  return { text: `${p.name}: ${h.cases.count} open cases, ${h.claims.count} open claims, ${h.calls.count} recent calls`, blocks };
}

export function partnerPickView(name: string, candidates: { id: string; name: string }[]): MessageView {
  return {
    text: `Which partner did you mean by “${name}”?`,
    blocks: [
      { type: "text", text: `Which partner did you mean by *${escapeMarkup(name)}*?` },
      { type: "actions", actions: candidates.map((c) => ({ id: "customer.show", label: c.name.slice(0, 70), value: c.id })) },
    ],
  };
}

export function partnerCasesView(partner: string, cases: CaseLine[]): MessageView {
  return listView(`Open cases of ${partner}`, cases.map((c) => `*CASE-${String(c.number).padStart(4, "0")}* ${escapeMarkup(c.subject)}\n${c.stage.name} · ${c.priority} · ${c.assignee?.name ?? "unassigned"}`), "No open cases.");
}

export function partnerClaimsView(partner: string, claims: ClaimLine[]): MessageView {
  const view = listView(`Open claims of ${partner}`, claims.map(claimLine), "No open claims.");
  const buttons = claims.slice(0, 5).map((c) => ({ id: "claim.show", label: `Open CLM-${String(c.number).padStart(4, "0")}`, value: c.id }));
  return buttons.length ? { ...view, blocks: [...view.blocks, { type: "actions", actions: buttons }] } : view;
}

export function partnerCallsView(partner: string, calls: CallLine[], timeZone: string, now: Date): MessageView {
  return listView(`Calls with ${partner} (last ${RECENT_CALL_DAYS} days)`, calls.map((c) => `*${callReference(c.number)}* ${escapeMarkup(c.subject)}\n${formatDateTime(c.callAt, timeZone, now)} · ${c.state} · ${c.owner.name}`), "No calls.");
}

function listView(title: string, lines: string[], empty: string): MessageView {
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const line of lines.slice(0, 20)) blocks.push({ type: "text", text: line });
  if (lines.length > 20) blocks.push({ type: "context", text: `…and ${lines.length - 20} more.` });
  if (!lines.length) blocks.push({ type: "text", text: empty });
  return { text: `${title}: ${lines.length}`, blocks };
}
