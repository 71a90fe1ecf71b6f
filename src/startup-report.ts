// What start-up prints: where Switchboard listens, what is configured, and what would enable the rest.
import type { Config } from "./config.js";

export function startupReport(config: Config, where: { url: string; database: string; migrationsApplied: number }): string[] {
  const lines = [
    `Switchboard is listening on ${where.url} (public URL ${config.publicUrl})`,
    `Database: ${where.database}; ${where.migrationsApplied === 0 ? "schema up to date" : `${where.migrationsApplied} migration(s) applied`}`,
  ];
  const slack = config.slack;
  lines.push(
    slack.mode === "off"
      ? "Slack: not configured. Set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (one workspace), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET (OAuth, many workspaces); add SLACK_APP_TOKEN for Socket Mode."
      : `Slack: ${slack.mode}${slack.mode === "socket" ? " (Socket Mode)" : `, requests at ${config.publicUrl}/slack/events`}`,
  );
  lines.push(
    !config.teams.isEnabled
      ? "Teams: not configured. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TYPE / MICROSOFT_APP_TENANT_ID for single-tenant bots); TEAMS_ENABLED=true without an app id runs it unauthenticated for local testing."
      : config.teams.isAuthDisabled
        ? `Teams: WARNING — running WITHOUT AUTHENTICATION (TEAMS_ENABLED=true, no MICROSOFT_APP_ID): anyone who can reach ${config.publicUrl}/api/messages can act as any Teams user. For local testing only.`
        : `Teams: app ${config.teams.appId} (${config.teams.appType}), messages at ${config.publicUrl}/api/messages`,
  );
  const mail = config.mail;
  lines.push(
    mail.smtpUrl
      ? `Outbound mail: SMTP_URL is set; From ${mail.from}`
      : `Outbound mail: not configured. Set SMTP_URL (smtp://user:pass@host:587) and MAIL_FROM; until then email is written to ${config.dataDir}/outbox/*.eml.`,
  );
  lines.push(
    mail.imapUrl || mail.smtpListenPort
      ? `Inbound mail: ${[mail.imapUrl && "IMAP mailbox", mail.smtpListenPort && `SMTP listener on port ${mail.smtpListenPort}`].filter(Boolean).join(" and ")}`
      : "Inbound mail: not configured. Set IMAP_URL (imaps://user:pass@host/INBOX) or SMTP_LISTEN_PORT.",
  );
  return lines;
}
