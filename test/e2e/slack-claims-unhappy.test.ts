// Slack end to end, the unhappy paths of claims and the message shortcuts: wrong person, malformed and oversized requests, long messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { aBlockAction, aMessageShortcut } from "../support/slack-requests.js";

/** Carl may join (example.com) but is in no team, so he may not change a claim routed to Logistics. */
const CARL = { id: "U3", email: "carl@example.com", realName: "Carl Berg", tz: "UTC" };

describe("claims and cases on Slack: what is refused", () => {
  let h: SlackHarness;
  let claim: { id: string; version: number };

  beforeAll(async () => {
    h = await startSlackHarness();
    h.fake.users.set(CARL.id, { email: CARL.email, realName: CARL.realName, tz: CARL.tz });
    const logistics = await h.app.db.team.create({ data: { name: "Logistics", kind: "other", slackChannelId: "CLOG" } });
    const partner = await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("ana") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/ana");
    const ana = await h.app.db.user.findFirstOrThrow({ where: { email: ANA.email } });
    await h.app.db.teamMember.create({ data: { teamId: logistics.id, userId: ana.id } });
    claim = await h.app.db.claim.create({
      data: { kind: "customer", subject: "Pallet crushed", partnerId: partner.id, teamId: logistics.id, responsibleId: ana.id, createdById: ana.id },
    });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses Start on a claim card pressed by someone outside the claim's team, and changes nothing", async () => {
    const respond = h.fake.responseUrl("carl-start");
    expect((await h.slack.interaction(aBlockAction({ userId: CARL.id, actionId: "claim.start", value: `${claim.id}:${claim.version}`, responseUrl: respond }))).status).toBe(200);
    const answer = await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/carl-start");
    expect(JSON.stringify(answer.args)).toMatch(/Only the claim's responsible, its team and the team's manager/);
    const after = await h.app.db.claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect({ state: after.state, version: after.version }).toEqual({ state: "new", version: claim.version });
    expect(await h.app.db.timelineEntry.count({ where: { recordId: claim.id } })).toBe(0);
  });

  it("answers a malformed interactivity payload with 400 and keeps serving", async () => {
    const res = await h.slack.post("payload=%7Bnot-json", "application/x-www-form-urlencoded");
    expect(res.status).toBe(400);
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("after-bad") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/after-bad");
  });

  it("refuses an oversized claim shortcut payload with 413 and opens no form", async () => {
    const opened = h.fake.callsTo("views.open").length;
    const shortcut = aMessageShortcut({ userId: ANA.id, callbackId: "claim.from-message", text: "x".repeat(1024 * 1024 + 10), responseUrl: h.fake.responseUrl() });
    expect((await h.slack.interaction(shortcut)).status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fake.callsTo("views.open").length).toBe(opened);
  });

  it("opens the case form from a very long message with the description cut to what Slack accepts", async () => {
    const shortcut = aMessageShortcut({ userId: ANA.id, callbackId: "case.from-message", text: "long ".repeat(40_000), responseUrl: h.fake.responseUrl() });
    expect((await h.slack.interaction(shortcut)).status).toBe(200);
    const open = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === "case.form");
    const description = open.args.view.blocks.find((b: any) => b.block_id === "description");
    expect(description.element.initial_value.length).toBeLessThanOrEqual(3000);
    expect(description.element.initial_value.length).toBeLessThanOrEqual(description.element.max_length);
    expect(description.element.initial_value).toMatch(/^long long /);
    expect(JSON.parse(open.args.view.private_metadata)).toMatchObject({ sourceLink: "https://test.slack.com/archives/C1/p1700000000000100" });
  });
});
