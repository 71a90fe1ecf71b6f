import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/jobs/transport.js";
import { ANA, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { anEventCallback } from "../support/slack-requests.js";

describe("Slack OAuth: installing in many workspaces", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_BOT_TOKEN: "", SLACK_CLIENT_ID: "111.222", SLACK_CLIENT_SECRET: "client-secret", SLACK_STATE_SECRET: "state-secret" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function install(): Promise<Response> {
    const start = await fetch(`${h.app.http.url}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin + authorize.pathname).toBe("https://slack.com/oauth/v2/authorize");
    expect(authorize.searchParams.get("scope")).toBe("commands,chat:write,chat:write.public,im:write,users:read,users:read.email,files:read,channels:history,groups:history");
    const state = authorize.searchParams.get("state")!;
    const cookie = start.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    return fetch(`${h.app.http.url}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: "manual" });
  }

  it("stores the installation after the OAuth redirect", async () => {
    const done = await install();
    expect(done.status).toBeLessThan(400);
    const access = h.fake.callsTo("oauth.v2.access")[0]!;
    expect(access.args.code).toBe("the-code");
    const row = await h.app.db.slackInstallation.findUniqueOrThrow({ where: { id: "T2" } });
    expect(row).toMatchObject({ teamId: "T2", botToken: "xoxb-installed", botUserId: "UBOT", isEnterpriseInstall: false });
  });

  it("refuses a redirect whose state was not issued by us", async () => {
    const res = await fetch(`${h.app.http.url}/slack/oauth_redirect?code=x&state=forged`, { redirect: "manual" });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("answers a workspace's requests with that workspace's token", async () => {
    h.fake.reset();
    const responseUrl = h.fake.responseUrl();
    const res = await h.slack.command({ team_id: "T2", user_id: ANA.id, text: "whoami", response_url: responseUrl });
    expect(res.status).toBe(200);
    await h.fake.waitForCall("response_url", (c) => responseUrl.endsWith(c.args.path));
    expect(h.fake.callsTo("users.info")[0]!.token).toBe("xoxb-installed");
  });

  it("delivers outbox messages with the installation's token, and permanently fails for a workspace without one", async () => {
    const transport = h.app.surfaces.slack!.transport;
    await transport.deliver({ id: "o1", target: ANA.id, scope: "T2", view: { text: "hi", blocks: [] } });
    expect(h.fake.callsTo("chat.postMessage").at(-1)!.token).toBe("xoxb-installed");
    const error = await transport.deliver({ id: "o2", target: ANA.id, scope: "T404", view: { text: "hi", blocks: [] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).opts.isPermanent).toBe(true);
  });

  it("deletes the installation when the app is uninstalled", async () => {
    const res = await h.slack.event(anEventCallback({ type: "app_uninstalled", event_ts: "1700000000.000100" }, { teamId: "T2" }));
    expect(res.status).toBe(200);
    const deadline = Date.now() + 3000;
    while ((await h.app.db.slackInstallation.count({ where: { id: "T2" } })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await h.app.db.slackInstallation.count({ where: { id: "T2" } })).toBe(0);
  });

  it("deletes the installation when its bot token is revoked", async () => {
    await install();
    expect(await h.app.db.slackInstallation.count({ where: { id: "T2" } })).toBe(1);
    await h.slack.event(anEventCallback({ type: "tokens_revoked", tokens: { bot: ["UBOT"] }, event_ts: "1700000000.000200" }, { teamId: "T2" }));
    const deadline = Date.now() + 3000;
    while ((await h.app.db.slackInstallation.count({ where: { id: "T2" } })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await h.app.db.slackInstallation.count({ where: { id: "T2" } })).toBe(0);
  });
});
