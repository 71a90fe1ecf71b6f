// What /crm visits shows (the plans, with their buttons) and the questions asked before visits are cancelled.
import { escapeMarkup, type Block, type MessageView } from "./view.js";

export const VISIT_BUTTONS = {
  list: "visit.list",
  create: "visit.new",
  switchOff: "visit.off",
  confirmOff: "visit.off-confirm",
  keepOn: "visit.off-keep",
  cancelSeries: "visit.cancel-series",
  keepSeries: "visit.keep-series",
} as const;

export interface PlanSummary {
  id: string;
  reference: string;
  title: string;
  categoryName: string;
  repeat: string;
  firstVisit: string;
  durationMinutes: number;
  isActive: boolean;
  liveSeries: number;
}

export function visitPlansView(plans: PlanSummary[], opts: { canManage: boolean }): MessageView {
  const blocks: Block[] = [{ type: "header", text: "Visit plans" }];
  if (!plans.length) blocks.push({ type: "text", text: "No visit plans yet." });
  for (const p of plans.slice(0, 15)) {
    blocks.push({
      type: "text",
      text: `*${p.reference}* ${escapeMarkup(p.title)} — every partner of *${escapeMarkup(p.categoryName)}*, ${p.repeat}, from ${p.firstVisit}, ${p.durationMinutes} min — ${p.isActive ? `on, ${p.liveSeries} series` : "off"}`,
    });
    if (opts.canManage && p.isActive) blocks.push({ type: "actions", actions: [{ id: VISIT_BUTTONS.switchOff, label: "Switch off", value: p.id, style: "danger" }] });
  }
  if (opts.canManage) blocks.push({ type: "actions", actions: [{ id: VISIT_BUTTONS.create, label: "New visit plan", opensForm: true, style: "primary" }] });
  return { text: plans.length ? `${plans.length} visit plan(s)` : "No visit plans yet.", blocks };
}

/** "Acme left GOLD: cancel its monthly visits (MTG-0042)? [Cancel visits] [Keep]" — to the plan's creator. */
export function partnerLeftView(opts: { partnerName: string; categoryName: string; title: string; meetingRef: string; planRef: string; meetingId: string }): MessageView {
  const text = `${opts.partnerName} left ${opts.categoryName}: cancel its visits “${opts.title}” (${opts.meetingRef})?`;
  return {
    text,
    blocks: [
      { type: "text", text: escapeMarkup(text) },
      { type: "context", text: `Planned by ${opts.planRef}. Nothing is cancelled until you answer; cancelling tells the attendees.` },
      {
        type: "actions",
        actions: [
          { id: VISIT_BUTTONS.cancelSeries, label: "Cancel visits", value: opts.meetingId, style: "danger" },
          { id: VISIT_BUTTONS.keepSeries, label: "Keep", value: opts.meetingId },
        ],
      },
    ],
  };
}

export function confirmSwitchOffView(opts: { planId: string; planRef: string; title: string; liveSeries: number }): MessageView {
  const text = `Switch off ${opts.planRef} “${opts.title}” and cancel its ${opts.liveSeries} visit series? The attendees are told.`;
  return {
    text,
    blocks: [
      { type: "text", text: escapeMarkup(text) },
      {
        type: "actions",
        actions: [
          { id: VISIT_BUTTONS.confirmOff, label: `Switch off and cancel ${opts.liveSeries} series`, value: opts.planId, style: "danger" },
          { id: VISIT_BUTTONS.keepOn, label: "Keep it on", value: opts.planId },
        ],
      },
    ],
  };
}
