import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueNotification } from "../../src/db/outbox.js";
import { notice } from "../../src/bot/views/view.js";
import { waitFor } from "../support/wait-for.js";
import { startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("a Slack API outage", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => h?.stop());

  it("loses no notification, and they arrive in order once Slack recovers", async () => {
    // Slack answers 500 three times, then 429 (Retry-After 1 s) twice, then recovers.
    h.fake.failNext("chat.postMessage", { status: 500 }, 3);
    h.fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 }, 2);
    for (const n of [1, 2, 3]) {
      await h.app.db.$transaction((tx) => enqueueNotification(tx, { channel: "slack", target: "C0UTAGE", scope: "T1", view: notice(`notification ${n}`) }));
      await new Promise((r) => setTimeout(r, 5)); // distinct createdAt: the order is the order of writing
    }
    await waitFor(async () => (await h.app.db.outbox.count({ where: { target: "C0UTAGE", state: "sent" } })) === 3, 90_000, 250);

    const attempts = h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0UTAGE").map((c) => String(c.args.text));
    expect(attempts.length).toBeGreaterThanOrEqual(3 + 5); // every failure was retried
    const order = attempts.filter((text, i) => text !== attempts[i - 1]);
    expect(order).toEqual(["notification 1", "notification 2", "notification 3"]);
    expect(await h.app.db.outbox.count({ where: { target: "C0UTAGE", state: { not: "sent" } } })).toBe(0);
  }, 120_000);
});
