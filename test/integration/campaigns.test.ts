// Channels and campaigns from chat: /crm campaigns and /crm campaign (counts from real leads, opportunities and cases),
// the New and Edit campaign forms with their errors, closing (and a stale close), /crm channels with add and the
// switches, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { CAMPAIGN_BUTTONS } from "../../src/bot/views/campaign-views.js";
import { CAMPAIGN_FORM_ID } from "../../src/bot/views/campaign-forms.js";
import { CHANNEL_BUTTONS } from "../../src/bot/views/channel-views.js";
import type { Action, Form, MessageView, Reply } from "../../src/bot/views/view.js";
import { channelChoices } from "../../src/handlers/channels/channel-choices.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { privateViewOf, readAll } from "../support/replies.js";

const slack = { commandPrefix: "/crm " };
const NOW = new Date("2027-02-15T10:00:00Z");
const day = (text: string) => new Date(`${text}T00:00:00.000Z`);
const buttonsOf = (view: MessageView): Action[] => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
const formOf = (reply: Reply): Form => {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form;
};
const errorsOf = (reply: Reply): Record<string, string> => {
  if (reply.kind !== "errors") throw new Error(`expected field errors, got ${JSON.stringify(reply)}`);
  return reply.errors;
};
const MANAGERS_ONLY = "Only managers and admins can create, edit or close campaigns.";
const ADMINS_ONLY = "Only an admin can add channels or switch them on or off.";

describe("channels and campaigns in chat", () => {
  let h: HandlerHarness;
  let admin: Who;
  let manager: Who;
  let agent: Who;
  let ids: { email: string; phone: string; internal: string; newStage: string; wonStage: string; team: string; caseStage: string };

  const chat = (who: Who, text: string) => runCommand(h.deps, who, text, slack).then(privateViewOf);
  const press = (who: Who, id: string, value: string) => runAction(h.deps, who, id, value);
  const lead = (data: { campaignId?: string; channelId?: string; type?: "lead" | "opportunity"; won?: number; mergedIntoId?: string }) =>
    h.db.lead.create({
      data: {
        title: "A lead",
        type: data.type ?? "lead",
        stageId: data.won !== undefined ? ids.wonStage : ids.newStage,
        ...(data.won !== undefined ? { wonAt: NOW, isOpen: false, expectedRevenue: data.won } : {}),
        ...(data.mergedIntoId ? { mergedIntoId: data.mergedIntoId, isOpen: false } : {}),
        campaignId: data.campaignId ?? null,
        channelId: data.channelId ?? null,
      },
    });
  const aCase = (data: { campaignId?: string; channelId?: string; isOpen?: boolean }) =>
    h.db.case.create({ data: { subject: "A case", teamId: ids.team, stageId: ids.caseStage, isOpen: data.isOpen ?? true, campaignId: data.campaignId ?? null, channelId: data.channelId ?? null } });
  const campaign = (name: string, data: { channelId?: string; startsOn?: string; endsOn?: string; isActive?: boolean; createdAt: string }) =>
    h.db.campaign.create({
      data: { name, channelId: data.channelId ?? null, startsOn: data.startsOn ? day(data.startsOn) : null, endsOn: data.endsOn ? day(data.endsOn) : null, isActive: data.isActive ?? true, createdAt: new Date(data.createdAt) },
    });

  beforeAll(async () => {
    h = await handlerHarness({ now: () => NOW });
    admin = await aPerson(h.db, { role: "admin" });
    manager = await aPerson(h.db, { role: "manager" });
    agent = await aPerson(h.db, { role: "agent" });
    const channel = async (code: string) => (await h.db.channel.findUniqueOrThrow({ where: { code } })).id;
    ids = {
      email: await channel("email"),
      phone: await channel("phone"),
      internal: await channel("internal"),
      newStage: (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "open" }, orderBy: { sequence: "asc" } })).id,
      wonStage: (await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, kind: "won" } })).id,
      team: (await h.db.team.create({ data: { name: "Support", kind: "support" } })).id,
      caseStage: (await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "New" } })).id,
    };
  });
  afterAll(async () => h?.close());

  it("lists running and upcoming campaigns first, newest first, then ended and closed ones, each with its counts", async () => {
    const spring = await campaign("Spring promo", { channelId: ids.email, startsOn: "2027-01-01", endsOn: "2027-03-31", createdAt: "2026-12-01T09:00:00Z" });
    await campaign("Summer sale", { startsOn: "2027-06-01", createdAt: "2027-01-10T09:00:00Z" });
    const winter = await campaign("Winter fair", { channelId: ids.phone, startsOn: "2027-01-02", endsOn: "2027-01-31", createdAt: "2027-01-05T09:00:00Z" });
    await campaign("Old drive", { isActive: false, createdAt: "2027-02-01T09:00:00Z" });
    await lead({ campaignId: spring.id });
    await lead({ campaignId: spring.id, channelId: ids.email });
    const open = await lead({ campaignId: spring.id, type: "opportunity" });
    await lead({ campaignId: spring.id, type: "opportunity", won: 10000 });
    await lead({ campaignId: spring.id, type: "opportunity", won: 2500.5 });
    await lead({ campaignId: spring.id, type: "opportunity", won: 99999, mergedIntoId: open.id }); // merged away: not counted
    await aCase({ campaignId: spring.id });
    await aCase({ campaignId: spring.id });
    await aCase({ campaignId: spring.id, isOpen: false });
    await lead({ campaignId: winter.id });
    await lead({}); // no campaign

    const view = await chat(agent, "campaigns");
    const lines = view.blocks.filter((b) => b.type === "text").map((b) => (b as { text: string }).text);
    expect(lines).toEqual([
      "*Summer sale* · starts 2027-06-01 · no channel · from 2027-06-01\n0 leads · 0 opportunities (none won) · cases 0 open / 0",
      "*Spring promo* · running · Email · 2027-01-01 – 2027-03-31\n2 leads · 3 opportunities (2 won: 12,500.5) · cases 2 open / 3",
      "*Old drive* · closed · no channel · no dates\n0 leads · 0 opportunities (none won) · cases 0 open / 0",
      "*Winter fair* · ended 2027-01-31 · Phone · 2027-01-02 – 2027-01-31\n1 lead · 0 opportunities (none won) · cases 0 open / 0",
    ]);
    expect(buttonsOf(view)).toEqual([]); // an agent manages nothing

    const forManager = await chat(manager, "campaigns");
    expect(buttonsOf(forManager).map((b) => b.label)).toEqual(["New campaign", "Close Summer sale", "Close Spring promo"]);
    expect(buttonsOf(forManager)[0]).toMatchObject({ id: CAMPAIGN_BUTTONS.create, opensForm: true });
  });

  it("shows only the first 25 campaigns, and says how many more there are, counting them in one grouped query per kind", async () => {
    for (let i = 1; i <= 24; i++) await campaign(`Batch ${String(i).padStart(2, "0")}`, { createdAt: `2027-02-0${1 + (i % 9)}T10:00:00Z` });
    const queries: string[] = [];
    const counted = h.db.$extends({ query: { $allModels: { $allOperations: ({ model, operation, args, query }) => (queries.push(`${model}.${operation}`), query(args)) } } });
    const view = privateViewOf(await runCommand({ ...h.deps, db: counted as unknown as typeof h.db }, agent, "campaigns", slack));
    expect(queries.sort()).toEqual(["Campaign.findMany", "Case.groupBy", "Lead.groupBy", "Lead.groupBy"]);
    expect(view.blocks.filter((b) => b.type === "text")).toHaveLength(25);
    expect(readAll(view)).toContain("…and 3 more (older, ended or closed).");
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    await h.db.campaign.deleteMany({ where: { name: { startsWith: "Batch " } } });
  });

  it("shows one campaign with its leads by stage; an unknown name lists the close ones", async () => {
    const view = await chat(agent, "campaign spring PROMO");
    expect(view.text).toBe("Campaign Spring promo (running): 2 leads · 3 opportunities (2 won: 12,500.5) · cases 2 open / 3");
    expect(readAll(view)).toMatch(/\*By stage:\* New 3 · Won 2/);
    expect(buttonsOf(view)).toEqual([]);
    expect(buttonsOf(await chat(manager, 'campaign "Spring promo"')).map((b) => b.id)).toEqual([CAMPAIGN_BUTTONS.edit, CAMPAIGN_BUTTONS.close]);
    expect(buttonsOf(await chat(manager, "campaign Winter fair")).map((b) => b.id)).toEqual([CAMPAIGN_BUTTONS.edit, CAMPAIGN_BUTTONS.close]); // ended, not closed
    expect(buttonsOf(await chat(manager, "campaign Old drive")).map((b) => b.id)).toEqual([CAMPAIGN_BUTTONS.edit, CAMPAIGN_BUTTONS.reopen]); // closed

    const unknown = await chat(agent, "campaign Spring promos");
    expect(readAll(unknown)).toContain("There is no campaign named “Spring promos”.");
    expect(readAll(unknown)).toContain("Did you mean “Spring promo”?");
    expect(readAll(await chat(agent, "campaign Sale"))).toContain("Did you mean “Summer sale”?");
  });

  it("creates a campaign from the New campaign form, refusing a taken name, days out of order, and a forged or switched-off channel", async () => {
    const form = formOf(await press(manager, CAMPAIGN_BUTTONS.create, "new"));
    expect(form.id).toBe(CAMPAIGN_FORM_ID);
    const offered = form.fields.find((f) => f.id === "channel")!.options!.map((o) => o.label);
    expect(offered).toContain("Email");
    expect(offered).not.toContain("Internal"); // seeded switched off

    const submit = (who: Who, values: Record<string, string>, context: Record<string, string> = form.context ?? {}) => submitForm(h.deps, who, CAMPAIGN_FORM_ID, values, context);
    expect(errorsOf(await submit(manager, { name: "spring PROMO" }))).toEqual({ name: "A campaign named Spring promo already exists." });
    expect(errorsOf(await submit(manager, { name: "Fair 2027", startsOn: "2027-05-10", endsOn: "2027-05-01" }))).toEqual({ endsOn: "The last day (2027-05-01) is before the first day (2027-05-10)." });
    expect(errorsOf(await submit(manager, { name: "Fair 2027", channel: "00000000-0000-4000-8000-000000000000" }))).toEqual({ channel: "That channel no longer exists; choose another." });
    expect(errorsOf(await submit(manager, { name: "Fair 2027", channel: "'; DROP TABLE" }))).toEqual({ channel: "That channel no longer exists; choose another." });
    expect(errorsOf(await submit(manager, { name: "Fair 2027", channel: ids.internal }))).toEqual({ channel: "The channel Internal is switched off; choose another." });
    expect(errorsOf(await submit(manager, { name: "", startsOn: "2027-02-30" }))).toEqual({ name: "Give the campaign a name." });
    expect(errorsOf(await submit(manager, { name: "x".repeat(101) }))).toEqual({ name: "A campaign name has at most 100 characters." });
    expect(await h.db.campaign.count({ where: { name: "Fair 2027" } })).toBe(0);

    const refused = privateViewOf(await submit(agent, { name: "Agent's own" }));
    expect(refused.text).toBe(MANAGERS_ONLY);
    expect(await h.db.campaign.count({ where: { name: "Agent's own" } })).toBe(0);

    const done = await submit(manager, { name: "  Fair 2027 ", channel: ids.email, startsOn: "2027-02-01", endsOn: "2027-05-31" });
    expect(privateViewOf(done).text).toBe("Campaign Fair 2027 created (channel Email). Lead and case forms offer it from now on.");
    expect(await h.db.campaign.findUniqueOrThrow({ where: { name: "Fair 2027" } })).toMatchObject({ channelId: ids.email, startsOn: day("2027-02-01"), endsOn: day("2027-05-31"), isActive: true, createdById: manager.user.id });
    expect((await channelChoices(h.db, NOW)).campaigns.map((c) => c.label)).toContain("Fair 2027");
  });

  it("edits a campaign from its card: the form shows it as it is, a name another campaign has is refused", async () => {
    const fair = await h.db.campaign.findUniqueOrThrow({ where: { name: "Fair 2027" } });
    const form = formOf(await press(manager, CAMPAIGN_BUTTONS.edit, fair.id));
    expect(form.context).toEqual({ campaignId: fair.id });
    expect(Object.fromEntries(form.fields.map((f) => [f.id, f.initial]))).toEqual({ name: "Fair 2027", channel: ids.email, startsOn: "2027-02-01", endsOn: "2027-05-31" });

    const submit = (values: Record<string, string>) => submitForm(h.deps, manager, CAMPAIGN_FORM_ID, values, { campaignId: fair.id });
    expect(errorsOf(await submit({ name: "Summer SALE" }))).toEqual({ name: "A campaign named Summer sale already exists." });
    expect(privateViewOf(await submit({ name: "FAIR 2027", channel: ids.phone, endsOn: "2027-01-31" })).text).toBe("Campaign FAIR 2027 saved (channel Phone). It is not running, so forms do not offer it.");
    expect(await h.db.campaign.findUniqueOrThrow({ where: { id: fair.id } })).toMatchObject({ name: "FAIR 2027", channelId: ids.phone, startsOn: null, endsOn: day("2027-01-31") });

    expect(privateViewOf(await press(agent, CAMPAIGN_BUTTONS.edit, fair.id)).text).toBe(MANAGERS_ONLY);
    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.edit, "00000000-0000-4000-8000-000000000000")).text).toBe("That campaign no longer exists.");
    expect(errorsOf(await submitForm(h.deps, manager, CAMPAIGN_FORM_ID, { name: "Ghost" }, { campaignId: "00000000-0000-4000-8000-000000000000" }))).toEqual({ name: "This campaign was deleted since you opened the form." });
  });

  it("closes a campaign once: a second (stale) click says so, an agent is refused, records keep it", async () => {
    const spring = await h.db.campaign.findUniqueOrThrow({ where: { name: "Spring promo" } });
    expect(privateViewOf(await press(agent, CAMPAIGN_BUTTONS.close, spring.id)).text).toBe(MANAGERS_ONLY);
    expect((await h.db.campaign.findUniqueOrThrow({ where: { id: spring.id } })).isActive).toBe(true);

    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.close, spring.id)).text).toBe("Campaign Spring promo closed.");
    expect(privateViewOf(await press(admin, CAMPAIGN_BUTTONS.close, spring.id)).text).toBe("Campaign Spring promo is already closed.");
    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.close, "not-an-id")).text).toBe("That campaign no longer exists.");
    expect(await h.db.lead.count({ where: { campaignId: spring.id } })).toBe(6);
    expect((await channelChoices(h.db, NOW)).campaigns.map((c) => c.label)).not.toContain("Spring promo");
    const card = await chat(manager, "campaign Spring promo");
    expect(card.text).toBe("Campaign Spring promo (closed): 2 leads · 3 opportunities (2 won: 12,500.5) · cases 2 open / 3");
    expect(buttonsOf(card).map((b) => b.id)).toEqual([CAMPAIGN_BUTTONS.edit, CAMPAIGN_BUTTONS.reopen]);
  });

  it("reopens a closed campaign once from its card; an agent is refused; an ended one is reopened but not offered", async () => {
    const spring = await h.db.campaign.findUniqueOrThrow({ where: { name: "Spring promo" } });
    expect(privateViewOf(await press(agent, CAMPAIGN_BUTTONS.reopen, spring.id)).text).toBe(MANAGERS_ONLY);
    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.reopen, spring.id)).text).toBe("Campaign Spring promo reopened.");
    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.reopen, spring.id)).text).toBe("Campaign Spring promo is already open.");
    expect((await channelChoices(h.db, NOW)).campaigns.map((c) => c.label)).toContain("Spring promo");
    const timeline = await h.db.timelineEntry.findMany({ where: { recordType: "campaign", recordId: spring.id }, orderBy: { createdAt: "asc" } });
    expect(timeline.map((t) => t.summary).slice(-2)).toEqual(["Campaign Spring promo closed", "Campaign Spring promo reopened"]);
    // Closed again for the tests after this one, which expect it closed.
    expect(privateViewOf(await press(manager, CAMPAIGN_BUTTONS.close, spring.id)).text).toBe("Campaign Spring promo closed.");
  });

  it("lists the channels with on/off and counts; admins add one and switch it off and on", async () => {
    await aCase({ channelId: ids.email });
    const list = await chat(agent, "channels");
    expect(readAll(list)).toContain("*Email* `email` · on · 1 lead · 0 opportunities · 1 case");
    expect(readAll(list)).toContain("*Internal* `internal` · _off_ · 0 leads · 0 opportunities · 0 cases");
    expect(readAll(list)).toContain("Without a channel: 3 leads · 3 opportunities · 3 cases.");
    expect(buttonsOf(list)).toEqual([]);
    const forAdmin = await chat(admin, "channels");
    expect(buttonsOf(forAdmin).find((b) => b.label === "Switch on Internal")).toMatchObject({ id: CHANNEL_BUTTONS.switchOn, value: ids.internal });

    expect((await chat(manager, "channels add Trade fair")).text).toBe(ADMINS_ONLY);
    expect((await chat(admin, "channels add Trade Fair")).text).toBe("Channel Trade Fair added (code `trade-fair`), switched on.");
    expect(await h.db.channel.findUniqueOrThrow({ where: { code: "trade-fair" } })).toMatchObject({ name: "Trade Fair", isActive: true });
    expect((await chat(admin, "channels add trade fair")).text).toBe("A channel named Trade Fair already exists.");
    expect((await chat(admin, 'channels add "Trade-Fair!"')).text).toBe("The channel Trade Fair already has the code trade-fair; choose a name that differs in more than punctuation or case.");
    expect((await chat(admin, "channels add Internal")).text).toBe("A channel named Internal already exists. It is switched off: switch it on instead.");
    expect((await chat(admin, "channels add ???")).text).toBe("A channel name needs at least one letter or digit (a-z, 0-9).");
    expect((await chat(admin, "channels add")).text).toMatch(/^Say which channel/);
    expect((await chat(admin, "channels remove Email")).text).toBe("I don't know `/crm channels remove Email`.");

    const fair = await h.db.channel.findUniqueOrThrow({ where: { code: "trade-fair" } });
    expect(privateViewOf(await press(manager, CHANNEL_BUTTONS.switchOff, fair.id)).text).toBe(ADMINS_ONLY);
    expect(privateViewOf(await press(admin, CHANNEL_BUTTONS.switchOff, fair.id)).text).toBe("Channel Trade Fair switched off.");
    expect(privateViewOf(await press(admin, CHANNEL_BUTTONS.switchOff, fair.id)).text).toBe("Channel Trade Fair is already switched off.");
    expect((await channelChoices(h.db, NOW)).channels.map((c) => c.label)).not.toContain("Trade Fair");
    expect((await chat(admin, "channels on trade-fair")).text).toBe("Channel Trade Fair switched on.");
    expect((await chat(admin, "channels on Trade fair")).text).toBe("Channel Trade Fair is already switched on.");
    expect((await chat(admin, "channels off Nowhere")).text).toBe("There is no channel named “Nowhere”.");
    expect(privateViewOf(await press(admin, CHANNEL_BUTTONS.switchOn, "00000000-0000-4000-8000-000000000000")).text).toBe("That channel no longer exists.");
  });

  it("switching a channel off keeps it on the records that have it and in their counts", async () => {
    const withEmail = await h.db.lead.count({ where: { channelId: ids.email } });
    expect((await chat(admin, "channels off Email")).text).toBe("Channel Email switched off.");
    expect(await h.db.lead.count({ where: { channelId: ids.email } })).toBe(withEmail);
    expect(readAll(await chat(agent, "channels"))).toContain("*Email* `email` · _off_ · 1 lead · 0 opportunities · 1 case");
    // A campaign's Edit form still shows its own switched-off channel; a new campaign cannot choose it.
    const fair = await h.db.campaign.findUniqueOrThrow({ where: { name: "FAIR 2027" } });
    await h.db.campaign.update({ where: { id: fair.id }, data: { channelId: ids.email } });
    const form = formOf(await press(manager, CAMPAIGN_BUTTONS.edit, fair.id));
    expect(form.fields.find((f) => f.id === "channel")!.options!.map((o) => o.label)).toContain("Email (off)");
    expect(privateViewOf(await submitForm(h.deps, manager, CAMPAIGN_FORM_ID, { name: "FAIR 2027", channel: ids.email }, { campaignId: fair.id })).text).toMatch(/^Campaign FAIR 2027 saved/);
    expect(errorsOf(await submitForm(h.deps, manager, CAMPAIGN_FORM_ID, { name: "Newcomer", channel: ids.email }, {}))).toEqual({ channel: "The channel Email is switched off; choose another." });
    await chat(admin, "channels on Email");
  });
});
