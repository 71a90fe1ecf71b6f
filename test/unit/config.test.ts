import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { startupReport } from "../../src/startup-report.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, "/srv/switchboard");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("starts with nothing set: embedded database in ./data, port 3000, chat and mail off", () => {
    const config = loadConfig({}, "/srv/switchboard");
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe("/srv/switchboard/data");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.slack.mode).toBe("off");
    expect(config.teams.isAuthDisabled).toBe(true);
    expect(config.publicUrl).toBe("http://localhost:3000");
  });

  it("lists every problem at once, each by variable name", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "mysql://localhost/crm",
      LOG_LEVEL: "loud",
      SLACK_BOT_TOKEN: "xoxp-user-token",
      MICROSOFT_APP_TYPE: "SingleTenant",
    });
    const vars = problems.map((p) => p.split(":")[0]);
    expect(vars).toEqual(
      expect.arrayContaining(["PORT", "DATABASE_URL", "LOG_LEVEL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_ID"]),
    );
    expect(problems.find((p) => p.startsWith("DATABASE_URL"))).toMatch(/postgres/);
  });

  it("puts every problem in one message that names the variables", () => {
    expect(() => loadConfig({ PORT: "-1", PUBLIC_URL: "not a url" })).toThrowError(/PORT[\s\S]*PUBLIC_URL|PUBLIC_URL[\s\S]*PORT/);
  });

  it("requires the rest of the Slack OAuth settings once one is given", () => {
    expect(problemsOf({ SLACK_CLIENT_ID: "123.456" }).map((p) => p.split(":")[0]).sort()).toEqual([
      "SLACK_CLIENT_SECRET",
      "SLACK_SIGNING_SECRET",
      "SLACK_STATE_SECRET",
    ]);
  });

  it("treats empty variables as unset, as a .env file copied from .env.example has them", () => {
    const config = loadConfig({ DATABASE_URL: "", SLACK_BOT_TOKEN: "", SMTP_LISTEN_PORT: "" });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.slack.mode).toBe("off");
    expect(config.mail.smtpListenPort).toBeUndefined();
  });

  it("chooses the Slack mode from what is set", () => {
    const base = { SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" };
    expect(loadConfig(base).slack.mode).toBe("single-workspace");
    expect(loadConfig({ ...base, SLACK_APP_TOKEN: "xapp-1" }).slack.mode).toBe("socket");
    expect(loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_CLIENT_ID: "c", SLACK_CLIENT_SECRET: "x", SLACK_STATE_SECRET: "y" }).slack.mode).toBe("oauth");
  });

  it("turns Teams on with an app id, or explicitly (then without auth), and off otherwise", () => {
    expect(loadConfig({}).teams).toMatchObject({ isEnabled: false });
    expect(loadConfig({ MICROSOFT_APP_ID: "id", MICROSOFT_APP_PASSWORD: "pw" }).teams).toMatchObject({ isEnabled: true, isAuthDisabled: false });
    expect(loadConfig({ TEAMS_ENABLED: "true" }).teams).toMatchObject({ isEnabled: true, isAuthDisabled: true });
    expect(loadConfig({ TEAMS_ENABLED: "false", MICROSOFT_APP_ID: "id", MICROSOFT_APP_PASSWORD: "pw" }).teams.isEnabled).toBe(false);
    const report = startupReport(loadConfig({ TEAMS_ENABLED: "true" }), { url: "u", database: "d", migrationsApplied: 0 }).join("\n");
    expect(report).toMatch(/Teams: WARNING — running WITHOUT AUTHENTICATION/);
  });

  it("gives the mail gateway its defaults (the mailbox: IMAP_URL's path, else INBOX), also for empty variables, and refuses bad sizes and intervals", () => {
    const empty = { SMTP_LISTEN_HOST: "", MAIL_MAX_BYTES: "", IMAP_MAILBOX: "", IMAP_POLL_SECONDS: "" };
    for (const env of [{}, empty]) {
      expect(loadConfig(env).mail).toMatchObject({ smtpListenHost: "0.0.0.0", maxBytes: 26_214_400, imapMailbox: undefined, imapPollSeconds: 60 });
    }
    const set = loadConfig({ SMTP_LISTEN_PORT: "2525", SMTP_LISTEN_HOST: "127.0.0.1", MAIL_MAX_BYTES: "204800", IMAP_MAILBOX: "Support", IMAP_POLL_SECONDS: "30" });
    expect(set.mail).toMatchObject({ smtpListenPort: 2525, smtpListenHost: "127.0.0.1", maxBytes: 204_800, imapMailbox: "Support", imapPollSeconds: 30 });
    expect(problemsOf({ MAIL_MAX_BYTES: "25MB", IMAP_POLL_SECONDS: "1", SMTP_LISTEN_PORT: "70000" }).map((p) => p.split(":")[0]).sort()).toEqual([
      "IMAP_POLL_SECONDS",
      "MAIL_MAX_BYTES",
      "SMTP_LISTEN_PORT",
    ]);
  });

  it("parses allowed email domains into a lower-case list", () => {
    expect(loadConfig({ ALLOWED_EMAIL_DOMAINS: " Example.com, acme.io ,," }).allowedEmailDomains).toEqual(["example.com", "acme.io"]);
  });
});

describe("start-up report", () => {
  it("says where it listens, what is configured and which variables enable the rest", () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1", PUBLIC_URL: "https://crm.example.com" });
    const text = startupReport(config, { url: "http://localhost:3000", database: "embedded PostgreSQL (PGlite) in /data", migrationsApplied: 2 }).join("\n");
    expect(text).toContain("listening on http://localhost:3000");
    expect(text).toContain("2 migration(s) applied");
    expect(text).toContain("Slack: single-workspace, requests at https://crm.example.com/slack/events");
    expect(text).toMatch(/Teams: not configured\. Set MICROSOFT_APP_ID/);
    expect(text).toMatch(/Outbound mail: not configured\. Set SMTP_URL/);
    expect(text).toMatch(/Inbound mail: not configured\. Set IMAP_URL .* or SMTP_LISTEN_PORT/);
  });

  it("never prints a secret", () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: "sekrit-signing", SLACK_BOT_TOKEN: "xoxb-sekrit", SMTP_URL: "smtp://u:pa55@mail:587" });
    const text = startupReport(config, { url: "u", database: "d", migrationsApplied: 0 }).join("\n");
    expect(text).not.toMatch(/sekrit|pa55/);
  });
});
