import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack in Socket Mode", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness({ SLACK_APP_TOKEN: "xapp-test" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("mounts no HTTP routes and connects with the app token instead", async () => {
    expect(h.app.config.slack.mode).toBe("socket");
    const res = await h.slack.command({ user_id: "U1", text: "help", response_url: h.fake.responseUrl() });
    expect(res.status).toBe(404);
    const open = await h.fake.waitForCall("apps.connections.open");
    expect(open.token).toBe("xapp-test");
  });

  it("still gives the outbox a transport with the bot token", async () => {
    await h.app.surfaces.slack!.transport.deliver({ id: "o1", target: "C1", scope: null, view: { text: "hi", blocks: [] } });
    expect(h.fake.callsTo("chat.postMessage").at(-1)!.token).toBe("xoxb-test");
  });
});
