import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { defineJob } from "../../src/jobs/define-job.js";
import { prismaExecutor, startJobRunner, type JobRunner } from "../../src/jobs/job-runner.js";
import { silentLogger } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { waitFor } from "../support/wait-for.js";

const runs: { key: string; at: number; retryCount: number }[] = [];
const failOnce = new Set<string>();

const recordJob = defineJob({
  name: "test-record",
  schema: z.object({ key: z.string() }),
  queue: { retryLimit: 2, retryDelay: 1 },
  pollingIntervalSeconds: 0.5,
  async handler({ key }, ctx) {
    if (failOnce.delete(key)) throw new Error(`first attempt of ${key} fails`);
    runs.push({ key, at: Date.now(), retryCount: ctx.retryCount });
  },
});

describe("the job runner", () => {
  let database: TestDatabase;
  let jobs: JobRunner;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url);
    jobs = await startJobRunner({ url: database.url, logger: silentLogger, jobs: [recordJob] });
  });
  afterAll(async () => {
    await jobs?.stop(2000);
    await db?.$disconnect();
    await database?.close();
  });

  it("runs a delayed job once, not before its time", async () => {
    const sentAt = Date.now();
    await jobs.send(recordJob, { key: "delayed" }, { startAfter: new Date(sentAt + 2000) });
    await waitFor(() => runs.some((r) => r.key === "delayed"), 10_000);
    const run = runs.find((r) => r.key === "delayed")!;
    expect(run.at - sentAt).toBeGreaterThanOrEqual(1900);
    await new Promise((r) => setTimeout(r, 2000)); // two more polling rounds: nothing runs again
    expect(runs.filter((r) => r.key === "delayed")).toHaveLength(1);
  });

  it("validates the payload when a job is sent", async () => {
    await expect(jobs.send(recordJob, { key: 42 } as unknown as { key: string })).rejects.toThrowError();
  });

  it("retries a failed job and then runs it once", async () => {
    failOnce.add("flaky");
    await jobs.send(recordJob, { key: "flaky" });
    await waitFor(() => runs.some((r) => r.key === "flaky"), 15_000);
    expect(runs.filter((r) => r.key === "flaky")).toEqual([expect.objectContaining({ retryCount: 1 })]);
  });

  it("enqueues inside a Prisma transaction without a second connection, and not at all when it rolls back", async () => {
    await db.$transaction(async (tx) => {
      await tx.team.create({ data: { name: "Support", kind: "support" } });
      await jobs.send(recordJob, { key: "committed" }, { db: prismaExecutor(tx) });
    });
    await expect(
      db.$transaction(async (tx) => {
        await tx.team.create({ data: { name: "Sales", kind: "sales" } });
        await jobs.send(recordJob, { key: "rolled-back" }, { db: prismaExecutor(tx) });
        throw new Error("something later in the transaction fails");
      }),
    ).rejects.toThrowError(/later in the transaction/);
    await waitFor(() => runs.some((r) => r.key === "committed"), 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(runs.some((r) => r.key === "rolled-back")).toBe(false);
    expect(await db.team.count({ where: { name: "Sales" } })).toBe(0);
  });
});
