// Slack end to end: request a merge from an opportunity card, the manager approves from the DM card (updated in place),
// a second click changes nothing; and the reject path, which asks for a reason and tells the requester.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchKeys } from "../../src/domain/leads.js";
import { aBlockAction, aViewSubmission, inputState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

const MIA = { id: "U5", email: "mia@example.com", realName: "Mia Lund", tz: "Europe/Stockholm" };

const checkboxState = (values: string[]) => ({ type: "checkboxes", selected_options: values.map((value) => ({ text: { type: "plain_text", text: value }, value })) });

describe("Slack: merge with a manager's approval", () => {
  let h: SlackHarness;
  let salesId: string;
  let seq = 0;

  async function meet(user: typeof ANA) {
    h.fake.users.set(user.id, { email: user.email, realName: user.realName, tz: user.tz });
    await h.slack.command({ user_id: user.id, text: "whoami", response_url: h.fake.responseUrl(`hello-${user.id}`) });
    await h.fake.waitForCall("response_url", (c) => c.args.path === `/response/hello-${user.id}`);
    return h.app.db.user.findUniqueOrThrow({ where: { email: user.email } });
  }

  async function twoDuplicates() {
    seq += 1;
    const stage = await h.app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const email = `buyer${seq}@initech${seq}.test`;
    const make = (title: string, extra: { phone?: string } = {}) =>
      h.app.db.lead.create({ data: { title, type: "opportunity", email, phone: extra.phone ?? null, ...matchKeys({ email, phone: extra.phone }), teamId: salesId, stageId: stage.id, probability: stage.probability } });
    return [await make(`Initech ${seq} seats`), await make(`Initech ${seq} renewal`, { phone: "+1 555 0100" })] as const;
  }

  async function requestMerge(leadId: string, version: number, label: string) {
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "lead.merge", value: `${leadId}:${version}`, responseUrl: h.fake.responseUrl(label) }));
    return (await h.fake.waitForCall("views.open")).args.view;
  }

  beforeAll(async () => {
    h = await startSlackHarness();
    const ana = await meet(ANA);
    const mia = await meet(MIA);
    await h.app.db.user.update({ where: { id: mia.id }, data: { role: "manager" } });
    salesId = (await h.app.db.team.create({ data: { name: "Sales", kind: "sales", managerId: mia.id, members: { create: [{ userId: ana.id }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("request → approve from the DM card → the card updates in place and a second click changes nothing", async () => {
    const [older, newer] = await twoDuplicates();
    h.fake.reset();
    const modal = await requestMerge(older.id, 0, "merge");
    expect(modal.callback_id).toBe("merge.request-form");
    const records = modal.blocks.find((b: any) => b.block_id === "leadIds").element;
    expect(records.type).toBe("checkboxes");
    expect(records.initial_options.map((o: any) => o.value)).toEqual([older.id, newer.id]);

    const submitted = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "merge.request-form", values: { leadIds: checkboxState([older.id, newer.id]), reason: inputState("Same buyer twice") }, privateMetadata: modal.private_metadata }));
    expect(submitted.status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /sent for approval/.test(c.args.text));
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === MIA.id);
    expect(blockTexts(dm.args.blocks).join("\n")).toContain("Same buyer twice");
    const approve = buttonsOf(dm.args.blocks).find((b) => b.action_id === "merge.approve")!;
    const request = await h.app.db.mergeRequest.findFirstOrThrow({ where: { items: { some: { leadId: older.id } } } });
    expect(approve.value).toBe(`${request.id}:0`);
    await waitFor(async () => (await h.app.db.outbox.count({ where: { subjectKey: `merge:${request.id}`, state: "sent" } })) === 1, 5000);

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: MIA.id, actionId: "merge.approve", value: approve.value, responseUrl: h.fake.responseUrl("approve") }));
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/approve");
    expect(answer.args.text).toMatch(/^MRG-\d{4} was approved by Mia Lund/);
    const updated = await h.fake.waitForCall("chat.update", (c) => /was approved by Mia Lund/.test(c.args.text));
    expect(buttonsOf(updated.args.blocks).map((b) => b.action_id)).toEqual(["lead.open"]);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /was approved by Mia Lund/.test(c.args.text));
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ mergedIntoId: older.id, isOpen: false });
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({ phone: "+1 555 0100", version: 1 });

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: MIA.id, actionId: "merge.approve", value: approve.value, responseUrl: h.fake.responseUrl("again") }));
    const again = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/again");
    expect(again.args.text).toMatch(/^MRG-\d{4} was already approved by Mia Lund at .*; nothing was changed\./);
    expect(await h.app.db.timelineEntry.count({ where: { recordType: "lead", recordId: older.id, kind: "merged" } })).toBe(1);
    expect((await h.app.db.lead.findUniqueOrThrow({ where: { id: older.id } })).version).toBe(1);
  });

  it("reject asks for a reason and tells the requester; nothing is merged", async () => {
    const [older, newer] = await twoDuplicates();
    h.fake.reset();
    const modal = await requestMerge(older.id, 0, "merge2");
    await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "merge.request-form", values: { leadIds: checkboxState([older.id, newer.id]), reason: inputState("Looks the same") }, privateMetadata: modal.private_metadata }));
    const dm = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === MIA.id);
    const reject = buttonsOf(dm.args.blocks).find((b) => b.action_id === "merge.reject")!;

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: MIA.id, actionId: "merge.reject", value: reject.value, responseUrl: h.fake.responseUrl("reject") }));
    const form = (await h.fake.waitForCall("views.open")).args.view;
    expect(form.callback_id).toBe("merge.reject-form");
    const empty = await h.slack.interaction(aViewSubmission({ userId: MIA.id, callbackId: "merge.reject-form", values: { reason: inputState(null) }, privateMetadata: form.private_metadata }));
    expect(await empty.json()).toEqual({ response_action: "errors", errors: { reason: "Say why the merge is rejected; the requester is told." } });
    await h.slack.interaction(aViewSubmission({ userId: MIA.id, callbackId: "merge.reject-form", values: { reason: inputState("Two different deals") }, privateMetadata: form.private_metadata }));
    const told = await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /was rejected by Mia Lund/.test(c.args.text));
    expect(blockTexts(told.args.blocks).join("\n")).toContain("Two different deals");
    expect(await h.app.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ mergedIntoId: null, isOpen: true });
  });
});
