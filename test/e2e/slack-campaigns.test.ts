// Slack end to end: a manager types /crm campaigns, presses New campaign, gets the days out of order refused on the
// field, and the good submission is stored with its channel; an agent gets no button and cannot submit the form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aBlockAction, aViewSubmission, inputState, optionState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, CARL, slashCommandAnswer, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

describe("Slack: campaigns from /crm campaigns", () => {
  let h: SlackHarness;

  const crm = (text: string, user = ANA.id) => slashCommandAnswer(h, text, user);

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.users.set(CARL.id, { email: CARL.email, realName: CARL.realName, tz: CARL.tz });
    await crm("whoami", ANA.id);
    await crm("whoami", CARL.id);
    await h.app.db.user.update({ where: { email: ANA.email }, data: { role: "manager" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("New campaign opens the modal; days out of order come back on the field; the campaign is stored and listed", async () => {
    const empty = await crm("campaigns");
    expect(empty.response_type).toBe("ephemeral");
    expect(blockTexts(empty.blocks).join("\n")).toContain("No campaigns yet.");
    const create = buttonsOf(empty.blocks).find((b) => b.action_id === "campaign.new");
    expect(create).toBeDefined();

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "campaign.new", value: create!.value ?? "", responseUrl: h.fake.responseUrl("new") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("campaign.form");
    const select = modal.blocks.find((b: any) => b.block_id === "channel").element;
    const labels = select.options.map((o: any) => o.text.text);
    expect(labels).toContain("Email");
    expect(labels).not.toContain("Internal");
    const email = select.options.find((o: any) => o.text.text === "Email").value;

    const values = (endsOn: string) => ({ name: inputState("Spring promo"), channel: optionState("static_select", email), startsOn: inputState("2027-01-01"), endsOn: inputState(endsOn) });
    const refused = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "campaign.form", values: values("2026-12-31"), privateMetadata: modal.private_metadata }));
    expect(await refused.json()).toEqual({ response_action: "errors", errors: { endsOn: "The last day (2026-12-31) is before the first day (2027-01-01)." } });
    expect(await h.app.db.campaign.count()).toBe(0);

    const saved = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "campaign.form", values: values("2027-03-31"), privateMetadata: modal.private_metadata }));
    expect(saved.status).toBe(200);
    await waitFor(async () => (await h.app.db.campaign.count()) === 1, 5000);
    const stored = await h.app.db.campaign.findFirstOrThrow({ include: { channel: true, createdBy: true } });
    expect(stored).toMatchObject({ name: "Spring promo", isActive: true, startsOn: new Date("2027-01-01T00:00:00Z"), endsOn: new Date("2027-03-31T00:00:00Z") });
    expect(stored.channel?.code).toBe("email");
    expect(stored.createdBy?.email).toBe(ANA.email);

    const listed = await crm("campaigns");
    expect(blockTexts(listed.blocks).join("\n")).toMatch(/\*Spring promo\* · .* · Email · 2027-01-01 – 2027-03-31/);
    expect(buttonsOf(listed.blocks).map((b) => b.text)).toContain("Close Spring promo");
  });

  it("an agent sees the counts without buttons, and a forged submission of the form is refused", async () => {
    const listed = await crm("campaigns", CARL.id);
    expect(blockTexts(listed.blocks).join("\n")).toContain("*Spring promo*");
    expect(buttonsOf(listed.blocks)).toEqual([]);
    const forged = await h.slack.interaction(aViewSubmission({ userId: CARL.id, callbackId: "campaign.form", values: { name: inputState("Carl's campaign") } }));
    expect(forged.status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === CARL.id && /Only managers and admins can create, edit or close campaigns/.test(JSON.stringify(c.args)));
    expect(await h.app.db.campaign.count({ where: { name: "Carl's campaign" } })).toBe(0);
  });
});
