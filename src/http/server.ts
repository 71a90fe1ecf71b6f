// The one HTTP server: health and readiness here; chat endpoints mount their own routes and parsers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "../log.js";

/** Slack and Teams payloads are small; anything above this is refused with 413 (DESIGN.md). */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Readiness {
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
  name: string;
}

export function createHttpApp(opts: { logger: Logger; readiness: Readiness[] }): Express {
  const app = express();
  app.disable("x-powered-by");
  // No global body parsers: Slack signatures are computed over the raw body.
  app.use(limitBodySize(MAX_BODY_BYTES));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const results = await Promise.all(
      opts.readiness.map(async (r) => {
        try {
          await withTimeout(r.check(), 2000);
          return [r.name, "ok"] as const;
        } catch (error) {
          opts.logger.warn({ err: error, dependency: r.name }, "readiness check failed");
          return [r.name, "unavailable"] as const;
        }
      }),
    );
    const isReady = results.every(([, state]) => state === "ok");
    res.status(isReady ? 200 : 503).json({ status: isReady ? "ready" : "not ready", checks: Object.fromEntries(results) });
  });
  return app;
}

/** Adds the last handlers: 404 for unknown routes, and one place that turns thrown errors into a short reply. */
export function finishHttpApp(app: Express, logger: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === "entity.too.large" || error.status === 413) {
      res.status(413).json({ error: "request body too large" });
      return;
    }
    if (error.status && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: error.message });
      return;
    }
    const reference = Math.random().toString(36).slice(2, 10);
    logger.error({ err: error, path: req.path, reference }, "request failed");
    if (!res.headersSent) res.status(500).json({ error: "internal error", reference });
  });
}

function limitBodySize(limit: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      res.status(413).set("connection", "close").json({ error: "request body too large" });
      req.resume();
      return;
    }
    // Chunked bodies have no length up front: count as they arrive.
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit && !res.headersSent) {
        res.status(413).set("connection", "close").json({ error: "request body too large" });
        req.unpipe();
        req.destroy();
      }
    });
    next();
  };
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting connections and waits for requests in flight, up to the timeout. */
  close(timeoutMs: number): Promise<void>;
}

export async function listen(app: Express, port: number, host: string): Promise<RunningHttpServer> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
