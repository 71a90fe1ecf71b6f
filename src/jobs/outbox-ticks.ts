// The outbox worker's clock: one pg-boss job per second ("tick"), deduplicated across replicas by its id.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Logger } from "../log.js";
import type { JobSpec } from "./define-job.js";
import type { JobRunner, SendOptions } from "./job-runner.js";
import { seedChain } from "./seed-chain.js";

export const TICK_MS = 1000;

export const outboxTickJob: JobSpec<{ slot: number }> = {
  name: "outbox-deliver",
  schema: z.object({ slot: z.number().int().nonnegative() }),
};

/** The second a tick stands for. */
export const slotAt = (epochMs: number): number => Math.floor(epochMs / TICK_MS);

/** The tick after `slot`; never one in the past, so a chain that fell behind catches up at once. */
export const nextSlot = (slot: number, epochMs: number): number => Math.max(slot, slotAt(epochMs)) + 1;

/**
 * Every replica sending the tick for one second sends the same job id, and pg-boss inserts a job
 * id only once (ON CONFLICT DO NOTHING): however many replicas start or run ticks, one tick exists
 * per second, so the chain never multiplies.
 */
export function tickId(slot: number): string {
  const hex = createHash("sha1").update(`switchboard:outbox-deliver:${slot}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type TickSender = Pick<JobRunner, "send">;

/** Sends the tick for `slot`, due at the start of that second. Null when it already exists. */
export async function sendTick(jobs: TickSender, slot: number): Promise<string | null> {
  // `id` is passed through to pg-boss send (job-runner spreads the options); SendOptions does not list it yet.
  const options: SendOptions & { id: string } = { id: tickId(slot), startAfter: new Date(slot * TICK_MS) };
  return jobs.send(outboxTickJob, { slot }, options);
}

/** Starts the chain once the job runner is up (see seed-chain.ts). */
export function seedTicks(jobs: TickSender, logger: Logger, giveUpAfterMs = 120_000): void {
  seedChain(() => sendTick(jobs, nextSlot(0, Date.now())), logger, "outbox delivery", giveUpAfterMs);
}
