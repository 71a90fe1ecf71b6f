// The job that reminds a person of a rule's to-do at its due time (src/handlers/automation/follow-ups.ts).
import { z } from "zod";
import type { JobSpec } from "./define-job.js";

export interface TodoDuePayload {
  /** The record's stored model (lead for an opportunity) and id: reloaded at delivery. */
  model: string;
  recordId: string;
  /** The responsible person when the rule fired: told only if they may still open the record. */
  userId: string;
  title: string;
  dueAt: string;
  /** "RULE-0007 “Name”", for the message's context line. */
  ruleLabel: string;
  /** The firing's action key: the DM's dedupe key derives from it, so a retried job sends once. */
  key: string;
}

export const todoDueJob: JobSpec<TodoDuePayload> = {
  name: "automation-todo",
  schema: z.object({
    model: z.string().max(30),
    recordId: z.string().uuid(),
    userId: z.string().uuid(),
    title: z.string().max(500),
    dueAt: z.string().datetime(),
    ruleLabel: z.string().max(300),
    key: z.string().max(200),
  }),
};
