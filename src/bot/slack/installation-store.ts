// Slack OAuth installations in the SlackInstallation table (one row per workspace, or per org for org-wide installs).
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { deleteSlackInstallation, findSlackInstallation, saveSlackInstallation, slackBotToken } from "../../db/chat-state.js";
import type { Deps } from "../../handlers/deps.js";

type Db = Deps["db"];

export class PrismaInstallationStore implements InstallationStore {
  constructor(private readonly db: Db) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const id = rowId(installation.isEnterpriseInstall === true, installation.enterprise?.id, installation.team?.id);
    const botToken = installation.bot?.token;
    if (!id || !botToken) throw new Error("a Slack installation needs a workspace (or org) id and a bot token");
    const data = {
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
      botToken,
      botId: installation.bot?.id ?? null,
      botUserId: installation.bot?.userId ?? null,
      // Round-trips through JSON: the column stores exactly what fetchInstallation will return.
      installation: JSON.parse(JSON.stringify(installation)),
    };
    await saveSlackInstallation(this.db, id, data);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const id = rowId(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
    const stored = id ? await findSlackInstallation(this.db, id) : undefined;
    // A workspace inside an org that installed the app org-wide is covered by the org's row.
    const found = stored ?? (query.enterpriseId ? await findSlackInstallation(this.db, query.enterpriseId) : undefined);
    if (!found) throw new Error(`no Slack installation for ${id ?? "an unknown workspace"}`);
    return found as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = rowId(query.isEnterpriseInstall, query.enterpriseId, query.teamId);
    if (id) await deleteSlackInstallation(this.db, id);
  }

  /** The bot token for an outbox row's scope (a team id, or an org id for org-wide installs). */
  async botTokenFor(scope: string): Promise<string | undefined> {
    return slackBotToken(this.db, scope);
  }
}

function rowId(isEnterpriseInstall: boolean, enterpriseId: string | undefined, teamId: string | undefined): string | undefined {
  return isEnterpriseInstall ? enterpriseId : (teamId ?? enterpriseId);
}
