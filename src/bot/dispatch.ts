// Routes what a person did (typed a command, pressed a button, submitted a form) to the handler for it.
// Both the Slack and the Teams adapter call these functions; nothing here knows either platform.
import { parseCallReference } from "../domain/calls.js";
import { callFormFromMessage, editCallForm, followUpCallForm, newCallForm } from "../handlers/call-forms.js";
import type { Deps } from "../handlers/deps.js";
import { runAdminCommand } from "../handlers/admin/index.js";
import { myCallsView } from "../handlers/list-calls.js";
import { quickLogCall, quickLogCallWithPartner, submitCallForm } from "../handlers/log-call.js";
import { retryUndelivered } from "../handlers/outbox-admin.js";
import type { ActorUser } from "../handlers/resolve-actor.js";
import { searchPartners } from "../handlers/resolve-partner.js";
import { showCall } from "../handlers/show-call.js";
import { whoami } from "../handlers/whoami.js";
import type { Actor } from "../domain/policy.js";
import { parseCommand } from "./commands.js";
import { CALL_FORM_ID } from "./views/calls.js";
import { helpView } from "./views/help.js";
import { notice, privateMessage, type MessageView, type Reply } from "./views/view.js";

export interface Who {
  actor: Actor;
  user: ActorUser;
}

/** How commands are written on this surface: "/crm " on Slack, "" on Teams. */
export interface Surface {
  commandPrefix: string;
}

export async function runCommand(deps: Deps, who: Who, text: string, surface: Surface): Promise<Reply> {
  const parsed = parseCommand(text);
  const isAdmin = who.actor.role === "admin";
  if (!parsed.ok) return privateMessage(helpView(surface.commandPrefix, { isAdmin, unknown: parsed.unknown, suggestion: parsed.suggestion }));
  switch (parsed.name) {
    case "help":
      return privateMessage(helpView(surface.commandPrefix, { isAdmin }));
    case "whoami":
      return privateMessage(await whoami(deps, who.user));
    case "call": {
      if (!parsed.args) return newCallForm(deps, who.user);
      const number = parseCallReference(parsed.args);
      if (number !== undefined) return showCallByNumber(deps, who, number);
      return quickLogCall(deps, who.actor, who.user, parsed.args);
    }
    case "calls":
      return privateMessage(await myCallsView(deps, who.user));
    case "admin":
      return runAdminCommand(deps, who, parsed.args, { prefix: surface.commandPrefix });
    default:
      return privateMessage(helpView(surface.commandPrefix, { isAdmin }));
  }
}

/** A button press: `actionId` names the intent, `value` is the button's opaque argument. */
export async function runAction(deps: Deps, who: Who, actionId: string, value: string): Promise<Reply> {
  switch (actionId) {
    case "call.edit":
      return editCallForm(deps, who.actor, who.user, value);
    case "call.follow-up":
      return followUpCallForm(deps, who.actor, who.user, value);
    case "call.quick-with-partner":
      return quickLogCallWithPartner(deps, who.actor, who.user, value);
    case "call.quick-create-partner":
      return quickLogCall(deps, who.actor, who.user, value, { createPartner: true });
    case "outbox.retry":
      return retryUndelivered(deps, who.actor, value);
    default:
      return privateMessage(notice("That button is no longer supported. Run the command again."));
  }
}

export async function submitForm(deps: Deps, who: Who, formId: string, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  switch (formId) {
    case CALL_FORM_ID:
      return submitCallForm(deps, who.actor, who.user, values, context);
    default:
      return privateMessage(notice("That form is no longer supported. Open it again."));
  }
}

/** Message shortcut (Slack) / message action (Teams) on a chat message. */
export function formFromMessage(deps: Deps, who: Who, shortcutId: string, message: { text: string; link?: string }): Reply {
  if (shortcutId === "call.from-message") return callFormFromMessage(deps, who.user, message);
  return privateMessage(notice("That shortcut is not supported."));
}

/** Type-ahead options for a form's search field. */
export async function searchOptions(deps: Deps, _who: Who, source: string, query: string): Promise<{ value: string; label: string }[]> {
  if (source === "partners") return searchPartners(deps, query);
  return [];
}

/** App Home (Slack) / the personal "home" answer on Teams: the person's own open work. */
export async function homeView(deps: Deps, who: Who): Promise<MessageView> {
  const calls = await myCallsView(deps, who.user);
  return { text: `Switchboard — ${calls.text}`, blocks: [{ type: "header", text: `Hello ${who.user.name}` }, ...calls.blocks] };
}

function showCallByNumber(deps: Deps, who: Who, number: number): Promise<Reply> {
  return showCall(deps, who.actor, who.user, number);
}
