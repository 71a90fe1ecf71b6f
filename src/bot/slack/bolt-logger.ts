// Bolt and the Slack Web API client log through our pino logger (levels mapped; bodies only at debug).
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../log.js";

export function boltLogger(logger: Logger): BoltLogger {
  const write = (level: "debug" | "info" | "warn" | "error") => (...msg: unknown[]) => {
    // Bolt and the Web API client log several debug lines per request: skip the formatting when they are dropped.
    if (!logger.isLevelEnabled(level)) return;
    const err = msg.find((m) => m instanceof Error);
    const text = msg
      .filter((m) => !(m instanceof Error))
      .map((m) => (typeof m === "string" ? m : safeJson(m)))
      .join(" ");
    if (err) logger[level]({ err }, text || (err as Error).message);
    else logger[level](text);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    // Our level comes from LOG_LEVEL; Bolt's own setting is ignored.
    setLevel: () => undefined,
    getLevel: () => toBoltLevel(logger.level),
    setName: () => undefined,
  };
}

function toBoltLevel(level: string): LogLevel {
  if (level === "debug" || level === "trace") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
