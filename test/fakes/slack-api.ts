// A fake Slack Web API and response_url sink on loopback: records every call; can fail the next N calls on purpose.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  method: string;
  token?: string;
  args: Record<string, any>;
  /** Milliseconds since the fake started (performance-style clock: Date.now()). */
  at: number;
}

export interface FakeUser {
  email?: string;
  realName?: string;
  tz?: string;
}

/** A planned failure: an HTTP status (500, 429 with Retry-After) or a Slack `ok: false` error code. */
export type Failure = { status: 500 } | { status: 429; retryAfterSeconds: number } | { error: string };

/** A file the fake serves: files.info describes it, GET /files/<id> downloads it (with the bot token). */
export interface FakeFile {
  name: string;
  mimetype: string;
  content: Buffer;
}

export interface FakeSlackApi {
  url: string;
  files: Map<string, FakeFile>;
  /** For SLACK_API_URL. */
  apiUrl: string;
  calls: RecordedCall[];
  users: Map<string, FakeUser>;
  /** A fresh response_url on this fake. */
  responseUrl(id?: string): string;
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first call matching, or rejects after the timeout. */
  waitForCall(method: string, match?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** The next `times` calls to `method` (or to any method when "*") fail this way. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Delay every answer (to simulate Slack's latency). */
  setLatency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

const JSON_ARGS = new Set(["blocks", "view", "attachments", "metadata"]);

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const users = new Map<string, FakeUser>();
  const files = new Map<string, FakeFile>();
  const failures: { method: string; failure: Failure; left: number }[] = [];
  const waiters = new Set<() => void>();
  let seq = 1;
  let latencyMs = 0;

  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""), url);
    if (url.pathname.startsWith("/files/")) return serveFile(req, res, files, url, calls);
    const isResponseUrl = url.pathname.startsWith("/response/");
    const method = isResponseUrl ? "response_url" : url.pathname.replace(/^\/api\//, "");
    const token = isResponseUrl ? undefined : (req.headers.authorization?.replace(/^Bearer /, "") ?? args.token);
    calls.push({ method, token, args: isResponseUrl ? { ...args, path: url.pathname } : args, at: Date.now() });
    for (const w of [...waiters]) w();
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    const planned = failures.find((f) => f.left > 0 && (f.method === method || f.method === "*"));
    if (planned) {
      planned.left--;
      return fail(res, planned.failure);
    }
    if (isResponseUrl) return send(res, 200, { ok: true });
    if (method === "files.info") return send(res, 200, fileInfo(files, String(args.file), base));
    return send(res, 200, answer(method, args, users, () => seq++));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeSlackApi = {
    url: base,
    apiUrl: `${base}/api/`,
    calls,
    users,
    files,
    responseUrl: (id = `r${seq++}`) => `${base}/response/${id}`,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCall(method, match = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = calls.find((c) => c.method === method && match(c));
          if (!found) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${method} call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ")}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = () => void check();
        waiters.add(waiter);
        check();
      });
    },
    failNext: (method, failure, times = 1) => void failures.push({ method, failure, left: times }),
    setLatency: (ms) => void (latencyMs = ms),
    reset() {
      calls.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function answer(method: string, args: Record<string, any>, users: Map<string, FakeUser>, next: () => number): Record<string, unknown> {
  switch (method) {
    case "auth.test":
      return { ok: true, url: "https://test.slack.com/", team: "Test", user: "switchboard", team_id: "T1", user_id: "UBOT", bot_id: "BBOT" };
    case "users.info": {
      const user = users.get(String(args.user));
      if (!user) return { ok: false, error: "user_not_found" };
      return {
        ok: true,
        user: { id: args.user, name: user.realName?.toLowerCase() ?? "someone", real_name: user.realName, tz: user.tz, profile: { email: user.email, real_name: user.realName } },
      };
    }
    case "chat.postMessage": {
      const channel = String(args.channel);
      // Posting to a user id posts into the app's DM with them, which has its own channel id.
      return { ok: true, channel: /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel, ts: `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, "0")}`, message: { text: args.text } };
    }
    case "chat.update":
      return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
    case "chat.postEphemeral":
      return { ok: true, message_ts: `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, "0")}` };
    case "chat.getPermalink":
      return { ok: true, channel: args.channel, permalink: `https://test.slack.com/archives/${args.channel}/p${String(args.message_ts).replace(".", "")}` };
    case "conversations.open":
      return { ok: true, channel: { id: `D${String(args.users).slice(1)}` } };
    case "views.open":
    case "views.push":
    case "views.update":
    case "views.publish":
      return { ok: true, view: { id: `V${next()}`, hash: "h1", ...(args.view ?? {}) } };
    case "oauth.v2.access":
      return {
        ok: true,
        app_id: "A1",
        authed_user: { id: "UINSTALLER" },
        scope: "commands,chat:write",
        token_type: "bot",
        access_token: "xoxb-installed",
        bot_user_id: "UBOT",
        team: { id: "T2", name: "Other" },
        enterprise: null,
        is_enterprise_install: false,
      };
    default:
      return { ok: true };
  }
}

function fileInfo(files: Map<string, FakeFile>, id: string, base: string): Record<string, unknown> {
  const file = files.get(id);
  if (!file) return { ok: false, error: "file_not_found" };
  return { ok: true, file: { id, name: file.name, mimetype: file.mimetype, size: file.content.length, url_private_download: `${base}/files/${id}/download/${encodeURIComponent(file.name)}` } };
}

/** Downloads need the bot token, as Slack's url_private_download does. */
function serveFile(req: http.IncomingMessage, res: http.ServerResponse, files: Map<string, FakeFile>, url: URL, calls: RecordedCall[]): void {
  const id = url.pathname.split("/")[2] ?? "";
  const token = req.headers.authorization?.replace(/^Bearer /, "");
  calls.push({ method: "file_download", token, args: { id }, at: Date.now() });
  const file = files.get(id);
  if (!token || !token.startsWith("xoxb-")) return send(res, 403, { ok: false, error: "not_authed" });
  if (!file) return send(res, 404, { ok: false, error: "file_not_found" });
  res.writeHead(200, { "content-type": file.mimetype, "content-length": String(file.content.length) });
  res.end(file.content);
}

function fail(res: http.ServerResponse, failure: Failure): void {
  if ("error" in failure) return send(res, 200, { ok: false, error: failure.error });
  if (failure.status === 429) {
    res.writeHead(429, { "content-type": "application/json", "retry-after": String(failure.retryAfterSeconds) });
    res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
    return;
  }
  send(res, 500, { ok: false, error: "internal_error" });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

/** The Web API client sends form-encoded arguments with nested JSON as strings; response_url gets JSON. */
function parseArgs(raw: string, contentType: string, url: URL): Record<string, any> {
  const args: Record<string, any> = Object.fromEntries(url.searchParams);
  if (contentType.includes("json")) return { ...args, ...(raw ? JSON.parse(raw) : {}) };
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = JSON_ARGS.has(key) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
