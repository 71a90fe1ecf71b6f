// A person's read-only calendar subscription feed (/calendar/<token>.ics): make, show, renew and turn off its link,
// and answer a calendar client that reads it. Like OCA calendar_shared_ics (notes §1.6): a token-protected, per-person
// feed with token rotation; unlike it, only the token's sha256 is stored, so a database leak gives no working link.
import { createHash, randomBytes } from "node:crypto";
import { calendarFeedLinkView, calendarFeedOffText, calendarFeedStaleText, calendarFeedStatusView } from "../../bot/views/calendar-feed.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { policy } from "../../domain/policy.js";
import { formatDateTime } from "../../domain/time.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { feedIcs } from "./meeting-ics.js";

/** 32 random bytes in base64url: 43 characters, no padding. */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A calendar polling every few seconds from several devices must not cost a write each time. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashFeedToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function calendarFeedUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/calendar/${token}.ics`;
}

/** `/crm calendar`: the feed's state, or a new link when the person has none (first use, or after turning it off). */
export async function showCalendarFeed(deps: Deps, who: Who): Promise<Reply> {
  const active = await deps.db.calendarFeedToken.findFirst({ where: { userId: who.user.id, revokedAt: null }, orderBy: { createdAt: "desc" } });
  if (active) {
    const now = deps.now();
    const tz = who.user.timeZone;
    return privateMessage(
      calendarFeedStatusView({ tokenId: active.id, createdAt: formatDateTime(active.createdAt, tz, now), lastUsedAt: active.lastUsedAt ? formatDateTime(active.lastUsedAt, tz, now) : undefined }),
    );
  }
  const made = await deps.db.$transaction((tx) => replaceToken(tx, who.user.id, undefined, deps.now()));
  if (!made.ok) return privateMessage(notice(calendarFeedStaleText));
  deps.logger.info({ userId: who.user.id, tokenId: made.tokenId }, "calendar feed link made");
  return privateMessage(calendarFeedLinkView(calendarFeedUrl(deps.settings.publicUrl, made.token), made.tokenId, { isRenewal: false }));
}

/** "New link (revokes the old one)": only from the card of the link that is still current (a second click is stale). */
export async function renewCalendarFeed(deps: Deps, who: Who, tokenId: string): Promise<Reply> {
  const owned = await ownToken(deps, who, tokenId);
  if (!owned.ok) return owned.reply;
  const made = await deps.db.$transaction((tx) => replaceToken(tx, who.user.id, tokenId, deps.now()));
  if (!made.ok) return privateMessage(notice(calendarFeedStaleText));
  deps.logger.info({ userId: who.user.id, tokenId: made.tokenId }, "calendar feed link renewed");
  return privateMessage(calendarFeedLinkView(calendarFeedUrl(deps.settings.publicUrl, made.token), made.tokenId, { isRenewal: true }));
}

/** "Turn off": the link stops working at once; `/crm calendar` makes a new one later. */
export async function turnOffCalendarFeed(deps: Deps, who: Who, tokenId: string): Promise<Reply> {
  const owned = await ownToken(deps, who, tokenId);
  if (!owned.ok) return owned.reply;
  const revoked = await deps.db.calendarFeedToken.updateMany({ where: { id: tokenId, userId: who.user.id, revokedAt: null }, data: { revokedAt: deps.now() } });
  if (revoked.count === 0) return privateMessage(notice(calendarFeedStaleText));
  deps.logger.info({ userId: who.user.id, tokenId }, "calendar feed turned off");
  return privateMessage(notice(calendarFeedOffText));
}

/**
 * What a calendar client reading the feed gets: the person's meetings, or nothing for a token that is unknown,
 * revoked, malformed or whose person is deactivated (the caller answers all of those alike).
 */
export async function readCalendarFeed(deps: Deps, token: string): Promise<{ ok: true; ics: string } | { ok: false }> {
  if (!FEED_TOKEN_PATTERN.test(token)) return { ok: false };
  const found = await deps.db.calendarFeedToken.findUnique({ where: { tokenHash: hashFeedToken(token) }, include: { user: { select: { isActive: true } } } });
  if (!found || found.revokedAt || !found.user.isActive) return { ok: false };
  const now = deps.now();
  // A conditional update: concurrent reads (or replicas) write lastUsedAt at most once a minute between them.
  await deps.db.calendarFeedToken.updateMany({
    where: { id: found.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
    data: { lastUsedAt: now },
  });
  return { ok: true, ics: await feedIcs(deps.db, found.userId, now) };
}

async function ownToken(deps: Deps, who: Who, tokenId: string): Promise<{ ok: true } | { ok: false; reply: Reply }> {
  const token = /^[0-9a-f-]{36}$/i.test(tokenId) ? await deps.db.calendarFeedToken.findUnique({ where: { id: tokenId }, select: { userId: true } }) : null;
  if (!token) return { ok: false, reply: privateMessage(notice(calendarFeedStaleText)) };
  const decision = policy.manageCalendarFeed(who.actor, token.userId);
  return decision.ok ? { ok: true } : { ok: false, reply: privateMessage(notice(decision.reason)) };
}

/**
 * Revokes the person's current link and makes a new one, under a lock on the person's row so two clicks (or two
 * `/crm calendar` on first use) cannot leave two live links. `expected` is the link the card showed: when it is no
 * longer the current one, nothing changes (a stale card or a double click).
 */
async function replaceToken(tx: Tx, userId: string, expected: string | undefined, now: Date): Promise<{ ok: true; token: string; tokenId: string } | { ok: false }> {
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
  const current = await tx.calendarFeedToken.findFirst({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if ((current?.id ?? undefined) !== expected) return { ok: false };
  await tx.calendarFeedToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  const token = randomBytes(32).toString("base64url");
  const row = await tx.calendarFeedToken.create({ data: { userId, tokenHash: hashFeedToken(token), createdAt: now } });
  return { ok: true, token, tokenId: row.id };
}
