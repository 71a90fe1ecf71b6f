// Handler dependencies on an isolated test database, with the app's jobs running (for handler integration tests).
import { createPrismaClient, type Db } from "../../src/db/client.js";
import type { Who } from "../../src/bot/dispatch.js";
import type { Deps } from "../../src/handlers/deps.js";
import { appJobs } from "../../src/jobs/app-jobs.js";
import { startJobRunner, type JobRunner } from "../../src/jobs/job-runner.js";
import type { Transports } from "../../src/jobs/transport.js";
import { silentLogger } from "./test-config.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export interface HandlerHarness {
  deps: Deps;
  db: Db;
  close(): Promise<void>;
}

export async function handlerHarness(opts: { transports?: Transports; allowedEmailDomains?: string[]; now?: () => Date } = {}): Promise<HandlerHarness> {
  const database: TestDatabase = await createTestDatabase();
  const db = createPrismaClient(database.url);
  let runner: JobRunner | undefined;
  const deps: Deps = {
    db,
    now: opts.now ?? (() => new Date()),
    logger: silentLogger,
    settings: { allowedEmailDomains: opts.allowedEmailDomains ?? ["example.com"], publicUrl: "http://localhost" },
    jobs: { send: (job, payload, options) => runner!.send(job, payload, options) },
  };
  runner = await startJobRunner({ url: database.url, logger: silentLogger, jobs: appJobs(deps, opts.transports ?? {}) });
  return {
    deps,
    db,
    async close() {
      await runner?.stop(2000);
      await db.$disconnect();
      await database.close();
    },
  };
}

let counter = 0;

/** A user with a Slack identity, as resolveActor would produce, ready to pass to dispatch functions. */
export async function aPerson(db: Db, over: { role?: "admin" | "manager" | "agent"; timeZone?: string; teamIds?: string[]; managedTeamIds?: string[] } = {}): Promise<Who> {
  counter += 1;
  const user = await db.user.create({
    data: { email: `person${counter}-${Date.now()}@example.com`, name: `Person ${counter}`, role: over.role ?? "agent", timeZone: over.timeZone ?? "Europe/Berlin", slackTeamId: "T1", slackUserId: `U${counter}${Date.now()}` },
  });
  for (const teamId of over.teamIds ?? []) await db.teamMember.create({ data: { teamId, userId: user.id } });
  return {
    user: { ...user },
    actor: { id: user.id, role: user.role, teamIds: over.teamIds ?? [], managedTeamIds: over.managedTeamIds ?? [] },
  };
}
