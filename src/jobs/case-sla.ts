// The job that checks a case's SLA deadline at its exact due time (and escalates a breach once).
import { z } from "zod";
import type { JobSpec } from "./define-job.js";

export interface CaseSlaPayload {
  caseId: string;
  kind: "first-response" | "resolution";
  /** The due time this job was scheduled for: a job whose case has another due time now is stale. */
  dueAt: string;
}

export const caseSlaJob: JobSpec<CaseSlaPayload> = {
  name: "case-sla",
  schema: z.object({ caseId: z.string().uuid(), kind: z.enum(["first-response", "resolution"]), dueAt: z.string() }),
};
