// Outbox delivery worker. (Being written: see the outbox delivery brief; this placeholder registers no jobs.)
import type { Deps } from "../handlers/deps.js";
import type { JobDefinition } from "./define-job.js";
import type { Transports } from "./transport.js";

export function outboxJobs(_deps: Deps, _transports: Transports): JobDefinition<any>[] {
  return [];
}
