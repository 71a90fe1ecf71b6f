import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { aBlockAction, aMessageShortcut, aViewSubmission, dateTimeState, inputState, optionState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";

describe("claims on Slack: open from a message with its files, assign, close", () => {
  let h: SlackHarness;
  let shipmentId: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    const logistics = await h.app.db.team.create({ data: { name: "Logistics", kind: "other", slackChannelId: "CLOG" } });
    shipmentId = (await h.app.db.claimCategory.update({ where: { name: "Shipment" }, data: { teamId: logistics.id } })).id;
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    const ana = await h.app.db.user.findFirstOrThrow({ where: { email: ANA.email } });
    await h.app.db.teamMember.create({ data: { teamId: logistics.id, userId: ana.id } });
    h.fake.files.set("F1PHOTO", { name: "crushed.jpg", mimetype: "image/jpeg", content: Buffer.from("fake jpeg bytes") });
    h.fake.files.set("F2HUGE", { name: "video.mov", mimetype: "video/quicktime", content: Buffer.alloc(11 * 1024 * 1024) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("opens the claim form from a message, keeps the message's files, and posts the card to the team's channel", async () => {
    const shortcut = aMessageShortcut({ userId: ANA.id, callbackId: "claim.from-message", text: "Pallet 4 arrived crushed", responseUrl: h.fake.responseUrl(), channelId: "C7", ts: "1700000000.000100" });
    (shortcut.message as Record<string, unknown>).files = [{ id: "F1PHOTO", name: "crushed.jpg" }, { id: "F2HUGE", name: "video.mov" }];
    expect((await h.slack.interaction(shortcut)).status).toBe(200);
    const open = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === "claim.form");
    const view = open.args.view;
    const link = "https://test.slack.com/archives/C7/p1700000000000100";
    expect(view.title.text).toBe("Claim from message");
    const metadata = JSON.parse(view.private_metadata);
    expect(metadata).toEqual({ sourceLink: link, files: "F1PHOTO,F2HUGE" });
    const byId = Object.fromEntries(view.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.description.initial_value).toBe(`Pallet 4 arrived crushed\n\nFrom: ${link}`);

    const submit = aViewSubmission({
      userId: ANA.id,
      callbackId: "claim.form",
      privateMetadata: view.private_metadata,
      values: {
        kind: optionState("radio_buttons", "customer"),
        subject: inputState("Pallet 4 arrived crushed"),
        partner: optionState("external_select", "new:Acme Corp"),
        category: optionState("static_select", shipmentId),
        sourceDocument: inputState("SO123"),
        responsible: optionState("external_select", null),
        deadline: dateTimeState(null),
        priority: optionState("static_select", "high"),
        description: inputState(byId.description.initial_value),
      },
    });
    const res = await h.slack.interaction(submit);
    expect(res.status).toBe(200);
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /CLM-\d{4}/.test(c.args.text ?? ""));
    expect(dm.args.text).toMatch(/Claim CLM-\d{4} \(New\): Acme Corp — Pallet 4 arrived crushed/);
    const claim = await h.app.db.claim.findFirstOrThrow({ where: { subject: "Pallet 4 arrived crushed" } });
    expect(claim).toMatchObject({ sourceLink: link, sourceDocument: "SO123", priority: "high" });

    // The files are fetched with the bot token; the one over 10 MB is skipped with a note.
    await waitFor(async () => (await h.app.db.claimAttachment.count({ where: { claimId: claim.id } })) === 1, 10_000);
    const download = h.fake.callsTo("file_download");
    expect(download.map((c) => [c.args.id, c.token])).toEqual([["F1PHOTO", "xoxb-test"]]);
    const stored = await h.app.db.claimAttachment.findFirstOrThrow({ where: { claimId: claim.id } });
    expect({ name: stored.fileName, type: stored.contentType, bytes: Buffer.from(stored.content).toString() }).toEqual({ name: "crushed.jpg", type: "image/jpeg", bytes: "fake jpeg bytes" });
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /video\.mov was not kept/.test(JSON.stringify(c.args.blocks)));

    // The channel card, later updated in place with the file listed.
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === "CLOG" && c.args.text?.includes("Pallet 4 arrived crushed"));
    const updated = await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CLOG" && blockTexts(c.args.blocks).some((t) => t.includes("crushed.jpg")));
    expect(blockTexts(updated.args.blocks).join("\n")).toMatch(/crushed\.jpg \(15 B\)/);
  });

  it("starts and closes the claim from the card's buttons; a second Close acts once", async () => {
    const claim = await h.app.db.claim.findFirstOrThrow({ where: { subject: "Pallet 4 arrived crushed" } });
    const respond = h.fake.responseUrl("start");
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "claim.start", value: `${claim.id}:${claim.version}`, responseUrl: respond }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/start");
    expect(answer.args.text).toMatch(/\(In progress\)/);
    const close = buttonsOf(answer.args.blocks).find((b) => b.action_id === "claim.close")!;
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "claim.close", value: close.value, responseUrl: h.fake.responseUrl() }));
    const modal = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === "claim.close-form");

    const values = { outcome: optionState("radio_buttons", "settled"), resolution: inputState("Sent a new pallet"), rootCause: inputState(null), actionType: optionState("static_select", "corrective") };
    const submit = aViewSubmission({ userId: ANA.id, callbackId: "claim.close-form", privateMetadata: modal.args.view.private_metadata, values });
    const [first, second] = await Promise.all([h.slack.interaction(submit), h.slack.interaction(submit)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await waitFor(async () => (await h.app.db.claim.findUniqueOrThrow({ where: { id: claim.id } })).state === "settled", 5000);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /out of date/.test(JSON.stringify(c.args.blocks)));
    expect(await h.app.db.timelineEntry.count({ where: { recordId: claim.id, kind: "closed" } })).toBe(1);
    await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CLOG" && /Settled/.test(c.args.text ?? ""));
  });

  it("saves the claim and notes the file when Slack refuses files.info for a missing scope", async () => {
    h.fake.failNext("files.info", { error: "missing_scope" });
    const submit = aViewSubmission({
      userId: ANA.id,
      callbackId: "claim.form",
      privateMetadata: JSON.stringify({ files: "F1PHOTO" }),
      values: { kind: optionState("radio_buttons", "customer"), subject: inputState("Label missing"), priority: optionState("static_select", "low") },
    });
    expect((await h.slack.interaction(submit)).status).toBe(200);
    const claim = await waitForClaim("Label missing");
    await waitFor(async () => (await h.app.db.timelineEntry.count({ where: { recordId: claim.id, kind: "attachment-skipped" } })) === 1, 8000);
    const note = await h.app.db.timelineEntry.findFirstOrThrow({ where: { recordId: claim.id, kind: "attachment-skipped" } });
    expect(note.summary).toBe("F1PHOTO was not kept: Switchboard lacks Slack's files:read permission (an admin must re-install the app).");
    expect(await h.app.db.claimAttachment.count({ where: { claimId: claim.id } })).toBe(0);
  });

  async function waitForClaim(subject: string) {
    await waitFor(async () => (await h.app.db.claim.count({ where: { subject } })) === 1, 5000);
    return h.app.db.claim.findFirstOrThrow({ where: { subject } });
  }

  it("shows the partner's history with /crm customer", async () => {
    await h.slack.command({ user_id: ANA.id, text: "customer acme", response_url: h.fake.responseUrl("customer") });
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/customer");
    expect(answer.args.text).toBe("Acme Corp: 0 open cases, 0 open claims, 0 recent calls");
    expect(buttonsOf(answer.args.blocks).map((b) => b.action_id)).toEqual(["customer.cases", "customer.claims", "customer.calls"]);
  });
});
