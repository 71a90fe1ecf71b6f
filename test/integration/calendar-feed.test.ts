import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, type Who } from "../../src/bot/dispatch.js";
import { CALENDAR_NEW_LINK, CALENDAR_TURN_OFF } from "../../src/bot/views/calendar-feed.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { readCalendarFeed } from "../../src/handlers/meetings/calendar-feed.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const FEED_URL = /^http:\/\/localhost\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;

function privateView(reply: Reply): MessageView {
  if (reply.kind !== "message") throw new Error(`expected a message, got ${reply.kind}`);
  expect(reply.visibility).toBe("private");
  return reply.view;
}

/** The feed URL shown in a link card (in code markup), and the token inside it. */
function linkOf(view: MessageView): { url: string; token: string } | undefined {
  const url = /`(http[^`]+)`/.exec(view.blocks.map((b) => (b.type === "text" ? b.text : "")).join("\n"))?.[1];
  const token = url ? FEED_URL.exec(url)?.[1] : undefined;
  return url && token ? { url, token } : undefined;
}

function button(view: MessageView, id: string) {
  const found = view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : [])).find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} button`);
  return found;
}

describe("the personal calendar feed link", () => {
  let h: HandlerHarness;
  let ana: Who;
  let bob: Who;
  let clock = new Date("2026-11-23T09:00:00Z");

  beforeAll(async () => {
    h = await handlerHarness({ now: () => clock });
    ana = await aPerson(h.db);
    bob = await aPerson(h.db);
  });
  afterAll(async () => h?.close());

  it("makes a link on first use, shows it privately, and stores only its sha256", async () => {
    const view = privateView(await runCommand(h.deps, ana, "calendar", slack));
    const link = linkOf(view);
    expect(link).toBeDefined();
    const rows = await h.db.calendarFeedToken.findMany({ where: { userId: ana.user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(link!.token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(link!.token);
    expect(button(view, CALENDAR_NEW_LINK).value).toBe(rows[0]!.id);
    expect(button(view, CALENDAR_TURN_OFF).value).toBe(rows[0]!.id);
  });

  it("shows the feed's state the second time, without a link and without making another", async () => {
    const view = privateView(await runCommand(h.deps, ana, "calendar", slack));
    expect(linkOf(view)).toBeUndefined();
    expect(view.text).toMatch(/^Your calendar feed is on \(link made .+; not read by any calendar yet\)\.$/);
    expect(await h.db.calendarFeedToken.count({ where: { userId: ana.user.id } })).toBe(1);
  });

  it("serves the feed for the token, noting the read at most once a minute", async () => {
    const { token, tokenId } = await freshLink(ana);
    const first = await readCalendarFeed(h.deps, token);
    expect(first.ok).toBe(true);
    if (first.ok) expect(first.ics).toMatch(/^BEGIN:VCALENDAR/);
    expect((await h.db.calendarFeedToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).toEqual(clock);
    const firstRead = clock;
    clock = new Date(clock.getTime() + 30_000);
    await readCalendarFeed(h.deps, token);
    expect((await h.db.calendarFeedToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).toEqual(firstRead);
    clock = new Date(clock.getTime() + 31_000);
    await readCalendarFeed(h.deps, token);
    expect((await h.db.calendarFeedToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt).toEqual(clock);
  });

  it("answers nothing for made-up, malformed and empty tokens", async () => {
    expect(await readCalendarFeed(h.deps, "A".repeat(43))).toEqual({ ok: false });
    expect(await readCalendarFeed(h.deps, "../../etc/passwd")).toEqual({ ok: false });
    expect(await readCalendarFeed(h.deps, "")).toEqual({ ok: false });
  });

  it("a new link revokes the old one; a second click on the same card changes nothing", async () => {
    const old = await freshLink(ana);
    const renewed = privateView(await runAction(h.deps, ana, CALENDAR_NEW_LINK, old.tokenId));
    const link = linkOf(renewed)!;
    expect(renewed.text).toMatch(/^Here is your new calendar feed link\. The old link no longer works\./);
    expect((await readCalendarFeed(h.deps, old.token)).ok).toBe(false);
    expect((await readCalendarFeed(h.deps, link.token)).ok).toBe(true);

    const again = privateView(await runAction(h.deps, ana, CALENDAR_NEW_LINK, old.tokenId));
    expect(again.text).toBe("That link was already replaced or turned off. Run `/crm calendar` to see your feed.");
    expect(await h.db.calendarFeedToken.count({ where: { userId: ana.user.id, revokedAt: null } })).toBe(1);
    expect((await readCalendarFeed(h.deps, link.token)).ok).toBe(true);
  });

  it("refuses another person's buttons, even an admin's, and changes nothing", async () => {
    const mine = await freshLink(ana);
    const admin = await aPerson(h.db, { role: "admin" });
    for (const who of [bob, admin]) {
      for (const id of [CALENDAR_NEW_LINK, CALENDAR_TURN_OFF]) {
        const view = privateView(await runAction(h.deps, who, id, mine.tokenId));
        expect(view.text).toBe("Only the person a calendar feed belongs to can change it.");
      }
    }
    expect((await readCalendarFeed(h.deps, mine.token)).ok).toBe(true);
    expect(await h.db.calendarFeedToken.count({ where: { userId: { in: [bob.user.id, admin.user.id] } } })).toBe(0);
  });

  it("turning off stops the link at once; a second click is stale; the command then makes a new link", async () => {
    const mine = await freshLink(ana);
    const off = privateView(await runAction(h.deps, ana, CALENDAR_TURN_OFF, mine.tokenId));
    expect(off.text).toMatch(/^Your calendar feed is off/);
    expect((await readCalendarFeed(h.deps, mine.token)).ok).toBe(false);
    expect(privateView(await runAction(h.deps, ana, CALENDAR_TURN_OFF, mine.tokenId)).text).toMatch(/already replaced or turned off/);
    const again = linkOf(privateView(await runCommand(h.deps, ana, "calendar", slack)));
    expect(again).toBeDefined();
    expect((await readCalendarFeed(h.deps, again!.token)).ok).toBe(true);
  });

  it("answers nothing once the person is deactivated", async () => {
    const carl = await aPerson(h.db);
    const link = linkOf(privateView(await runCommand(h.deps, carl, "calendar", slack)))!;
    expect((await readCalendarFeed(h.deps, link.token)).ok).toBe(true);
    await h.db.user.update({ where: { id: carl.user.id }, data: { isActive: false } });
    expect((await readCalendarFeed(h.deps, link.token)).ok).toBe(false);
  });

  it("two first uses at once leave one live link", async () => {
    const dan = await aPerson(h.db);
    await Promise.all([runCommand(h.deps, dan, "calendar", slack), runCommand(h.deps, dan, "calendar", slack)]);
    expect(await h.db.calendarFeedToken.count({ where: { userId: dan.user.id, revokedAt: null } })).toBe(1);
  });

  /** Turns the current link (if any) off and makes a new one, returning its token and row id. */
  async function freshLink(who: Who): Promise<{ token: string; tokenId: string }> {
    const current = await h.db.calendarFeedToken.findFirst({ where: { userId: who.user.id, revokedAt: null } });
    if (current) await runAction(h.deps, who, CALENDAR_TURN_OFF, current.id);
    const view = privateView(await runCommand(h.deps, who, "calendar", slack));
    const link = linkOf(view)!;
    return { token: link.token, tokenId: button(view, CALENDAR_NEW_LINK).value! };
  }
});
