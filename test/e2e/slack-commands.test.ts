import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANA, BOB, blockTexts, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";
import { aBlockAction } from "../support/slack-requests.js";

describe("the /crm slash command on Slack", () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function crm(text: string, user = ANA.id) {
    const responseUrl = h.fake.responseUrl();
    const started = Date.now();
    const res = await h.slack.command({ user_id: user, text, response_url: responseUrl });
    return { res, started, responseUrl, answer: () => h.fake.waitForCall("response_url", (c) => responseUrl.endsWith(c.args.path)) };
  }

  it("acks at once with an empty 200 and answers /crm help privately with the command list", async () => {
    const { res, answer } = await crm("help");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const { args } = await answer();
    expect(args.response_type).toBe("ephemeral");
    expect(args.replace_original).toBe(false);
    const texts = blockTexts(args.blocks).join("\n");
    expect(texts).toContain("Switchboard commands");
    expect(texts).toContain("*/crm call*");
    expect(texts).toContain("*/crm whoami*");
    expect(texts).not.toContain("/crm admin");
  });

  it("answers an unknown subcommand with the help and the closest command", async () => {
    const { answer } = await crm("whoam");
    const { args } = await answer();
    expect(args.response_type).toBe("ephemeral");
    expect(args.text).toBe("Unknown command “whoam”. Did you mean /crm whoami?");
    expect(blockTexts(args.blocks)[0]).toBe("I don't know `whoam`. Did you mean `/crm whoami`?");
  });

  it("/crm whoami shows the person Switchboard created from the Slack profile", async () => {
    const { answer } = await crm("whoami");
    const { args } = await answer();
    const texts = blockTexts(args.blocks);
    expect(texts).toContain("Ana Ruiz");
    expect(texts).toContain("*Email*\nana@example.com");
    expect(texts).toContain("*Time zone*\nEurope/Berlin");
    const user = await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } });
    expect(user).toMatchObject({ slackTeamId: "T1", slackUserId: ANA.id, timeZone: "Europe/Berlin", role: "agent" });
  });

  it("looks a person up with users.info on first contact only", async () => {
    await (await crm("help")).answer();
    const lookups = h.fake.callsTo("users.info").filter((c) => c.args.user === ANA.id);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.token).toBe("xoxb-test");
  });

  it("logs `call Acme Corp: discussed renewal, 20m` as a held call and answers with the card", async () => {
    const acme = await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    const { answer } = await crm("call Acme Corp: discussed renewal, 20m");
    const { args } = await answer();
    expect(args.response_type).toBe("ephemeral");
    expect(args.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Call with Acme Corp" } });
    expect(blockTexts(args.blocks)).toContain("*discussed renewal*");
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { partnerId: acme.id } });
    expect(call).toMatchObject({ state: "held", direction: "outbound", subject: "discussed renewal", durationMinutes: 20 });
    expect(buttonsOf(args.blocks)).toEqual([
      { action_id: "call.to-opportunity", value: `${call.id}:0`, text: "Create opportunity" },
      { action_id: "meeting.new-for", value: `call:${call.id}`, text: "Schedule meeting" },
      { action_id: "call.follow-up", value: call.id, text: "Schedule follow-up" },
      { action_id: "call.edit", value: call.id, text: "Edit" },
    ]);
  });

  it("offers to create an unknown partner, and the button creates the partner and the call", async () => {
    const text = "call Globex: asked about pricing, 1h";
    const { answer } = await crm(text);
    const { args } = await answer();
    expect(args.text).toBe("No partner is called “Globex” yet.");
    const [create] = buttonsOf(args.blocks);
    expect(create).toEqual({ action_id: "call.quick-create-partner", value: "Globex: asked about pricing, 1h", text: "Create “Globex”" });
    expect(await h.app.db.partner.count({ where: { name: "Globex" } })).toBe(0);

    const responseUrl = h.fake.responseUrl();
    const res = await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: create!.action_id, value: create!.value, responseUrl }));
    expect(res.status).toBe(200);
    const card = await h.fake.waitForCall("response_url", (c) => responseUrl.endsWith(c.args.path));
    expect(card.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(card.args.blocks[0].text.text).toBe("Call with Globex");
    const partner = await h.app.db.partner.findFirstOrThrow({ where: { name: "Globex" } });
    const call = await h.app.db.phoneCall.findFirstOrThrow({ where: { partnerId: partner.id } });
    expect(call).toMatchObject({ subject: "asked about pricing", durationMinutes: 60, state: "held" });
  });

  it("/crm call opens the call form with views.open within 3 seconds of the request", async () => {
    const { res, started } = await crm("call");
    expect(res.status).toBe(200);
    const open = await h.fake.waitForCall("views.open", () => true, 3000);
    expect(open.at - started).toBeLessThan(3000);
    expect(open.args.trigger_id).toMatch(/^\d+\.[0-9a-f]+$/);
    const view = open.args.view;
    expect(view).toMatchObject({ type: "modal", callback_id: "call.form", title: { type: "plain_text", text: "Log a call" }, submit: { type: "plain_text", text: "Save" } });
    expect(view.blocks.map((b: any) => b.block_id)).toEqual(["direction", "state", "partner", "contactPhone", "subject", "notes", "durationMinutes", "callAt"]);
    expect(view.blocks.find((b: any) => b.block_id === "partner").element).toMatchObject({ type: "external_select", action_id: "search:partners", min_query_length: 0 });
    expect(JSON.parse(view.private_metadata)).toEqual({});
  });

  it("refuses a person from a domain that is not allowed, clearly, and stores nothing", async () => {
    const { answer } = await crm("whoami", BOB.id);
    const { args } = await answer();
    expect(args.response_type).toBe("ephemeral");
    expect(args.text).toContain("Switchboard is not open to bob@other.org");
    expect(args.text).toContain("example.com");
    expect(await h.app.db.user.count({ where: { email: BOB.email } })).toBe(0);
  });

  it("answers an unexpected failure with a short apology and a reference, not silence", async () => {
    h.fake.failNext("views.open", { status: 500 }, 3);
    const { answer } = await crm("call");
    const { args } = await answer();
    expect(args.response_type).toBe("ephemeral");
    expect(args.text).toMatch(/^Sorry, something went wrong on our side\. .* reference: [0-9a-f]{8}\.$/);
  });

  it("tells the person to wait when Slack rate-limits the answer", async () => {
    h.fake.failNext("views.open", { status: 429, retryAfterSeconds: 12 });
    const { answer } = await crm("call");
    const { args } = await answer();
    expect(args.text).toMatch(/^Slack asked Switchboard to slow down\. Try again in 12 seconds\./);
  });
});
