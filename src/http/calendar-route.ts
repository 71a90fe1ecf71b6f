// GET /calendar/<token>.ics: a person's read-only calendar feed for Google Calendar, Outlook and Apple Calendar.
// The URL is the secret: it is never logged, and every refusal looks the same (unknown and revoked tokens alike).
import { createHash, randomBytes } from "node:crypto";
import type { Express, Request, Response } from "express";
import type { Deps } from "../handlers/deps.js";
import { hashFeedToken, readCalendarFeed } from "../handlers/meetings/calendar-feed.js";

export const FEED_READS_PER_MINUTE = 60;
const WINDOW_MS = 60_000;
/** Bounds the limiter's memory when someone tries many made-up tokens. */
const MAX_TRACKED = 10_000;

export function mountCalendarRoute(app: Express, deps: Deps, opts: { readsPerMinute?: number } = {}): void {
  const limiter = fixedWindowLimiter(opts.readsPerMinute ?? FEED_READS_PER_MINUTE, Date.now);
  app.get("/calendar/:file", async (req: Request, res: Response) => {
    const file = String(req.params.file ?? "");
    const token = file.endsWith(".ics") ? file.slice(0, -4) : "";
    // Keyed by the hash: the limiter holds no live secrets. Per replica (in memory): good enough to stop a client in a loop.
    const key = hashFeedToken(token);
    if (!limiter.allow(key)) {
      res.status(429).set({ "retry-after": "60", "cache-control": "no-store" }).type("text/plain").send("Too many requests for this calendar; try again in a minute.");
      return;
    }
    try {
      const feed = await readCalendarFeed(deps, token);
      if (!feed.ok) {
        notFound(res);
        return;
      }
      const etag = etagOf(feed.ics);
      res.set({ "cache-control": "private, max-age=300", etag });
      if (matchesEtag(req.get("if-none-match"), etag)) {
        res.status(304).end();
        return;
      }
      res.status(200).type("text/calendar; charset=utf-8").send(feed.ics);
    } catch (error) {
      // Not passed to the app's error handler: it logs the path, and the path here is the secret.
      const reference = randomBytes(4).toString("hex");
      deps.logger.error({ err: error, reference }, "calendar feed failed");
      if (!res.headersSent) res.status(500).set("cache-control", "no-store").json({ error: "internal error", reference });
    }
  });
}

/**
 * The body's sha256, without DTSTAMP lines: they carry the time the feed was written, so every read would differ
 * and calendars would never get a 304 for a feed whose meetings did not change.
 */
function etagOf(ics: string): string {
  const stable = ics.replace(/^DTSTAMP[:;][^\r\n]*\r?\n/gm, "");
  return `"${createHash("sha256").update(stable, "utf8").digest("base64url")}"`;
}

/** The same answer as any unknown route, so a revoked link cannot be told from one that never existed. */
function notFound(res: Response): void {
  res.status(404).set("cache-control", "no-store").json({ error: "not found" });
}

/** If-None-Match may list several tags, weak ones included (RFC 9110 §13.1.2: weak comparison), or "*". */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

function fixedWindowLimiter(limit: number, nowMs: () => number) {
  const windows = new Map<string, { startedAt: number; count: number }>();
  return {
    allow(key: string): boolean {
      const now = nowMs();
      if (windows.size > MAX_TRACKED) {
        for (const [k, w] of windows) if (now - w.startedAt >= WINDOW_MS) windows.delete(k);
        if (windows.size > MAX_TRACKED) windows.clear();
      }
      const window = windows.get(key);
      if (!window || now - window.startedAt >= WINDOW_MS) {
        windows.set(key, { startedAt: now, count: 1 });
        return true;
      }
      window.count += 1;
      return window.count <= limit;
    },
  };
}
