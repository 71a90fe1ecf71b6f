// app_uninstalled and tokens_revoked: forget the workspace's installation (Bolt does not delete it for us).
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackSurface } from "../../slack-surface.js";

export function appUninstalled(surface: SlackSurface) {
  return async ({ context }: SlackEventMiddlewareArgs<"app_uninstalled"> & AllMiddlewareArgs): Promise<void> => {
    await forget(surface, context, "app_uninstalled");
  };
}

export function tokensRevoked(surface: SlackSurface) {
  return async ({ event, context }: SlackEventMiddlewareArgs<"tokens_revoked"> & AllMiddlewareArgs): Promise<void> => {
    // Only the bot token matters to us; revoked user tokens (we ask for none) are ignored.
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget(surface, context, "tokens_revoked");
  };
}

async function forget(surface: SlackSurface, context: AllMiddlewareArgs["context"], reason: string): Promise<void> {
  await surface.guard.run(
    `event ${reason}`,
    async () => {
      surface.logger.info({ teamId: context.teamId, enterpriseId: context.enterpriseId, reason }, "Slack installation removed");
      await surface.installations?.deleteInstallation({
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall === true,
      });
    },
    async () => undefined,
  );
}
