// The automation jobs: a time rule's moment for one record, and scheduling a rule's moments for every record.
import { z } from "zod";
import type { JobSpec } from "./define-job.js";

export interface RuleMomentPayload {
  ruleId: string;
  model: string;
  recordId: string;
  /** The moment this job was planned for: the worker recomputes it and does nothing when it moved. */
  moment: string;
}

export const ruleMomentJob: JobSpec<RuleMomentPayload> = {
  name: "automation-moment",
  schema: z.object({ ruleId: z.string().uuid(), model: z.string().max(30), recordId: z.string().max(60), moment: z.string().datetime() }),
};

export interface RuleSchedulePayload {
  ruleId: string;
  /** The rule's version this pass schedules; a newer edit sends its own pass. */
  version: number;
}

export const ruleScheduleJob: JobSpec<RuleSchedulePayload> = {
  name: "automation-schedule",
  schema: z.object({ ruleId: z.string().uuid(), version: z.number().int().nonnegative() }),
};

/** The catch-up clock: one job per slot, deduplicated across replicas by its id (as the outbox tick). */
export const ruleCatchUpJob: JobSpec<{ slot: number }> = {
  name: "automation-catch-up",
  schema: z.object({ slot: z.number().int().nonnegative() }),
};

/** A poll a second keeps moments under 2 s late (measured) at half the polling of 0.5 s, which idle memory and chat acks pay for. */
export const MOMENT_POLLING_SECONDS = 1;
export const MOMENT_BATCH_SIZE = 50;
/** How often rules changed outside a running app (the command line) are caught up. */
export const CATCH_UP_SECONDS = 30;

/** The catch-up slot a moment belongs to, and the job id every replica uses for it. */
export const catchUpSlotAt = (epochMs: number): number => Math.floor(epochMs / (CATCH_UP_SECONDS * 1000));
