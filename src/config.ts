// The only place that reads the environment: every setting, validated at once with zod.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const optionalUrl = (protocols: string[]) =>
  optionalText.pipe(
    z
      .string()
      .url()
      .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), `must start with ${protocols.map((p) => `${p}://`).join(" or ")}`)
      .optional(),
  );

/** A whole number in [min, max]; empty or absent is undefined (the caller's default). */
const optionalInteger = (min: number, max: number) =>
  optionalText.pipe(z.string().regex(/^\d+$/, "must be a whole number").transform(Number).pipe(z.number().min(min).max(max)).optional());

const domainList = optionalText.transform((v) =>
  (v ?? "")
    .split(",")
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    PUBLIC_URL: optionalUrl(["http", "https"]),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
    PGLITE_SHARED_BUFFERS: z.string().regex(/^\d+(kB|MB|GB)$/, "must look like 16MB").default("16MB"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
    SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(20),
    ALLOWED_EMAIL_DOMAINS: domainList,

    SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional()),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional()),
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: optionalText,
    SLACK_API_URL: optionalUrl(["http", "https"]),

    TEAMS_ENABLED: z.enum(["auto", "true", "false"]).default("auto"),
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
    MICROSOFT_APP_TENANT_ID: optionalText,

    SMTP_URL: optionalUrl(["smtp", "smtps"]),
    MAIL_FROM: optionalText,
    IMAP_URL: optionalUrl(["imap", "imaps"]),
    SMTP_LISTEN_PORT: optionalText.pipe(z.string().regex(/^\d+$/, "must be a port number").transform(Number).pipe(z.number().int().min(1).max(65535)).optional()),
    SMTP_LISTEN_HOST: optionalText.transform((v) => v ?? "0.0.0.0"),
    MAIL_MAX_BYTES: optionalInteger(1024, 1024 ** 3).transform((v) => v ?? 26_214_400),
    IMAP_MAILBOX: optionalText,
    IMAP_POLL_SECONDS: optionalInteger(5, 3600).transform((v) => v ?? 60),
  });

/** Rules across variables, checked on the raw environment so they are reported with the field errors. */
function crossVariableProblems(raw: NodeJS.ProcessEnv): string[] {
  const has = (key: string) => Boolean(raw[key]?.trim());
  const problems: string[] = [];
  const need = (when: boolean, key: string, why: string) => {
    if (when && !has(key)) problems.push(`${key}: is required ${why}`);
  };
  const slackOAuth = has("SLACK_CLIENT_ID") || has("SLACK_CLIENT_SECRET") || has("SLACK_STATE_SECRET");
  need(has("SLACK_BOT_TOKEN") || slackOAuth, "SLACK_SIGNING_SECRET", "to verify Slack requests");
  for (const key of ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"]) need(slackOAuth, key, "for Slack OAuth (multi-workspace)");
  need(has("SLACK_APP_TOKEN"), "SLACK_BOT_TOKEN", "for Socket Mode (with SLACK_APP_TOKEN)");
  const appType = raw.MICROSOFT_APP_TYPE?.trim() || "MultiTenant";
  need(has("MICROSOFT_APP_ID") && appType !== "UserAssignedMSI", "MICROSOFT_APP_PASSWORD", "with MICROSOFT_APP_ID (unless MICROSOFT_APP_TYPE=UserAssignedMSI)");
  need(appType === "SingleTenant", "MICROSOFT_APP_TENANT_ID", "when MICROSOFT_APP_TYPE=SingleTenant");
  need(appType !== "MultiTenant", "MICROSOFT_APP_ID", `when MICROSOFT_APP_TYPE=${appType}`);
  return problems;
}

export type Config = ReturnType<typeof toConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Switchboard cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment into a typed configuration; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const result = schema.safeParse(env);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`)),
    ...crossVariableProblems(env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(result.data, cwd);
}

/** Loads `.env` from the working directory into process.env (existing variables win). */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

function toConfig(env: z.infer<typeof schema>, cwd: string) {
  const slackMode = env.SLACK_APP_TOKEN
    ? "socket"
    : env.SLACK_CLIENT_ID
      ? "oauth"
      : env.SLACK_BOT_TOKEN
        ? "single-workspace"
        : "off";
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    dataDir: path.resolve(cwd, env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    pgliteSharedBuffers: env.PGLITE_SHARED_BUFFERS,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    allowedEmailDomains: env.ALLOWED_EMAIL_DOMAINS,
    slack: {
      mode: slackMode as "off" | "single-workspace" | "oauth" | "socket",
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
      apiUrl: env.SLACK_API_URL,
    },
    teams: {
      // "auto": on when MICROSOFT_APP_ID is set. "true" without an app id: local use, no auth (loud warning).
      isEnabled: env.TEAMS_ENABLED === "true" || (env.TEAMS_ENABLED === "auto" && Boolean(env.MICROSOFT_APP_ID)),
      isAuthDisabled: !env.MICROSOFT_APP_ID,
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD,
      appType: env.MICROSOFT_APP_TYPE,
      tenantId: env.MICROSOFT_APP_TENANT_ID,
    },
    mail: {
      smtpUrl: env.SMTP_URL,
      // The From of outgoing email (docs/email-outgoing.md); most SMTP relays insist on an address of their domain.
      from: env.MAIL_FROM ?? "Switchboard <switchboard@localhost>",
      imapUrl: env.IMAP_URL,
      smtpListenPort: env.SMTP_LISTEN_PORT,
      smtpListenHost: env.SMTP_LISTEN_HOST,
      /** Largest inbound message (SMTP listener and IMAP fetcher), in bytes. */
      maxBytes: env.MAIL_MAX_BYTES,
      /** The folder to read; unset: the IMAP_URL's path, else INBOX. */
      imapMailbox: env.IMAP_MAILBOX,
      /** Polling interval when the IMAP server has no IDLE. */
      imapPollSeconds: env.IMAP_POLL_SECONDS,
    },
  };
}
