// "Schedule call" on a lead or opportunity card: the call form as a planned call about this record; the call is
// stored with the lead (log-call.ts reads `leadId` from the form's context).
import { callForm } from "../../bot/views/calls.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { leadReference } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { leadForButton, type Who } from "./change-lead.js";
import { closedRefusal } from "./move-stage.js";

export async function scheduleLeadCall(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.editLead(actor, facts), closedRefusal);
  if (!found.ok) return found.reply;
  const l = found.lead;
  const now = deps.now();
  const form = callForm(who.user.timeZone, now, {
    title: "Schedule call",
    state: "planned",
    direction: "outbound",
    partner: l.partner ? { value: l.partner.id, label: l.partner.name } : undefined,
    contactPhone: l.phone && /^[+()\d\s./-]{3,40}$/.test(l.phone) ? l.phone : undefined,
    subject: `Call about ${leadReference(l)}: ${l.title}`.slice(0, 500),
    callAt: new Date(now.getTime() + 24 * 3600_000),
  });
  return openForm({ ...form, context: { ...form.context, leadId: l.id } });
}
