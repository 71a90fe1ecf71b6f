import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notice } from "../../src/bot/views/view.js";
import { createPrismaClient, type Db } from "../../src/db/client.js";
import { enqueueNotification } from "../../src/db/outbox.js";
import { MAX_ATTEMPTS } from "../../src/domain/outbox-rules.js";
import type { Actor } from "../../src/domain/policy.js";
import type { Deps } from "../../src/handlers/deps.js";
import { listUndelivered, retryUndelivered } from "../../src/handlers/outbox-admin.js";
import { startJobRunner, type JobRunner } from "../../src/jobs/job-runner.js";
import { deliverDue, outboxJobs, type OutboxOptions } from "../../src/jobs/outbox-delivery.js";
import { claimDue, markSent, noteMissingTransports } from "../../src/db/outbox-store.js";
import type { Transports } from "../../src/jobs/transport.js";
import { FakeTransport, permanentError, rateLimited, serverError } from "../fakes/fake-transport.js";
import { silentLogger } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { waitFor } from "../support/wait-for.js";

let database: TestDatabase;
let db: Db;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient(database.url);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.close();
});

const admin: Actor = { id: randomUUID(), role: "admin", teamIds: [], managedTeamIds: [] };
const agent: Actor = { id: randomUUID(), role: "agent", teamIds: [], managedTeamIds: [] };
const target = (name: string) => `C-${name}-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function depsFor(client: Db, now: () => Date = () => new Date()): Deps & { bind(runner: JobRunner): void } {
  let runner: JobRunner | undefined;
  return {
    db: client,
    now,
    logger: silentLogger,
    settings: { allowedEmailDomains: [], publicUrl: "http://localhost" },
    jobs: { send: (job, payload, options) => (runner ? runner.send(job, payload, options) : Promise.reject(new Error("job runner not started"))) },
    bind: (r) => void (runner = r),
  };
}

/** A replica: its own Prisma client and job runner working the outbox, as a server process would. */
async function startReplica(transports: Transports, options: Partial<OutboxOptions> = {}): Promise<Deps> {
  const client = createPrismaClient(database.url);
  const deps = depsFor(client);
  const runner = await startJobRunner({ url: database.url, logger: silentLogger, jobs: outboxJobs(deps, transports, options) });
  deps.bind(runner);
  cleanups.push(async () => {
    await runner.stop(3000);
    await client.$disconnect();
  });
  return deps;
}

/** A notification row as a handler writes it; `createdAt` spaced out explicitly where order matters. */
async function aNotification(to: string, opts: { text?: string; createdAt?: Date; subjectKey?: string; channel?: "slack" | "teams" } = {}): Promise<string> {
  const row = await db.outbox.create({
    data: {
      channel: opts.channel ?? "slack",
      target: to,
      scope: "T1",
      payload: notice(opts.text ?? "hello") as object,
      subjectKey: opts.subjectKey ?? null,
      ...(opts.createdAt ? { createdAt: opts.createdAt } : {}),
    },
  });
  return row.id;
}

async function inOrder(to: string, count: number): Promise<string[]> {
  const base = Date.now() - 1000;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await aNotification(to, { text: `${to} #${i}`, createdAt: new Date(base + i) }));
  return ids;
}

const stateOf = async (id: string) => db.outbox.findUniqueOrThrow({ where: { id } });
/** The fake records a message before the worker marks its row sent: wait for the row itself. */
const allSent = (ids: string[], timeoutMs = 10_000) =>
  waitFor(async () => (await db.outbox.count({ where: { id: { in: ids }, state: "sent" } })) === ids.length, timeoutMs);

describe("outbox delivery by the job runner", () => {
  it("delivers a notification a handler wrote, once, within about two seconds", async () => {
    const slack = new FakeTransport();
    await startReplica({ slack });
    const to = target("once");
    const writtenAt = Date.now();
    await db.$transaction(async (tx) => enqueueNotification(tx, { channel: "slack", target: to, scope: "T1", view: notice("Case 42 is yours") }));
    await waitFor(() => slack.deliveredIds(to).length === 1, 10_000, 20);
    // Measured about 0.5 s (1 s at most) on an idle machine; the bound leaves room for a loaded CI runner.
    const latency = slack.deliveries[0]!.at - writtenAt;
    expect(latency).toBeLessThan(5000);
    await sleep(2000); // two more ticks: nothing is sent again
    expect(slack.deliveredIds(to)).toHaveLength(1);
    await allSent(slack.deliveredIds(to));
    const row = await stateOf(slack.deliveries[0]!.id);
    expect(row).toMatchObject({ state: "sent", attempts: 1, messageRef: slack.deliveries[0]!.messageRef, lastError: null });
    expect(slack.deliveries[0]!.view.text).toBe("Case 42 is yours");
  });

  it("delivers notifications written in the same millisecond to one target in the order they were written", async () => {
    // A handler queues several (a card, then a celebration) within a millisecond; the seq column keeps their order.
    const slack = new FakeTransport();
    const to = target("same-ms");
    const texts = ["card", "celebration", "third", "fourth", "fifth", "sixth"];
    const at = new Date(Date.now() - 1000);
    for (const text of texts) await aNotification(to, { text, createdAt: at });
    await startReplica({ slack });
    await waitFor(() => slack.deliveredIds(to).length === texts.length, 15_000);
    expect(slack.deliveries.filter((d) => d.target === to).map((d) => d.view.text)).toEqual(texts);
  }, 20_000);

  it("never delivers a notification whose transaction rolled back", async () => {
    const slack = new FakeTransport();
    await startReplica({ slack });
    const committed = target("committed");
    const rolledBack = target("rolled-back");
    await db.$transaction((tx) => enqueueNotification(tx, { channel: "slack", target: committed, view: notice("kept") }));
    await expect(
      db.$transaction(async (tx) => {
        await enqueueNotification(tx, { channel: "slack", target: rolledBack, view: notice("gone") });
        throw new Error("a later step of the handler fails");
      }),
    ).rejects.toThrowError(/later step/);
    await waitFor(() => slack.deliveredIds(committed).length === 1, 10_000);
    await sleep(1500);
    expect(slack.deliveredIds(rolledBack)).toEqual([]);
    expect(await db.outbox.count({ where: { target: rolledBack } })).toBe(0);
  });

  it("loses nothing in a Slack outage (500s, then 429s with Retry-After) and delivers in order per target once it recovers", async () => {
    // Every call answers 500 for 3.5 s, then the next two calls answer 429 with Retry-After: 1.5 s.
    const slack = new FakeTransport().failFor(3500, serverError).failNext(2, () => rateLimited(1500));
    const a = target("outage-a");
    const b = target("outage-b");
    const idsA = await inOrder(a, 3);
    const idsB = await inOrder(b, 2);
    await startReplica({ slack });
    await waitFor(() => slack.deliveredIds(a).length === 3 && slack.deliveredIds(b).length === 2, 28_000);

    expect(slack.deliveredIds(a)).toEqual(idsA);
    expect(slack.deliveredIds(b)).toEqual(idsB);
    const statuses = slack.rejections.map((r) => r.error.match(/HTTP (\d+)/)![1]).join(" ");
    expect(statuses).toMatch(/^(500 ){2,}429 429$/);
    // Head-of-line: no later notification of a target was even tried before the earlier one went out.
    for (const [to, ids] of [[a, idsA], [b, idsB]] as const) {
      const firstDelivered = slack.deliveries.find((d) => d.target === to)!;
      expect(slack.calls.filter((c) => c.at < firstDelivered.at).every((c) => !ids.slice(1).includes(c.id))).toBe(true);
    }
    // Retry-After honoured: a row refused with 429 was not tried again before the time it was given.
    for (const r of slack.rejections.filter((x) => x.error.includes("429"))) {
      const retry = slack.calls.find((c) => c.id === r.id && c.at > r.at);
      // Every row is sent in the end (checked below), so each refused row was tried again.
      expect(retry, `row ${r.id} refused with 429 was never tried again`).toBeDefined();
      expect(retry!.at - r.at).toBeGreaterThanOrEqual(1400);
    }
    await allSent([...idsA, ...idsB]);
    const rows = await db.outbox.findMany({ where: { id: { in: [...idsA, ...idsB] } } });
    expect(rows.every((r) => r.lastError === null)).toBe(true);
  }, 35_000);

  it("paces one target to about a message a second while different targets go out together", async () => {
    const slack = new FakeTransport();
    const paced = target("paced");
    const others = [target("p1"), target("p2"), target("p3")];
    await inOrder(paced, 3);
    for (const to of others) await aNotification(to);
    await startReplica({ slack });
    await waitFor(() => slack.deliveredIds(paced).length === 3 && others.every((to) => slack.deliveredIds(to).length === 1), 15_000);

    const times = slack.deliveries.filter((d) => d.target === paced).map((d) => d.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000);
    const spread = others.map((to) => slack.deliveries.find((d) => d.target === to)!.at);
    expect(Math.max(...spread) - Math.min(...spread)).toBeLessThan(1000); // one pass, not paced one after another
  }, 20_000);

  it("dead-letters at once on a permanent error, and the next notification of that target still goes out", async () => {
    const slack = new FakeTransport().failNext(1, permanentError);
    const to = target("permanent");
    const [first, second] = await inOrder(to, 2);
    await startReplica({ slack });
    await waitFor(() => slack.deliveredIds(to).length === 1, 10_000);
    expect(slack.deliveredIds(to)).toEqual([second]);
    expect(await stateOf(first!)).toMatchObject({ state: "dead", attempts: 1, lastError: expect.stringContaining("channel_not_found") });
  });

  it("updates the card in place: a later message of the same subject carries the first message's reference", async () => {
    const slack = new FakeTransport();
    const to = target("subject");
    const elsewhere = target("subject-elsewhere");
    await startReplica({ slack });
    await db.$transaction((tx) => enqueueNotification(tx, { channel: "slack", target: to, view: notice("Merge requested"), subjectKey: "merge:1" }));
    await waitFor(() => slack.deliveredIds(to).length === 1, 10_000);
    await db.$transaction(async (tx) => {
      await enqueueNotification(tx, { channel: "slack", target: to, view: notice("Merge approved"), subjectKey: "merge:1" });
      await enqueueNotification(tx, { channel: "slack", target: elsewhere, view: notice("Merge approved"), subjectKey: "merge:1" });
    });
    await waitFor(() => slack.deliveredIds(to).length === 2 && slack.deliveredIds(elsewhere).length === 1, 10_000);

    const [posted, updated] = slack.deliveries.filter((d) => d.target === to);
    expect(posted!.updateRef).toBeUndefined();
    expect(updated!.updateRef).toBe(posted!.messageRef);
    await allSent([updated!.id]);
    expect((await stateOf(updated!.id)).messageRef).toBe(posted!.messageRef);
    expect(slack.deliveries.find((d) => d.target === elsewhere)!.updateRef).toBeUndefined();
  });

  it("posts a view with threadOf under the message that showed that subject in the same place, else top-level", async () => {
    const slack = new FakeTransport();
    const to = target("thread");
    const noRoot = target("thread-no-root");
    await startReplica({ slack });
    await db.$transaction(async (tx) => {
      await enqueueNotification(tx, { channel: "slack", target: to, view: notice("CASE-0001 card"), subjectKey: "case:1" });
      await enqueueNotification(tx, { channel: "slack", target: to, view: { ...notice("Email from jane"), threadOf: "case:1" } });
      await enqueueNotification(tx, { channel: "slack", target: noRoot, view: { ...notice("Email from bob"), threadOf: "case:1" } });
    });
    await waitFor(() => slack.deliveredIds(to).length === 2 && slack.deliveredIds(noRoot).length === 1, 10_000);

    const [card, reply] = slack.deliveries.filter((d) => d.target === to);
    expect(card!.view.text).toBe("CASE-0001 card");
    expect(card!.threadRef).toBeUndefined();
    expect(reply!.view.text).toBe("Email from jane");
    expect(reply!.threadRef).toBe(card!.messageRef);
    expect(reply!.updateRef).toBeUndefined();
    expect(slack.deliveries.find((d) => d.target === noRoot)!.threadRef).toBeUndefined();
  });

  it("with two replicas on one database, delivers every notification exactly once and in order", async () => {
    const slack = new FakeTransport({ latencyMs: 30 });
    const targets = Array.from({ length: 8 }, (_, i) => target(`replicas-${i}`));
    const expected = new Map<string, string[]>();
    for (const to of targets) expected.set(to, await inOrder(to, 3));
    await Promise.all([startReplica({ slack }), startReplica({ slack })]);
    await waitFor(() => slack.deliveries.filter((d) => expected.has(d.target)).length >= 24, 20_000);
    await sleep(1500);

    const ids = slack.deliveries.filter((d) => expected.has(d.target)).map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(24);
    for (const [to, inCreatedOrder] of expected) expect(slack.deliveredIds(to)).toEqual(inCreatedOrder);
    // One clock for both: about one tick per second, not one per replica.
    const ticks = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'outbox-deliver' AND created_on > now() - interval '5 seconds'`,
    );
    expect(ticks[0]!.n).toBeLessThanOrEqual(7);
  }, 30_000);

  it("lets an admin list the dead notification and retry it, which delivers it", async () => {
    const slack = new FakeTransport().failNext(1, permanentError);
    const to = target("admin-retry");
    const deps = await startReplica({ slack });
    const id = await aNotification(to, { text: "Escalation: case 7" });
    await waitFor(async () => (await stateOf(id)).state === "dead", 10_000);

    const list = await listUndelivered(deps, admin);
    expect(list.kind).toBe("message");
    const blocks = list.kind === "message" ? list.view.blocks : [];
    const retryButton = blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((a) => a.value === id);
    expect(retryButton).toMatchObject({ id: "outbox.retry", label: "Retry" });
    expect(JSON.stringify(blocks)).toContain(to);
    expect(JSON.stringify(blocks)).toContain("channel_not_found");

    const retried = await retryUndelivered(deps, admin, id);
    expect(retried.kind === "message" && retried.view.text).toContain("Retrying");
    await allSent([id]);
    expect(await stateOf(id)).toMatchObject({ state: "sent", attempts: 1 });
    expect(slack.deliveredIds(to)).toEqual([id]);
    const again = await listUndelivered(deps, admin);
    expect(JSON.stringify(again)).not.toContain(id);
  });
});

describe("outbox delivery rules against the database (driven by a clock)", () => {
  // Never behind the database's clock, which stamps new rows: real time plus what the test skipped.
  let skipped = 1000;
  const clock = () => new Date(Date.now() + skipped);
  const advance = (ms: number) => void (skipped += ms);

  it("dead-letters a notification after eight failed attempts, keeping the last error", async () => {
    const slack = new FakeTransport();
    const deps = depsFor(db, clock);
    const to = target("eight");
    const id = await aNotification(to);
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      slack.failNext(1, () => (i === MAX_ATTEMPTS ? lastTransientError() : serverError()));
      await deliverDue(deps, { slack });
      const row = await stateOf(id);
      expect(row.attempts).toBe(i);
      expect(row.state).toBe(i < MAX_ATTEMPTS ? "pending" : "dead");
      advance(10 * 60_000);
    }
    expect(await stateOf(id)).toMatchObject({ state: "dead", lastError: "An API error occurred: fatal_error (HTTP 503)" });
    expect(slack.calls.filter((c) => c.id === id)).toHaveLength(MAX_ATTEMPTS);
  });

  it("waits out the backoff: a failed notification is not tried again before its time", async () => {
    const slack = new FakeTransport().failNext(1);
    const deps = depsFor(db, clock);
    const to = target("backoff");
    const id = await aNotification(to);
    await deliverDue(deps, { slack });
    const { nextAttemptAt } = await stateOf(id);
    const wait = nextAttemptAt.getTime() - clock().getTime();
    expect(wait).toBeGreaterThanOrEqual(1500);
    expect(wait).toBeLessThanOrEqual(2400);
    advance(wait - 300);
    await deliverDue(deps, { slack });
    expect(slack.deliveredIds(to)).toEqual([]);
    advance(300);
    await deliverDue(deps, { slack });
    expect(slack.deliveredIds(to)).toEqual([id]);
  });

  it("recovers a notification claimed by a replica that died mid-delivery, after its lease, and ignores the dead replica's late answer", async () => {
    const slack = new FakeTransport();
    const deps = depsFor(db, clock);
    const to = target("crash");
    const [head, next] = await inOrder(to, 2);
    // The "crashed" replica claimed the head and never recorded an outcome.
    const [claimed] = await claimDue(db, { now: clock(), leaseUntil: new Date(clock().getTime() + 60_000), channels: ["slack"], limit: 50 }).then((rows) => rows.filter((r) => r.target === to));
    expect(claimed!.id).toBe(head);
    advance(30_000);
    await deliverDue(deps, { slack });
    expect(slack.deliveredIds(to)).toEqual([]); // leased, and the later row waits behind it
    advance(31_000);
    await deliverDue(deps, { slack });
    advance(1000);
    await deliverDue(deps, { slack });
    expect(slack.deliveredIds(to)).toEqual([head, next]);
    expect(await stateOf(head!)).toMatchObject({ state: "sent", attempts: 2 });
    expect(await markSent(db, claimed!, "late-ref", clock())).toBe(false);
    expect((await stateOf(head!)).messageRef).toBe(slack.deliveries.find((d) => d.id === head)!.messageRef);
  });

  it("claims each notification once when two replicas run delivery passes at the same moment", async () => {
    const slack = new FakeTransport({ latencyMs: 5 });
    const other = createPrismaClient(database.url);
    try {
      const targets = Array.from({ length: 12 }, (_, i) => target(`race-${i}`));
      for (const to of targets) await inOrder(to, 2);
      const [depsA, depsB] = [depsFor(db, clock), depsFor(other, clock)];
      for (let round = 0; round < 3; round++) {
        await Promise.all([deliverDue(depsA, { slack }), deliverDue(depsB, { slack }), deliverDue(depsA, { slack }), deliverDue(depsB, { slack })]);
        advance(1000);
      }
      const ids = slack.deliveries.filter((d) => targets.includes(d.target)).map((d) => d.id);
      expect(ids).toHaveLength(24);
      expect(new Set(ids).size).toBe(24);
    } finally {
      await other.$disconnect();
    }
  });

  it("keeps Teams notifications pending while no Teams transport is configured, and tells the admin why", async () => {
    const slack = new FakeTransport();
    const deps = depsFor(db, clock);
    const id = await aNotification(target("teams-off"), { channel: "teams" });
    await deliverDue(deps, { slack });
    expect(await stateOf(id)).toMatchObject({ state: "pending", attempts: 0 });
    advance(2 * 60_000);
    await noteMissingTransports(db, ["teams", "email"], clock());
    expect(await stateOf(id)).toMatchObject({ state: "pending", lastError: "no transport for teams" });
    expect(JSON.stringify(await listUndelivered(deps, admin))).toContain("no transport for teams");
  });

  it("refuses the outbox list and retry to an agent", async () => {
    const deps = depsFor(db, clock);
    for (const reply of [await listUndelivered(deps, agent), await retryUndelivered(deps, agent, randomUUID())]) {
      expect(reply).toMatchObject({ kind: "message", view: { text: "Only an admin can list or retry undelivered notifications." } });
    }
  });

  it("answers a retry of an unknown or malformed id with a sentence, not an error", async () => {
    const deps = depsFor(db, clock);
    expect(JSON.stringify(await retryUndelivered(deps, admin, "nope"))).toContain("is not a notification id");
    expect(JSON.stringify(await retryUndelivered(deps, admin, randomUUID()))).toContain("no longer exists");
  });
});

function lastTransientError() {
  // A transient-looking error on the last attempt: dead because attempts ran out, not because it is permanent.
  return Object.assign(serverError(), { message: "An API error occurred: fatal_error (HTTP 503)" });
}
