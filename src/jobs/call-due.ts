// The job that tells a call's owner a planned call is due, at the call's time.
import { z } from "zod";
import type { JobSpec } from "./define-job.js";

export const callDueJob: JobSpec<{ callId: string; callAt: string }> = {
  name: "call-due",
  schema: z.object({ callId: z.string().uuid(), callAt: z.string() }),
};
