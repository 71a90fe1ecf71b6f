// Slack end to end: Watch and Add watcher on a case card, the watcher's DM on close, the Edit form's field errors,
// and `/crm admin stage add` — signed requests through the HTTP server, the fake Slack API on the other side.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, inputState } from "../support/slack-requests.js";
import { ANA, blockTexts, startSlackHarness, type SlackHarness } from "./slack-harness.js";

const DEE = { id: "U7", email: "dee@example.com", realName: "Dee Park", tz: "Europe/Lisbon" };

describe("Slack: watchers, the case's other fields, team stages", () => {
  let h: SlackHarness;
  let caseId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.users.set(DEE.id, { email: DEE.email, realName: DEE.realName, tz: DEE.tz });
    for (const who of [ANA, DEE]) {
      await h.slack.command({ user_id: who.id, text: "whoami", response_url: h.fake.responseUrl(`hi-${who.id}`) });
      await h.fake.waitForCall("response_url", (c) => c.args.path === `/response/hi-${who.id}`);
    }
    const ana = await h.app.db.user.update({ where: { email: ANA.email }, data: { role: "admin" } });
    await h.app.db.team.create({ data: { name: "Support", kind: "support", members: { create: [{ userId: ana.id }] } } });
    await h.slack.command({ user_id: ANA.id, text: "case Label printer offline", response_url: h.fake.responseUrl("open") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/open");
    caseId = (await h.app.db.case.findFirstOrThrow({ where: { subject: "Label printer offline" } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("Watch answers privately with the card listing the watcher", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: DEE.id, actionId: "case.watch", value: `${caseId}:0`, responseUrl: h.fake.responseUrl("watch") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/watch");
    expect(answer.args.text).toMatch(/^👀 You are watching CASE-\d{4}/);
    expect(blockTexts(answer.args.blocks).join("\n")).toContain("Watching: Dee Park");
  });

  it("Add watcher opens a form; a bad email is a field error; a good one is stored", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.add-watcher", value: `${caseId}:0`, responseUrl: h.fake.responseUrl("add") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("case.watcher-form");
    const bad = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.watcher-form", values: { email: inputState("buyer at acme") }, privateMetadata: modal.private_metadata }));
    expect(await bad.json()).toEqual({ response_action: "errors", errors: { email: "“buyer at acme” is not an email address (like name@example.com)." } });
    const good = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.watcher-form", values: { email: inputState("buyer@acme.example") }, privateMetadata: modal.private_metadata }));
    expect(good.status).toBe(200);
    expect(await h.app.db.caseWatcher.count({ where: { caseId, email: "buyer@acme.example" } })).toBe(1);
  });

  it("the Edit form reports a bad estimate as a field error", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.edit", value: `${caseId}:0`, responseUrl: h.fake.responseUrl("edit") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.blocks.map((b: any) => b.block_id)).toEqual(expect.arrayContaining(["coordinator", "contact", "estimatedHours", "complexity", "probability"]));
    const res = await h.slack.interaction(
      aViewSubmission({ userId: ANA.id, callbackId: "case.edit-form", values: { subject: inputState("Label printer offline"), estimatedHours: inputState("lots") }, privateMetadata: modal.private_metadata }),
    );
    expect(await res.json()).toEqual({ response_action: "errors", errors: { estimatedHours: "Estimated hours is a number from 0 to 10,000." } });
  });

  it("closing the case sends the watcher a DM", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.close", value: `${caseId}:0`, responseUrl: h.fake.responseUrl("close") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.close-form", values: { resolution: inputState("Replaced the cable") }, privateMetadata: modal.private_metadata }));
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === DEE.id, 15_000);
    expect(dm.args.text).toMatch(/^👀 CASE-\d{4}, which you watch, was closed: Ana Ruiz closed the case: Replaced the cable/);
  });

  it("/crm admin stage add copies the shared stages for the team and says so", async () => {
    await h.slack.command({ user_id: ANA.id, text: 'admin stage add "Triage" --team Support --sequence 2', response_url: h.fake.responseUrl("stage") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/stage");
    expect(answer.args.text).toMatch(/^Stage Triage \(open\) added to Support at place 2\. Support had no stages of its own, so the shared ones were copied to it first/);
  });
});
