// `admin channel list|add|on|off` and `admin campaign list|add|close|reopen`: the command line (same engine as
// `npm run admin --`) and /crm admin, with their refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type Who } from "../../src/bot/dispatch.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand, type AdminContext, type AdminResult } from "../../src/handlers/admin/index.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { privateViewOf, readAll } from "../support/replies.js";

const cli: AdminContext = { surface: "cli", invocation: "npm run admin --" };
const slack = { commandPrefix: "/crm " };
const NOW = new Date("2027-02-15T10:00:00Z");
const day = (text: string) => new Date(`${text}T00:00:00.000Z`);

describe("admin channel and campaign commands", () => {
  let h: HandlerHarness;
  let manager: Who;
  let agent: Who;

  async function run(...tokens: string[]): Promise<AdminResult> {
    const plan = planAdminCommand(tokens, cli);
    if (plan.kind !== "run") throw new Error(`not runnable: ${JSON.stringify(plan)}`);
    return performAdminCommand(h.deps, COMMAND_LINE_ACTOR, plan, cli);
  }
  const refusal = (result: AdminResult) => (result.ok ? `ok: ${result.view.text}` : result.message);
  const text = (result: AdminResult) => (result.ok ? result.view.text : `refused: ${result.message}`);
  const chat = (who: Who, line: string) => runCommand(h.deps, who, line, slack).then(privateViewOf);

  beforeAll(async () => {
    h = await handlerHarness({ now: () => NOW });
    manager = await aPerson(h.db, { role: "manager" });
    agent = await aPerson(h.db, { role: "agent" });
  });
  afterAll(async () => h?.close());

  it("lists the seeded channels with their state and counts as JSON data", async () => {
    const email = await h.db.channel.findUniqueOrThrow({ where: { code: "email" } });
    const stageId = (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "open" } })).id;
    await h.db.lead.create({ data: { title: "From a mailing", type: "opportunity", stageId, channelId: email.id } });
    const listed = await run("channel", "list");
    expect(listed.ok && listed.data).toContainEqual({ code: "email", name: "Email", isActive: true, leads: 0, opportunities: 1, cases: 0 });
    expect(listed.ok && listed.data).toContainEqual({ code: "idea", name: "Idea", isActive: false, leads: 0, opportunities: 0, cases: 0 });
    // The bare noun lists too; the command line gets no buttons.
    const bare = await run("channel");
    expect(bare.ok && bare.view.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("adds a channel with its code, refuses a taken name or code, switches it off and on (once)", async () => {
    expect(text(await run("channel", "add", "Trade fair"))).toBe("Channel Trade fair added (code trade-fair), switched on.");
    expect(await h.db.channel.findUniqueOrThrow({ where: { code: "trade-fair" } })).toMatchObject({ name: "Trade fair", isActive: true });
    expect(refusal(await run("channel", "add", "TRADE FAIR"))).toBe("A channel named Trade fair already exists.");
    expect(refusal(await run("channel", "add", "trade_fair"))).toBe("The channel Trade fair already has the code trade-fair; choose a name that differs in more than punctuation or case.");
    expect(refusal(await run("channel", "add", "x".repeat(51)))).toBe("A channel name has at most 50 characters.");

    expect(text(await run("channel", "off", "trade-fair"))).toBe("Channel Trade fair switched off.");
    expect(await run("channel", "off", "Trade fair")).toMatchObject({ ok: true, data: { changed: false } });
    expect(text(await run("channel", "off", "Trade fair"))).toBe("Channel Trade fair is already switched off.");
    expect(text(await run("channel", "on", "Trade fair"))).toBe("Channel Trade fair switched on.");
    expect(refusal(await run("channel", "on", "Nowhere"))).toMatch(/^there is no channel named Nowhere \(channels: Campaign, Chat, Direct, Email/);
    expect(await h.db.timelineEntry.count({ where: { recordType: "channel", summary: { endsWith: "(from the command line)" } } })).toBe(3);
  });

  it("adds a campaign with its channel and days, refusing a taken name, days out of order, unknown or switched-off channels", async () => {
    expect(text(await run("campaign", "add", "Spring promo", "--channel", "email", "--starts", "2027-01-01", "--ends", "2027-03-31"))).toBe("Campaign Spring promo created on Email, from 2027-01-01 to 2027-03-31.");
    const email = await h.db.channel.findUniqueOrThrow({ where: { code: "email" } });
    expect(await h.db.campaign.findUniqueOrThrow({ where: { name: "Spring promo" } })).toMatchObject({ channelId: email.id, startsOn: day("2027-01-01"), endsOn: day("2027-03-31"), isActive: true, createdById: null });

    expect(refusal(await run("campaign", "add", "spring PROMO"))).toBe("A campaign named Spring promo already exists.");
    expect(refusal(await run("campaign", "add", "Fair", "--starts", "2027-05-10", "--ends", "2027-05-01"))).toBe("--ends: The last day (2027-05-01) is before the first day (2027-05-10).");
    expect(refusal(await run("campaign", "add", "Fair", "--starts", "2027-13-01"))).toBe("--starts: “2027-13-01” is not a day: write it as YYYY-MM-DD, e.g. 2027-01-01.");
    expect(refusal(await run("campaign", "add", "Fair", "--channel", "Internal"))).toBe("--channel: the channel Internal is switched off (switch it on with channel on Internal)");
    expect(refusal(await run("campaign", "add", "Fair", "--channel", "carrier-pigeon"))).toMatch(/^--channel: there is no channel named carrier-pigeon/);
    expect(await h.db.campaign.count({ where: { name: "Fair" } })).toBe(0);

    expect(planAdminCommand(["campaign", "add", "Fair", "--chanel", "email"], cli)).toMatchObject({ kind: "invalid", message: "unknown flag --chanel for campaign add — did you mean --channel?" });
    expect(planAdminCommand(["campain", "list"], cli)).toMatchObject({ kind: "invalid", message: 'unknown admin command "campain" — did you mean campaign?' });
    expect(text(await run("campaign", "add", "Referral drive"))).toBe("Campaign Referral drive created.");
  });

  it("lists campaigns with counts, closes one once, reopens it once", async () => {
    const spring = await h.db.campaign.findUniqueOrThrow({ where: { name: "Spring promo" } });
    const stageId = (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "won" } })).id;
    await h.db.lead.create({ data: { title: "Won it", type: "opportunity", stageId, campaignId: spring.id, wonAt: NOW, isOpen: false, expectedRevenue: 4200 } });
    const listed = await run("campaign", "list");
    expect(listed.ok && listed.data).toContainEqual({ name: "Spring promo", status: "running", channel: "Email", startsOn: "2027-01-01", endsOn: "2027-03-31", leads: 0, opportunities: 1, won: 1, wonRevenue: 4200, openCases: 0, cases: 0 });

    expect(text(await run("campaign", "close", "spring promo"))).toBe("Campaign Spring promo closed: its records keep it, forms no longer offer it.");
    expect(refusal(await run("campaign", "close", "Spring promo"))).toBe("the campaign Spring promo is already closed");
    expect(refusal(await run("campaign", "close", "Autumn"))).toBe("there is no campaign named Autumn (campaigns: Referral drive, Spring promo)");
    expect(text(await run("campaign", "reopen", "spring promo"))).toBe("Campaign Spring promo reopened.");
    expect(refusal(await run("campaign", "reopen", "Spring promo"))).toBe("the campaign Spring promo is not closed");
    expect(text(await run("campaign", "close", "Spring promo"))).toBe("Campaign Spring promo closed: its records keep it, forms no longer offer it.");
    expect(await h.db.lead.count({ where: { campaignId: spring.id } })).toBe(1);
  });

  it("from chat: managers manage campaigns, only admins channels, agents neither; help lists the commands", async () => {
    expect(readAll(await chat(agent, 'admin campaign add "Agent drive"'))).toContain("Only managers and admins can create, edit or close campaigns.");
    expect(readAll(await chat(agent, "admin channel off Email"))).toContain("Only an admin can add channels or switch them on or off.");
    expect(readAll(await chat(manager, "admin channel add Billboard"))).toContain("Only an admin can add channels or switch them on or off.");
    expect(await h.db.channel.count({ where: { code: "billboard" } })).toBe(0);
    expect(await h.db.campaign.count({ where: { name: "Agent drive" } })).toBe(0);
    expect((await chat(manager, 'admin campaign add "Manager drive" --channel web')).text).toBe("Campaign Manager drive created on Web.");
    expect((await h.db.campaign.findUniqueOrThrow({ where: { name: "Manager drive" } })).createdById).toBe(manager.user.id);

    const help = planAdminCommand(["help"], cli);
    const overview = help.kind === "help" ? readAll(help.view) : "";
    for (const usage of ["channel add <name>", "channel on <name>", "channel off <name>", "campaign list", "campaign add <name>", "campaign close <name>", "campaign reopen <name>"]) expect(overview).toContain(`npm run admin -- ${usage}`);
  });
});
