// Structured logging with pino: readable in a terminal, JSON otherwise; secrets redacted.
import { pino, type Logger } from "pino";
import { createRequire } from "node:module";

export type { Logger };

/** Field paths that may carry secrets or message bodies; never written at any level. */
const REDACT = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-slack-signature']",
  "connectionString",
  "*.connectionString",
];

export function createLogger(opts: { level: string; format: "auto" | "pretty" | "json" }, destination?: NodeJS.WritableStream): Logger {
  const isPretty = opts.format === "pretty" || (opts.format === "auto" && process.stdout.isTTY === true);
  const options = { level: opts.level, redact: { paths: REDACT, censor: "[redacted]" }, base: { pid: process.pid } };
  if (!isPretty) return destination ? pino(options, destination) : pino(options);
  // Loaded only for terminals: it costs memory a JSON-logging server does not need.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  return pino(options, pretty({ colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname", sync: true }));
}

/** Hides the password of a database URL so it can be shown to a person. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "[unparseable url]";
  }
}
