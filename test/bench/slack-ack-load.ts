// The load side of the slack-ack benchmark, run in a worker thread so it does not share the servers' event loop:
// an open-loop generator of signed /crm requests, and a minimal Slack Web API (auth.test, users.info, response_url sink).
import { Worker } from "node:worker_threads";

export interface LoadPlan {
  url: string;
  secret: string;
  text: string;
  userId: string;
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Milliseconds from each request's scheduled send time to its HTTP response (so a stall counts in full). */
  latenciesMs: number[];
  sent: number;
  failed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
}

export interface LoadWorker {
  /** Base URL of the worker's Slack API (set SLACK_API_URL to `${slackUrl}/api/`). */
  slackUrl: string;
  run(plan: LoadPlan): Promise<LoadResult>;
  responseUrlPosts(): Promise<number>;
  close(): Promise<void>;
}

// Plain JavaScript: an eval worker runs the same from tsx and from the compiled dist/.
const WORKER_SOURCE = String.raw`
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const { createHmac, randomBytes } = require("node:crypto");
let responsePosts = 0;
const sink = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const path = req.url || "";
    let answer = { ok: true };
    if (path.startsWith("/response/")) responsePosts++;
    else if (path.startsWith("/api/auth.test")) answer = { ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };
    else if (path.startsWith("/api/users.info")) answer = { ok: true, user: { id: "U1", real_name: "Ana Ruiz", tz: "Europe/Berlin", profile: { email: "ana@example.com", real_name: "Ana Ruiz" } } };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  });
});
sink.keepAliveTimeout = 30000;
function sign(secret, body) {
  const ts = Math.floor(Date.now() / 1000);
  return { "x-slack-request-timestamp": String(ts), "x-slack-signature": "v0=" + createHmac("sha256", secret).update("v0:" + ts + ":" + body).digest("hex") };
}
async function one(plan, sinkUrl, n, scheduledAt, record) {
  const body = new URLSearchParams({
    token: "t", team_id: "T1", team_domain: "bench", channel_id: "C1", channel_name: "sales", user_id: plan.userId, user_name: "ana",
    command: "/crm", text: plan.text, api_app_id: "A1", response_url: sinkUrl + "/response/" + n, trigger_id: n + "." + randomBytes(4).toString("hex"),
  }).toString();
  try {
    const res = await fetch(plan.url + "/slack/events", { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...sign(plan.secret, body) } });
    const latency = performance.now() - scheduledAt;
    await res.arrayBuffer();
    record(latency, String(res.status));
  } catch (e) {
    record(undefined, "error");
  }
}
async function run(plan, sinkUrl) {
  const interval = 1000 / plan.ratePerSecond;
  const total = Math.round(((plan.warmupMs + plan.durationMs) / 1000) * plan.ratePerSecond);
  const warmup = Math.round((plan.warmupMs / 1000) * plan.ratePerSecond);
  const latencies = [];
  const statuses = {};
  let failed = 0;
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const scheduledAt = start + i * interval;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const isMeasured = i >= warmup;
    pending.push(one(plan, sinkUrl, i, scheduledAt, (latency, status) => {
      if (!isMeasured) return;
      statuses[status] = (statuses[status] || 0) + 1;
      if (latency === undefined || status !== "200") failed++;
      else latencies.push(latency);
    }));
  }
  // Bounded: a request that never answers is cut off after 30 s.
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 30000))]);
  return { latenciesMs: latencies, sent: total - warmup, failed, statuses, elapsedMs: performance.now() - start - plan.warmupMs };
}
parentPort.on("message", async (msg) => {
  if (msg.type === "start") {
    sink.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "started", url: "http://127.0.0.1:" + sink.address().port }));
  } else if (msg.type === "run") {
    const sinkUrl = "http://127.0.0.1:" + sink.address().port;
    parentPort.postMessage({ type: "result", result: await run(msg.plan, sinkUrl) });
  } else if (msg.type === "count") {
    parentPort.postMessage({ type: "count", count: responsePosts });
  } else if (msg.type === "close") {
    sink.closeAllConnections();
    sink.close(() => parentPort.postMessage({ type: "closed" }));
  }
});
`;

export async function startLoadWorker(): Promise<LoadWorker> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const ask = <T>(message: object, reply: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string } & Record<string, unknown>) => {
        if (m.type !== reply) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(m as T);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      worker.postMessage(message);
    });
  const { url } = await ask<{ url: string }>({ type: "start" }, "started");
  return {
    slackUrl: url,
    run: async (plan) => (await ask<{ result: LoadResult }>({ type: "run", plan }, "result")).result,
    responseUrlPosts: async () => (await ask<{ count: number }>({ type: "count" }, "count")).count,
    async close() {
      await ask({ type: "close" }, "closed");
      await worker.terminate();
    },
  };
}
