// What every handler receives: the database, the clock, a logger, the settings it needs, and jobs.
import type { Db } from "../db/client.js";
import type { JobRunner } from "../jobs/job-runner.js";
import type { Logger } from "../log.js";

export interface Deps {
  db: Db;
  now(): Date;
  logger: Logger;
  settings: { allowedEmailDomains: string[]; publicUrl: string };
  jobs: Pick<JobRunner, "send">;
}
