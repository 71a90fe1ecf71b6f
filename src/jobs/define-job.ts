// A job is a name, a zod schema for its payload, queue options and a handler (validated on send and on run).
import type { z } from "zod";
import type { Logger } from "../log.js";

export interface JobContext {
  jobId: string;
  /** 0 on the first run, then 1, 2… on retries. */
  retryCount: number;
  logger: Logger;
}

/** What sending a job needs: its queue name and payload schema. */
export interface JobSpec<T = unknown> {
  name: string;
  schema: z.ZodType<T>;
}

export interface JobDefinition<T = unknown> extends JobSpec<T> {
  /** Queue defaults; a job that can run again after a crash must be idempotent (reload, re-check, act). */
  queue?: { retryLimit?: number; retryDelay?: number; retryBackoff?: boolean; expireInSeconds?: number; deadLetter?: string };
  /** Jobs fetched per poll: a worker fetches one batch per polling interval (DESIGN.md, measured). */
  batchSize?: number;
  pollingIntervalSeconds?: number;
  handler(payload: T, ctx: JobContext): Promise<void>;
}

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}
