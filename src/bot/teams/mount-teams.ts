// Teams adapter entry: botbuilder's CloudAdapter on POST /api/messages, the bot, and the outbox transport.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";
import express from "express";
import type { Config } from "../../config.js";
import type { MountedSurface, MountOptions } from "../surface.js";
import { SwitchboardBot } from "./switchboard-bot.js";
import { teamsTransport } from "./transport.js";
import { onTurnError } from "./turn-errors.js";

export async function mountTeams({ app, deps, config, logger }: MountOptions): Promise<MountedSurface> {
  const teams = config.teams;
  if (teams.isAuthDisabled && config.env === "production") {
    throw new Error("Teams is enabled without MICROSOFT_APP_ID in production: anyone could act as any Teams user. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or TEAMS_ENABLED=false.");
  }
  const adapter = new CloudAdapter(authentication(teams));
  adapter.onTurnError = onTurnError(logger);
  const bot = new SwitchboardBot(deps);
  // The JSON parser on this route only: Slack verifies signatures over raw bodies elsewhere.
  app.post("/api/messages", express.json({ limit: "1mb" }), async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  const report = reportLines(config);
  for (const line of report) (teams.isAuthDisabled ? logger.warn(line) : logger.info(line));
  return { transport: teamsTransport(deps, adapter, teams.appId ?? ""), report, stop: async () => undefined };
}

/**
 * An empty MicrosoftAppId disables authentication both ways: inbound requests need no token and
 * outbound connector calls carry none (what a fake Bot Connector in tests needs). SingleTenant and
 * UserAssignedMSI throw without an id, so the no-auth mode always uses the default type.
 */
function authentication(teams: Config["teams"]): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: teams.appId ?? "",
    MicrosoftAppPassword: teams.appPassword ?? "",
    MicrosoftAppType: teams.isAuthDisabled ? "MultiTenant" : teams.appType,
    MicrosoftAppTenantId: teams.tenantId ?? "",
  });
}

function reportLines(config: Config): string[] {
  const endpoint = `${config.publicUrl}/api/messages`;
  if (config.teams.isAuthDisabled) {
    return [
      "!!! TEAMS AUTHENTICATION IS DISABLED (TEAMS_ENABLED=true, no MICROSOFT_APP_ID) !!!",
      `!!! Anyone who can reach ${endpoint} can act as any Teams user. Local testing only. !!!`,
    ];
  }
  return [`Teams: bot ${config.teams.appId} (${config.teams.appType}) at ${endpoint}`];
}
