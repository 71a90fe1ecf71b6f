// Who sent this Teams activity: the AAD identity, looked up with TeamsInfo on first contact, resolved to a Switchboard user.
import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Deps } from "../../handlers/deps.js";
import { resolveActor, type ChatIdentity } from "../../handlers/resolve-actor.js";
import type { Who } from "../dispatch.js";
import { notice, type MessageView } from "../views/view.js";
import { tenantOf, type ActivityParts } from "./activity-parts.js";

export type Admission = { ok: true; who: Who } | { ok: false; view: MessageView };

const ADMISSION = Symbol("switchboard.teams.admission");

export async function admit(deps: Deps, ctx: TurnContext, parts: ActivityParts): Promise<Admission> {
  const tenantId = tenantOf(parts);
  const aadId = parts.from.aadObjectId;
  if (!tenantId || !aadId) {
    return { ok: false, view: notice("Switchboard could not tell who you are: Teams sent no tenant or user id.", "Write to Switchboard from a Teams work account.") };
  }
  const identity: ChatIdentity = { platform: "teams", workspaceId: tenantId, userId: aadId, lookup: () => lookupMember(deps, ctx, parts) };
  const resolved = await resolveActor(deps, identity);
  return resolved.ok ? { ok: true, who: { actor: resolved.actor, user: resolved.user } } : { ok: false, view: resolved.view };
}

/** A profile without an email is refused by resolveActor with a clear message; a failed lookup is the same. */
async function lookupMember(deps: Deps, ctx: TurnContext, parts: ActivityParts): Promise<{ email?: string; name?: string; timeZone?: string }> {
  try {
    const member = await TeamsInfo.getMember(ctx, parts.from.id);
    return { email: member.email || member.userPrincipalName || undefined, name: member.name || parts.from.name, timeZone: parts.localTimezone };
  } catch (error) {
    deps.logger.warn({ err: error, conversationType: parts.conversation.conversationType }, "Teams member lookup failed");
    return {};
  }
}

export function rememberAdmission(ctx: TurnContext, admission: Admission): void {
  ctx.turnState.set(ADMISSION, admission);
}

/** Set for every activity but an uninstall, before any handler runs (see SwitchboardBot). */
export function admissionOf(ctx: TurnContext): Admission {
  const admission = ctx.turnState.get(ADMISSION) as Admission | undefined;
  return admission ?? { ok: false, view: notice("Switchboard could not tell who you are. Try again.") };
}
