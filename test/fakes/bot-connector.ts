// A fake Bot Connector (the Teams service a bot calls back): records every call, answers like the real one, fails on demand.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: any;
}

export interface FakeMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
}

export interface FakeBotConnector {
  /** Use as the activities' serviceUrl. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /**
   * Files by id: GET /v3/attachments/{id}/views/original (as inline images' contentUrl; the Authorization header
   * it got is recorded) and GET /download/{id} (a pre-authenticated downloadUrl of a file in a personal chat).
   */
  files: Map<string, { contentType: string; content: Buffer }>;
  /** The Authorization header of each file download, by id. */
  fileDownloads: { id: string; authorization?: string }[];
  /** Members GET …/members/{id} answers with; unknown ids get 404. */
  addMember(member: FakeMember): void;
  /** The next `count` calls answer `status` (with Retry-After when given) instead of succeeding. */
  failNext(count: number, answer: { status: number; retryAfter?: string }): void;
  /** Messages posted or updated: POST …/activities(/{id}) and PUT …/activities/{id}, in order. */
  sentActivities(): ConnectorCall[];
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?\/?$/;

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, FakeMember>();
  const files = new Map<string, { contentType: string; content: Buffer }>();
  const fileDownloads: { id: string; authorization?: string }[] = [];
  let failures: { count: number; status: number; retryAfter?: string } = { count: 0, status: 500 };
  let nextId = 0;

  const server = http.createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? "/", "http://localhost");
    const m = ROUTE.exec(url.pathname);
    const call: ConnectorCall = {
      method: req.method ?? "GET",
      path: url.pathname,
      conversationId: m?.[1] && decodeURIComponent(m[1]),
      activityId: m?.[3] && decodeURIComponent(m[3]),
      body: raw ? JSON.parse(raw) : undefined,
    };
    calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (failures.count > 0) {
      failures.count -= 1;
      send(failures.status, { error: { code: failures.status === 429 ? "Throttled" : "ServiceError", message: "fake failure" } }, failures.retryAfter ? { "retry-after": failures.retryAfter } : {});
      return;
    }
    const file = /^\/(?:v3\/attachments\/([^/]+)\/views\/original|download\/([^/]+))$/.exec(url.pathname);
    if (file && call.method === "GET") {
      const id = decodeURIComponent(file[1] ?? file[2]!);
      fileDownloads.push({ id, authorization: req.headers.authorization });
      const found = files.get(id);
      if (!found) return send(404, { error: { code: "NotFound", message: id } });
      res.writeHead(200, { "content-type": found.contentType, "content-length": String(found.content.length) });
      res.end(found.content);
      return;
    }
    if (!m) return send(404, { error: { code: "NotFound", message: url.pathname } });
    const [, conversationId, collection, itemId] = m;
    if (call.method === "POST" && !conversationId) return send(201, { id: `conversation-${++nextId}`, activityId: `activity-${nextId}` });
    if (collection === "activities" && call.method === "POST") return send(201, { id: `activity-${++nextId}` });
    if (collection === "activities" && call.method === "PUT") return send(200, { id: call.activityId });
    if (collection === "activities" && call.method === "DELETE") return send(200, {});
    if (collection === "members" && call.method === "GET" && itemId) {
      const member = members.get(decodeURIComponent(itemId));
      return member ? send(200, member) : send(404, { error: { code: "MemberNotFoundInConversation", message: "not found" } });
    }
    return send(404, { error: { code: "NotFound", message: `${call.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    files,
    fileDownloads,
    addMember: (member) => void members.set(member.id, member),
    failNext: (count, answer) => void (failures = { count, ...answer }),
    sentActivities: () => calls.filter((c) => /\/activities/.test(c.path) && (c.method === "POST" || c.method === "PUT")),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
