// What a chat platform adapter gives the app when it is mounted: routes are on the Express app already.
import type { Express } from "express";
import type { Config } from "../config.js";
import type { Deps } from "../handlers/deps.js";
import type { Transport } from "../jobs/transport.js";
import type { Logger } from "../log.js";

export interface MountedSurface {
  /** Delivers outbox rows of this platform. */
  transport: Transport;
  /** Lines for the start-up report (e.g. the loud "Teams auth is disabled" warning). */
  report: string[];
  stop(): Promise<void>;
}

export interface MountOptions {
  app: Express;
  deps: Deps;
  config: Config;
  logger: Logger;
}
