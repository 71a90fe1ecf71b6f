// Who is pressing the button: a Slack user as a Switchboard User (users.info on first contact only).
import type { Who } from "../dispatch.js";
import { notice, type MessageView } from "../views/view.js";
import { resolveActor, type ChatIdentity } from "../../handlers/resolve-actor.js";
import { usersInfo } from "./payloads.js";
import type { SlackSurface, WebClient } from "./slack-surface.js";

export type Identified = ({ ok: true } & Who) | { ok: false; view: MessageView };

/** `context` is Bolt's: the workspace comes from the installation that authorised the request. */
export async function identify(surface: SlackSurface, client: WebClient, context: { teamId?: string; enterpriseId?: string }, userId: string): Promise<Identified> {
  const workspaceId = context.teamId ?? context.enterpriseId;
  if (!workspaceId) return { ok: false, view: notice("Switchboard could not tell which Slack workspace this came from.") };
  return resolveActor(surface.deps, slackIdentity(client, workspaceId, userId));
}

export function slackIdentity(client: WebClient, workspaceId: string, userId: string): ChatIdentity {
  return {
    platform: "slack",
    workspaceId,
    userId,
    async lookup() {
      const { user } = usersInfo.parse(await client.users.info({ user: userId }));
      return {
        email: user?.profile?.email,
        name: user?.real_name || user?.profile?.real_name || user?.profile?.display_name || user?.name,
        timeZone: user?.tz,
      };
    },
  };
}
