// "Cancel call" on a planned call's card (OCA crm_phonecall's "cancel": "Cancelled if not applicable").
import type { Reply } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { changeCall, notPlanned } from "./change-call.js";

export function cancelCall(deps: Deps, who: Who, value: string): Promise<Reply> {
  return changeCall(deps, who, value, {
    refuse: notPlanned,
    async plan(_tx, call) {
      // The due job still fires at the old time but finds the call not planned (domain/calls.ts isDue) and skips.
      return { data: { state: "cancelled" }, kind: "cancelled", summary: `Cancelled: ${call.subject}`, done: "Call cancelled." };
    },
  });
}
