import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { enqueueWebhook } from "../../src/db/webhook-outbox.js";
import type { Deps } from "../../src/handlers/deps.js";
import { appSecret } from "../../src/handlers/mail/app-secret.js";
import { deliverDue } from "../../src/jobs/outbox-delivery.js";
import { createWebhookTransport, WEBHOOK_SECRET_NAME } from "../../src/jobs/webhook-transport.js";
import { handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { silentLogger } from "../support/test-config.js";

/** What the receiving server saw: one entry per request. */
interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Answer = (req: Received, res: ServerResponse) => void;

let h: HandlerHarness;
let server: Server;
let baseUrl: string;
let answers: Answer[] = [];
let received: Received[] = [];
/** The outbox's clock (claims, backoff): moved forward by the tests, never back. */
let clock = new Date();

beforeAll(async () => {
  h = await handlerHarness({ now: () => clock });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(r);
      const answer = answers.shift() ?? ((_r: Received, s: ServerResponse) => s.writeHead(200).end("ok"));
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  answers = [];
  received = [];
  server.closeAllConnections();
  await h.db.outbox.deleteMany({ where: { channel: "webhook" } });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h?.close();
});

const status = (code: number, headers: Record<string, string> = {}): Answer => (_r, res) => res.writeHead(code, headers).end();
const transports = (timeoutMs?: number) => ({ webhook: createWebhookTransport({ loadSecret: () => appSecret(h.db, WEBHOOK_SECRET_NAME), logger: silentLogger, now: () => clock, ...(timeoutMs ? { timeoutMs } : {}) }) });
const deps = (): Deps => h.deps;
const advance = (ms: number) => void (clock = new Date(clock.getTime() + ms));

async function queue(path: string, body: unknown, dedupeKey?: string): Promise<string> {
  await h.db.$transaction((tx) => enqueueWebhook(tx, { url: `${baseUrl}${path}`, body, ...(dedupeKey ? { dedupeKey } : {}) }));
  const row = await h.db.outbox.findFirstOrThrow({ where: { channel: "webhook", target: `${baseUrl}${path}` }, orderBy: { seq: "desc" } });
  // The row is due from the database's now(); the test clock never runs behind it.
  if (row.nextAttemptAt > clock) clock = row.nextAttemptAt;
  return row.id;
}

const rowOf = (id: string) => h.db.outbox.findUniqueOrThrow({ where: { id } });

describe("webhook transport", () => {
  it("POSTs the body as JSON, signed over timestamp and body with the webhook-signing secret", async () => {
    const id = await queue("/hook", { event: "case.created", ref: "CASE-0042", note: "é ✓" });
    expect(await deliverDue(deps(), transports())).toBe(1);

    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r!.path).toBe("/hook");
    expect(JSON.parse(r!.body)).toEqual({ event: "case.created", ref: "CASE-0042", note: "é ✓" });
    expect(r!.headers["content-type"]).toBe("application/json");
    expect(r!.headers["user-agent"]).toBe("Switchboard");
    expect(r!.headers["x-switchboard-delivery"]).toBe(id);
    const timestamp = r!.headers["x-switchboard-timestamp"] as string;
    expect(Number(timestamp)).toBe(Math.floor(clock.getTime() / 1000));
    // The receiver's check: the same secret, over "<timestamp>.<raw body>".
    const secret = await appSecret(h.db, WEBHOOK_SECRET_NAME);
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${r!.body}`).digest("hex")}`;
    expect(r!.headers["x-switchboard-signature"]).toBe(expected);
    expect((await rowOf(id)).state).toBe("sent");
  });

  it("retries after a 500 and delivers once when the receiver recovers, with the same delivery id", async () => {
    const id = await queue("/flaky", { n: 1 });
    answers = [status(500), status(200)];
    expect(await deliverDue(deps(), transports())).toBe(0);
    const failed = await rowOf(id);
    expect(failed).toMatchObject({ state: "pending", attempts: 1 });
    expect(failed.lastError).toContain("answered 500");

    advance(10_000);
    expect(await deliverDue(deps(), transports())).toBe(1);
    advance(10 * 60_000);
    expect(await deliverDue(deps(), transports())).toBe(0);

    expect(received.map((r) => r.headers["x-switchboard-delivery"])).toEqual([id, id]);
    expect(await rowOf(id)).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("dead-letters a 400 at once: a retry cannot fix what the receiver refuses", async () => {
    const id = await queue("/refuses", { n: 2 });
    answers = [status(400)];
    await deliverDue(deps(), transports());
    advance(10 * 60_000);
    await deliverDue(deps(), transports());
    expect(received).toHaveLength(1);
    const row = await rowOf(id);
    expect(row.state).toBe("dead");
    expect(row.lastError).toContain("answered 400");
  });

  it("retries a receiver that does not answer in time", async () => {
    const id = await queue("/slow", { n: 3 });
    answers = [() => undefined /* never answers */, status(204)];
    await deliverDue(deps(), transports(300));
    const failed = await rowOf(id);
    expect(failed).toMatchObject({ state: "pending", attempts: 1 });
    expect(failed.lastError).toContain("did not answer");

    advance(10_000);
    expect(await deliverDue(deps(), transports(300))).toBe(1);
    expect(await rowOf(id)).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("waits as long as a 429's Retry-After asks, without using up an attempt", async () => {
    const id = await queue("/busy", { n: 4 });
    answers = [status(429, { "Retry-After": "120" })];
    await deliverDue(deps(), transports());
    const row = await rowOf(id);
    expect(row).toMatchObject({ state: "pending", attempts: 0 });
    expect(row.nextAttemptAt.getTime()).toBe(clock.getTime() + 120_000);
    advance(60_000);
    expect(await deliverDue(deps(), transports())).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("does not follow a redirect: the signed body never reaches another host", async () => {
    const id = await queue("/moved", { n: 5 });
    answers = [status(302, { Location: `${baseUrl}/elsewhere` })];
    await deliverDue(deps(), transports());
    expect(received.map((r) => r.path)).toEqual(["/moved"]);
    expect((await rowOf(id)).state).toBe("dead");
  });

  it("stores one row for one dedupe key, and refuses a URL that is not http(s)", async () => {
    await queue("/once", { n: 6 }, "rule:r1:case:c1:created");
    await queue("/once", { n: 6 }, "rule:r1:case:c1:created");
    expect(await h.db.outbox.count({ where: { channel: "webhook", target: `${baseUrl}/once` } })).toBe(1);
    await expect(h.db.$transaction((tx) => enqueueWebhook(tx, { url: "file:///etc/passwd", body: {} }))).rejects.toThrow(/http/);
  });
});
