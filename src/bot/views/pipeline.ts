// The `/crm pipeline` answer: count and expected revenue per stage, totals, weighted forecast, overdue next actions.
import { leadReference, type LeadType } from "../../domain/leads.js";
import { formatDateTime } from "../../domain/time.js";
import { formatMoney } from "./lead-card.js";
import { escapeMarkup, truncate, type Block, type MessageView } from "./view.js";

export interface PipelineStageRow {
  name: string;
  count: number;
  expected: number;
  weighted: number;
}

export interface OverdueAction {
  id: string;
  number: number;
  type: LeadType;
  title: string;
  nextAction: string | null;
  nextActionAt: Date;
  salespersonName: string | null;
}

export interface PipelineData {
  /** "your opportunities", "Sales, Sales EU". */
  scope: string;
  stages: PipelineStageRow[];
  overdue: OverdueAction[];
  overdueCount: number;
}

export const OVERDUE_SHOWN = 10;

export function pipelineView(p: PipelineData, timeZone: string, now: Date): MessageView {
  const count = p.stages.reduce((n, s) => n + s.count, 0);
  const expected = p.stages.reduce((n, s) => n + s.expected, 0);
  const weighted = Math.round(p.stages.reduce((n, s) => n + s.weighted, 0) * 100) / 100;
  const title = `Pipeline — ${p.scope}`.slice(0, 150);
  const summary = `${count} open ${count === 1 ? "opportunity" : "opportunities"}, ${formatMoney(expected)} expected, ${formatMoney(weighted)} weighted forecast`;
  if (count === 0) return { text: `${title}: no open opportunities`, blocks: [{ type: "header", text: title }, { type: "text", text: "No open opportunities." }] };
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "fields", fields: p.stages.map((s) => ({ label: s.name, value: `${s.count} · ${formatMoney(s.expected)}` })) },
    { type: "text", text: `*Total:* ${summary}.` },
  ];
  if (p.overdue.length) {
    const lines = p.overdue.map((o) => {
      const who = o.salespersonName ? ` · ${escapeMarkup(o.salespersonName)}` : "";
      const what = o.nextAction ? `${escapeMarkup(truncate(o.nextAction, 100))} — ` : "";
      return `• *${leadReference(o)}* ${escapeMarkup(truncate(o.title, 80))}: ${what}${formatDateTime(o.nextActionAt, timeZone, now)}${who}`;
    });
    const more = p.overdueCount > p.overdue.length ? `\n…and ${p.overdueCount - p.overdue.length} more.` : "";
    blocks.push({ type: "text", text: `⚠️ *Overdue next actions (${p.overdueCount})*\n${lines.join("\n")}${more}` });
    blocks.push({ type: "actions", actions: p.overdue.map((o) => ({ id: "lead.open", label: `Open ${leadReference(o)}`, value: o.id })) });
  }
  return { text: `${title}: ${summary}; ${p.overdueCount} overdue`, blocks };
}
