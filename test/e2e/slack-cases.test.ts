// Slack end to end: open a case from a message shortcut, its card in the team channel, Assign to me, Close.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aMessageShortcut, aViewSubmission, inputState, optionState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: cases", () => {
  let h: SlackHarness;
  let supportId: string;
  let caseId: string;
  let channelTs: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    const ana = await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } });
    supportId = (await h.app.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT", members: { create: [{ userId: ana.id }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("opens the case form from a message shortcut with the message and its permalink as the description", async () => {
    h.fake.reset();
    const text = "The label printer in the warehouse prints blank labels";
    const res = await h.slack.interaction(aMessageShortcut({ userId: ANA.id, callbackId: "case.from-message", text, responseUrl: h.fake.responseUrl(), channelId: "C7", ts: "1700000000.000100" }));
    expect(res.status).toBe(200);
    const view = (await h.fake.waitForCall("views.open")).args.view;
    const link = "https://test.slack.com/archives/C7/p1700000000000100";
    expect(view.title.text).toBe("Open case from message");
    expect(view.callback_id).toBe("case.form");
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.subject.initial_value).toBe(text);
    expect(byId.description.initial_value).toBe(`${text}\n\nFrom: ${link}`);
    expect(byId.team.initial_option.value).toBe(supportId);
    expect(byId.assignee.action_id).toBe("search:users");
    expect(JSON.parse(view.private_metadata)).toEqual({ sourceLink: link, sourceChannel: "C7", sourceTs: "1700000000.000100" });
  });

  it("stores the submitted case with its source and posts the card to the team's channel", async () => {
    h.fake.reset();
    const link = "https://test.slack.com/archives/C7/p1700000000000100";
    const values = {
      subject: inputState("Label printer prints blank labels"),
      description: inputState("Warehouse, since this morning"),
      team: optionState("static_select", supportId),
      priority: optionState("static_select", "high"),
      internal: optionState("radio_buttons", "no"),
    };
    const metadata = JSON.stringify({ sourceLink: link, sourceChannel: "C7", sourceTs: "1700000000.000100" });
    const res = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.form", values, privateMetadata: metadata }));
    expect(res.status).toBe(200);
    const c = await h.app.db.case.findFirstOrThrow({ where: { subject: "Label printer prints blank labels" } });
    caseId = c.id;
    expect(c).toMatchObject({ teamId: supportId, priority: "high", sourceLink: link, sourceChannel: "C7", sourceTs: "1700000000.000100", version: 0 });
    const posted = await h.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CSUPPORT");
    expect(blockTexts(posted.args.blocks)[0]).toMatch(/^CASE-\d{4}: Label printer prints blank labels$/);
    expect(buttonsOf(posted.args.blocks).map((b) => b.action_id)).toEqual(["case.assign-me", "case.reassign", "case.stage", "case.edit", "case.change-type", "case.log-time", "case.link-contract", "meeting.new-for", "case.note", "case.email", "case.escalate", "case.close", "case.watch", "case.unwatch", "case.add-watcher"]);
    expect(buttonsOf(posted.args.blocks)[0]!.value).toBe(`${c.id}:0`);
    // The outbox records the posted message's reference once the post returns.
    await waitFor(async () => (await h.app.db.outbox.count({ where: { subjectKey: `case:${c.id}`, state: "sent" } })) === 1, 5000);
    const row = await h.app.db.outbox.findFirstOrThrow({ where: { subjectKey: `case:${c.id}`, state: "sent" } });
    expect(row.messageRef).toMatch(/^CSUPPORT:/);
    channelTs = row.messageRef!.split(":")[1]!;
  });

  it("Assign to me answers the person and updates the channel card in place", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.assign-me", value: `${caseId}:0`, responseUrl: h.fake.responseUrl("assign") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/assign");
    expect(answer.args.text).toMatch(/is now assigned to you/);
    const update = await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CSUPPORT");
    expect(update.args.ts).toBe(channelTs);
    expect(blockTexts(update.args.blocks)).toContain("*Assignee*\nAna Ruiz");
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "CSUPPORT")).toHaveLength(0);
  });

  it("Close asks for the resolution, closes once, and a second submit of the same form says it is already closed", async () => {
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.close", value: `${caseId}:1`, responseUrl: h.fake.responseUrl("close") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("case.close-form");
    expect(JSON.parse(modal.private_metadata)).toEqual({ caseId, version: "1" });

    const empty = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.close-form", values: { resolution: inputState(null) }, privateMetadata: modal.private_metadata }));
    expect(await empty.json()).toEqual({ response_action: "errors", errors: { resolution: "Say how the case was resolved." } });

    const submit = () => h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "case.close-form", values: { resolution: inputState("Cleaned the print head") }, privateMetadata: modal.private_metadata }));
    expect((await submit()).status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /is closed/.test(c.args.text));
    await submit();
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /already closed/.test(c.args.text));
    const c = await h.app.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { stage: true } });
    expect(c).toMatchObject({ isOpen: false, resolution: "Cleaned the print head", progress: 100, version: 2, stage: { name: "Completed" } });
    expect(await h.app.db.timelineEntry.count({ where: { recordType: "case", recordId: caseId, kind: "closed" } })).toBe(1);
    const update = await h.fake.waitForCall("chat.update", (call) => call.args.channel === "CSUPPORT" && buttonsOf(call.args.blocks).some((b) => b.action_id === "case.reopen"));
    expect(update.args.ts).toBe(channelTs);
  });

  it("lists my open cases with /crm cases", async () => {
    await h.slack.command({ user_id: ANA.id, text: "case Lost the VPN token !urgent", response_url: h.fake.responseUrl("quick") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/quick");
    const c = await h.app.db.case.findFirstOrThrow({ where: { subject: "Lost the VPN token" } });
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.assign-me", value: `${c.id}:0`, responseUrl: h.fake.responseUrl("take") }));
    await h.fake.waitForCall("response_url", (call) => call.args.path === "/response/take");
    await h.slack.command({ user_id: ANA.id, text: "cases", response_url: h.fake.responseUrl("list") });
    const list = await h.fake.waitForCall("response_url", (call) => call.args.path === "/response/list");
    expect(list.args.text).toBe("Your open cases: 1");
    expect(blockTexts(list.args.blocks).join("\n")).toContain("Lost the VPN token");
  });

  it("Escalate moves the case to the parent team: level up, card in its channel, DM to its manager; the stale button changes nothing", async () => {
    // Support's parent team "Support L2" has its own channel and a manager, Mia, who has used Switchboard from Slack.
    const MIA = { id: "U5", email: "mia@example.com", realName: "Mia Lund", tz: "Europe/Stockholm" };
    h.fake.users.set(MIA.id, { email: MIA.email, realName: MIA.realName, tz: MIA.tz });
    await h.slack.command({ user_id: MIA.id, text: "whoami", response_url: h.fake.responseUrl("mia") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/mia");
    const mia = await h.app.db.user.findUniqueOrThrow({ where: { email: MIA.email } });
    const l2 = await h.app.db.team.create({ data: { name: "Support L2", kind: "support", slackChannelId: "CL2", managerId: mia.id } });
    await h.app.db.team.update({ where: { id: supportId }, data: { parentId: l2.id } });

    await h.slack.command({ user_id: ANA.id, text: "case Scanner firmware bricked", response_url: h.fake.responseUrl("open") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/open");
    const c = await h.app.db.case.findFirstOrThrow({ where: { subject: "Scanner firmware bricked" } });
    expect(c).toMatchObject({ teamId: supportId, level: 0, version: 0 });
    // Deliveries to one channel are paced (one a second), so the earlier tests' cards may still be ahead of this one.
    await waitFor(async () => (await h.app.db.outbox.count({ where: { subjectKey: `case:${c.id}`, state: "sent" } })) === 1, 15_000);

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.escalate", value: `${c.id}:0`, responseUrl: h.fake.responseUrl("escalate") }));
    const answer = await h.fake.waitForCall("response_url", (call) => call.args.path === "/response/escalate");
    expect(answer.args.text).toMatch(/^CASE-\d{4} escalated to Support L2 \(level 10\)\./);
    expect(await h.app.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: l2.id, assigneeId: mia.id, level: 10, version: 1 });
    expect(await h.app.db.timelineEntry.findFirstOrThrow({ where: { recordType: "case", recordId: c.id, kind: "escalated" } })).toMatchObject({ summary: "Escalated to Support L2: by Ana Ruiz" });

    // The parent team's channel gets the card, Mia gets a direct message saying why; Support's card is updated in place.
    const posted = await h.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CL2");
    expect(blockTexts(posted.args.blocks)[0]).toMatch(/^CASE-\d{4}: Scanner firmware bricked$/);
    expect(blockTexts(posted.args.blocks)).toContain("*Assignee*\nMia Lund");
    const dm = await h.fake.waitForCall("chat.postMessage", (call) => call.args.channel === MIA.id);
    expect(dm.args.text).toMatch(/^Escalated to Support L2: by Ana Ruiz — /);
    expect(blockTexts(dm.args.blocks).join("\n")).toContain("Scanner firmware bricked");
    await h.fake.waitForCall("chat.update", (call) => call.args.channel === "CSUPPORT");

    // The same (now stale) button again: a clear answer, and nothing moves, rises or is sent.
    const outboxBefore = await h.app.db.outbox.count();
    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.escalate", value: `${c.id}:0`, responseUrl: h.fake.responseUrl("again") }));
    const again = await h.fake.waitForCall("response_url", (call) => call.args.path === "/response/again");
    expect(again.args.text).toMatch(/changed since this card was shown .*nothing was done/);
    expect(await h.app.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: l2.id, assigneeId: mia.id, level: 10, version: 1 });
    expect(await h.app.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "escalated" } })).toBe(1);
    expect(await h.app.db.outbox.count()).toBe(outboxBefore);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
  }, 60_000);
});
