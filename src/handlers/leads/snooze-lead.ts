// "Snooze 7 days" (Odoo's action_snooze, notes §1.1): the next action moves a week past now or past its date.
import type { Reply } from "../../bot/views/view.js";
import { leadReference } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import { formatDateTime } from "../../domain/time.js";
import type { Deps } from "../deps.js";
import { changeLead, type Who } from "./change-lead.js";
import { closedRefusal } from "./move-stage.js";

const SNOOZE_MS = 7 * 24 * 3600_000;

export function snoozeLead(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeLead(deps, who, value, {
    check: (actor, facts) => policy.editLead(actor, facts),
    refuse: closedRefusal,
    plan: async (_tx, l) => {
      const now = deps.now();
      // From the later of now and the planned date, so an overdue action lands a week from today, not in the past.
      const at = new Date(Math.max(now.getTime(), l.nextActionAt?.getTime() ?? 0) + SNOOZE_MS);
      const nextAction = l.nextAction ?? "Follow up";
      const when = formatDateTime(at, who.user.timeZone, now);
      return {
        data: { nextActionAt: at, nextAction },
        kind: "snoozed",
        summary: `${who.user.name} snoozed the next action to ${formatDateTime(at, "UTC", now)} UTC`,
        done: `💤 ${leadReference(l)}: “${nextAction}” moved to ${when}.`,
      };
    },
  });
}
