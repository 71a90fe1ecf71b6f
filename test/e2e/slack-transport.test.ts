import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError, type Transport } from "../../src/jobs/transport.js";
import { notice } from "../../src/bot/views/view.js";
import { ANA, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("the Slack transport for outbox delivery", () => {
  let h: SlackHarness;
  let transport: Transport;
  const view = { text: "A planned call is due", blocks: [{ type: "text" as const, text: "⏰ *A planned call is due now.*" }] };

  beforeAll(async () => {
    h = await startSlackHarness();
    transport = h.app.surfaces.slack!.transport;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }

  it("posts to a user id (into the app DM) and returns the message reference Slack gives", async () => {
    const { messageRef } = await transport.deliver({ id: "o1", target: ANA.id, scope: "T1", view });
    const post = h.fake.callsTo("chat.postMessage").at(-1)!;
    expect(post.token).toBe("xoxb-test");
    expect(post.args).toMatchObject({ channel: ANA.id, text: "A planned call is due", blocks: [{ type: "section", text: { type: "mrkdwn", text: "⏰ *A planned call is due now.*" } }] });
    expect(messageRef).toMatch(/^D1:\d+\.\d{6}$/);
  });

  it("updates a message in place when given its reference", async () => {
    const { messageRef } = await transport.deliver({ id: "o2", target: "C5", scope: "T1", view });
    const [channel, ts] = messageRef!.split(":");
    const again = await transport.deliver({ id: "o3", target: "C5", scope: "T1", view: notice("Done: the call was held"), updateRef: messageRef });
    const update = h.fake.callsTo("chat.update").at(-1)!;
    expect(update.args).toMatchObject({ channel, ts, text: "Done: the call was held" });
    expect(again.messageRef).toBe(messageRef);
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.args.text === "Done: the call was held")).toHaveLength(0);
  });

  it("posts a new message when the one to update is gone", async () => {
    h.fake.failNext("chat.update", { error: "message_not_found" });
    const { messageRef } = await transport.deliver({ id: "o4", target: "C5", scope: "T1", view, updateRef: "C5:1700000000.000001" });
    expect(messageRef).toMatch(/^C5:\d+\.\d{6}$/);
    expect(messageRef).not.toBe("C5:1700000000.000001");
  });

  it("turns a 429 into a retryable DeliveryError carrying Retry-After, without waiting or retrying itself", async () => {
    h.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 7 });
    const before = h.fake.callsTo("chat.postMessage").length;
    const started = Date.now();
    const error = await failure(transport.deliver({ id: "o5", target: "C5", scope: "T1", view }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.opts).toEqual({ retryAfterMs: 7000 });
    expect(h.fake.callsTo("chat.postMessage").length - before).toBe(1);
  });

  it("marks channel_not_found as permanent", async () => {
    h.fake.failNext("chat.postMessage", { error: "channel_not_found" });
    const error = await failure(transport.deliver({ id: "o6", target: "C404", scope: "T1", view }));
    expect(error.opts.isPermanent).toBe(true);
    expect(error.message).toContain("channel_not_found");
  });

  it("keeps a server error retryable", async () => {
    h.fake.failNext("chat.postMessage", { status: 500 });
    const error = await failure(transport.deliver({ id: "o7", target: "C5", scope: "T1", view }));
    expect(error.opts.isPermanent).toBeFalsy();
    expect(error.opts.retryAfterMs).toBeUndefined();
  });
});
