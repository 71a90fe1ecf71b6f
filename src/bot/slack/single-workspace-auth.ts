// Single-workspace (and Socket Mode) authorisation: one bot token; its bot ids are learnt once with auth.test.
import type { Authorize } from "@slack/bolt";
import type { WebClient } from "./slack-surface.js";

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

export interface SingleWorkspaceAuth {
  authorize: Authorize<boolean>;
  /** Runs auth.test now (at start-up) so a refused token is reported before the first request. */
  verify(): Promise<BotIdentity>;
}

/** Bolt's own `token` option re-runs auth.test on every request when verification is deferred; this caches success only. */
export function singleWorkspaceAuth(client: WebClient, botToken: string): SingleWorkspaceAuth {
  let identity: Promise<BotIdentity> | undefined;
  const verify = () =>
    (identity ??= client.auth
      .test({ token: botToken })
      .then((r) => ({ botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }))
      .catch((error: unknown) => {
        identity = undefined; // try again on the next request
        throw error;
      }));
  return {
    verify,
    authorize: async () => {
      // The workspace comes from the request (Bolt fills it in), not from auth.test.
      const { botId, botUserId } = await verify();
      return { botToken, botId, botUserId };
    },
  };
}
