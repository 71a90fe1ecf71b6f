// Embedded-database start-up and idle memory: spawn to /readyz 200 (target < 3 s) and VmRSS after 15 s idle (target < 250 MB).
import { spawn, type ChildProcess } from "node:child_process";
import { SERVER_NODE_FLAGS } from "../../src/node-flags.js";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { Benchmark, Metric } from "./run.js";

const WARM_RUNS = 5;
const IDLE_MS = 15_000;
const POLL_MS = 20;
const TARGET_START_MS = 3000;
const TARGET_RSS_MB = 250;
const FIRST_READY_LIMIT_MS = 120_000; // includes initdb and migrations in a child process
const WARM_READY_LIMIT_MS = 30_000;
const EXIT_LIMIT_MS = 30_000; // the server's own shutdown timeout is 20 s
const LOG_TAIL_CHARS = 8000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

interface Server {
  child: ChildProcess;
  exited: Promise<Exit>;
  exit?: Exit;
  log: string;
}

interface Run {
  readyMs: number;
  rssAtReadyMb: number;
  /** Absent on the first start, which is stopped as soon as it is ready. */
  idle?: { rssMb: number; hwmMb: number };
  shutdownMs: number;
  exit: Exit;
  /** Whatever the server logged (at LOG_LEVEL=warn, only warnings and errors). */
  log?: string;
}

export const benchmark: Benchmark = {
  name: "startup-memory",
  async run({ root }) {
    const main = path.join(root, "dist/src/main.js");
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx tsc -p tsconfig.build.json)`);
    const tmp = mkdtempSync(path.join(os.tmpdir(), "sb-bench-"));
    try {
      const first = await measure(main, tmp, FIRST_READY_LIMIT_MS, 0);
      report("first start", first);
      const warm: Run[] = [];
      for (let i = 1; i <= WARM_RUNS; i++) {
        warm.push(await measure(main, tmp, WARM_READY_LIMIT_MS, IDLE_MS));
        report(`warm ${i}/${WARM_RUNS}`, warm.at(-1)!);
      }
      return summarize(first, warm);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};

/** One server life: start, wait for /readyz 200, optionally idle, then SIGTERM. */
async function measure(main: string, tmp: string, readyLimitMs: number, idleMs: number): Promise<Run> {
  const port = await freePort();
  const started = performance.now();
  const server = startServer(main, tmp, port);
  try {
    const readyMs = await waitReady(server, `http://127.0.0.1:${port}/readyz`, started, readyLimitMs);
    const rssAtReadyMb = readMemory(server.child.pid!).rssMb;
    let idle: Run["idle"];
    if (idleMs > 0) {
      await stayAlive(server, idleMs);
      idle = readMemory(server.child.pid!);
    }
    const { shutdownMs, exit } = await stopServer(server);
    return { readyMs: round(readyMs), rssAtReadyMb, idle, shutdownMs: round(shutdownMs), exit, ...(server.log.trim() ? { log: server.log.trim() } : {}) };
  } finally {
    if (!server.exit) {
      server.child.kill("SIGKILL");
      await withLimit(server.exited, 5000);
    }
  }
}

function startServer(main: string, tmp: string, port: number): Server {
  // cwd is the temp dir so a developer's .env (which may set DATABASE_URL) is not loaded;
  // TMPDIR there too, so the server's socket directories go when the temp dir goes.
  const tmpdir = path.join(tmp, "t");
  mkdirSync(tmpdir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(tmp, "data"), PORT: String(port), HOST: "127.0.0.1", LOG_FORMAT: "json", LOG_LEVEL: "warn", TMPDIR: tmpdir };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, main], { cwd: tmp, env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error: error.message }));
  });
  const server: Server = { child, exited, log: "" };
  void exited.then((exit) => (server.exit = exit));
  const keep = (chunk: Buffer) => {
    server.log = (server.log + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return server;
}

/** Polls every POLL_MS until /readyz answers 200; returns ms since `started`. */
async function waitReady(server: Server, url: string, started: number, limitMs: number): Promise<number> {
  while (performance.now() - started < limitMs) {
    if (server.exit) throw new Error(`server exited before ready (${describe(server.exit)}); its output:\n${server.log}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const at = performance.now();
      await res.arrayBuffer();
      if (res.status === 200) return at - started;
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  throw new Error(`/readyz did not answer 200 within ${limitMs} ms; server output:\n${server.log}`);
}

async function stayAlive(server: Server, ms: number): Promise<void> {
  const exit = await withLimit(server.exited, ms);
  if (exit) throw new Error(`server exited while idle (${describe(exit)}); its output:\n${server.log}`);
}

async function stopServer(server: Server): Promise<{ shutdownMs: number; exit: Exit }> {
  const t0 = performance.now();
  server.child.kill("SIGTERM");
  const exit = await withLimit(server.exited, EXIT_LIMIT_MS);
  if (!exit) throw new Error(`server did not exit within ${EXIT_LIMIT_MS} ms of SIGTERM; its output:\n${server.log}`);
  return { shutdownMs: performance.now() - t0, exit };
}

/** VmRSS and VmHWM (peak resident) of a process, in MB (1 MB = 1024 kB); Linux only. */
function readMemory(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]);
  };
  return { rssMb: round(kb("VmRSS") / 1024, 1), hwmMb: round(kb("VmHWM") / 1024, 1) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The promise's value, or undefined if it has not settled within `ms`. */
async function withLimit<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const ac = new AbortController();
  try {
    return await Promise.race([promise, sleep(ms, undefined, { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

function report(label: string, run: Run): void {
  const idle = run.idle ? `, RSS ${run.rssAtReadyMb} MB at ready, ${run.idle.rssMb} MB after ${IDLE_MS / 1000} s idle (peak ${run.idle.hwmMb} MB)` : `, RSS ${run.rssAtReadyMb} MB at ready`;
  const logged = run.log ? `, ${run.log.split("\n").length} log line(s)` : "";
  console.log(`  ${label}: ready in ${run.readyMs} ms${idle}, stopped in ${run.shutdownMs} ms (${describe(run.exit)})${logged}`);
}

function summarize(first: Run, warm: Run[]): { metrics: Metric[]; details: unknown } {
  const start = stats(warm.map((r) => r.readyMs));
  const rss = stats(warm.map((r) => r.idle!.rssMb));
  const hwm = stats(warm.map((r) => r.idle!.hwmMb));
  const shutdown = stats([first, ...warm].map((r) => r.shutdownMs));
  const clean = [first, ...warm].filter((r) => r.exit.code === 0).length;
  const range = (s: Stats, unit: string) => `${s.min} / ${s.median} / ${s.max} ${unit} (min/median/max)`;
  const metrics: Metric[] = [
    { name: "first start to /readyz (incl. initdb)", value: `${first.readyMs} ms` },
    { name: `warm start to /readyz (${warm.length} runs)`, value: range(start, "ms"), target: `max < ${TARGET_START_MS} ms`, met: start.max < TARGET_START_MS },
    { name: `idle RSS after ${IDLE_MS / 1000} s`, value: range(rss, "MB"), target: `max < ${TARGET_RSS_MB} MB`, met: rss.max < TARGET_RSS_MB },
    { name: "peak RSS (VmHWM), warm runs", value: range(hwm, "MB") },
    { name: "RSS at ready, first start", value: `${first.rssAtReadyMb} MB` },
    { name: "shutdown after SIGTERM", value: range(shutdown, "ms") },
    { name: "clean exits (code 0)", value: `${clean} of ${warm.length + 1}`, target: "all", met: clean === warm.length + 1 },
  ];
  const targets = { warmStartMs: TARGET_START_MS, idleRssMb: TARGET_RSS_MB, idleMs: IDLE_MS, pollMs: POLL_MS };
  return { metrics, details: { targets, summary: { warmStartMs: start, idleRssMb: rss, idleHwmMb: hwm, shutdownMs: shutdown }, first, warm } };
}

interface Stats {
  min: number;
  median: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median: round(median, 1), max: sorted.at(-1)! };
}

function describe(exit: Exit): string {
  return exit.error ? `spawn failed: ${exit.error}` : exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
