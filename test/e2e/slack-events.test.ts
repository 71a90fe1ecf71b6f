import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, blockTexts, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { aSlashCommand, anEventCallback } from "../support/slack-requests.js";

describe("Slack events, App Home and request signing", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("publishes App Home with the person's planned and overdue calls", async () => {
    const user = await h.app.db.user.create({ data: { email: ANA.email, name: ANA.realName, timeZone: ANA.tz, slackTeamId: "T1", slackUserId: ANA.id } });
    const partner = await h.app.db.partner.create({ data: { kind: "company", name: "Umbrella" } });
    await h.app.db.phoneCall.create({ data: { state: "planned", subject: "Send the quote", partnerId: partner.id, ownerId: user.id, callAt: new Date(Date.now() - 3600_000) } });
    const res = await h.slack.event(anEventCallback({ type: "app_home_opened", user: ANA.id, channel: "D1", tab: "home", event_ts: "1700000000.000100" }));
    expect(res.status).toBe(200);
    const publish = await h.fake.waitForCall("views.publish");
    expect(publish.args.user_id).toBe(ANA.id);
    expect(publish.args.view.type).toBe("home");
    const texts = blockTexts(publish.args.view.blocks);
    expect(texts[0]).toBe("Hello Ana Ruiz");
    expect(texts.some((t) => t.startsWith("*Umbrella*: Send the quote") && t.includes("*overdue*"))).toBe(true);
  });

  it("ignores the Messages tab", async () => {
    h.fake.reset();
    await h.slack.event(anEventCallback({ type: "app_home_opened", user: ANA.id, channel: "D1", tab: "messages", event_ts: "1700000000.000200" }));
    await sleep(300);
    expect(h.fake.callsTo("views.publish")).toHaveLength(0);
  });

  it("processes an event delivered twice (a Slack retry with the same event_id) once", async () => {
    h.fake.reset();
    const envelope = anEventCallback({ type: "app_home_opened", user: ANA.id, channel: "D1", tab: "home", event_ts: "1700000000.000300" }, { eventId: "EvTWICE" });
    expect((await h.slack.event(envelope)).status).toBe(200);
    await h.fake.waitForCall("views.publish");
    const retry = await h.slack.event(envelope, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    await sleep(500);
    expect(h.fake.callsTo("views.publish")).toHaveLength(1);
    expect(await h.app.db.processedEvent.count({ where: { id: "EvTWICE" } })).toBe(1);
  });

  it("refuses a request with a bad signature with 401 and runs nothing", async () => {
    h.fake.reset();
    const responseUrl = h.fake.responseUrl();
    const res = await h.slack.command({ user_id: ANA.id, text: "help", response_url: responseUrl }, { secret: "not-the-secret" });
    expect(res.status).toBe(401);
    await sleep(300);
    expect(h.fake.calls).toHaveLength(0);
  });

  it("refuses a correctly signed request older than 5 minutes with 401 (replay)", async () => {
    h.fake.reset();
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.slack.command({ user_id: ANA.id, text: "help", response_url: h.fake.responseUrl() }, { timestamp: stale });
    expect(res.status).toBe(401);
    const body = new URLSearchParams(aSlashCommand({ user_id: ANA.id, text: "help", response_url: h.fake.responseUrl() }) as unknown as Record<string, string>).toString();
    const unsigned = await fetch(`${h.app.http.url}/slack/events`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(unsigned.status).toBe(401);
    await sleep(300);
    expect(h.fake.calls).toHaveLength(0);
  });

  it("answers Slack's url_verification challenge", async () => {
    const res = await h.slack.event({ type: "url_verification", token: "t", challenge: "c-123" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "c-123" });
  });
});
