// Teams end to end, the whole sale in one go: capture a lead in one line, convert it (creating the customer),
// move it through the pipeline and win it; the sales channel's card follows every step in place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SALES_CHANNEL = channel("sales");

describe("Teams: a lead from capture to won", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let anaId: string;
  let salesId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SALES_CHANNEL }));
    anaId = (await app.db.user.findUniqueOrThrow({ where: { email: ana.email } })).id;
    salesId = (await app.db.team.create({ data: { name: "Sales", kind: "sales", teamsConversationId: SALES_CHANNEL.id, members: { create: [{ userId: anaId }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const current = () => app.db.lead.findFirstOrThrow({ where: { title: "wants 40 seats" } });
  const openDialog = async (verb: string, lead: { id: string; version: number }) =>
    (await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb, value: `${lead.id}:${lead.version}` } } }))).body.task.value;
  const submit = (card: any, inputs: Record<string, unknown>) => postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: { ...card.actions[0].data, ...inputs } }));
  const channelCards = (from: number) => connector.sentActivities().slice(from).filter((a) => a.conversationId === SALES_CHANNEL.id);

  it("captures, converts with a new customer, moves to Proposition and wins, with one channel card updated in place", async () => {
    const start = connector.sentActivities().length;
    await postActivity(app.http.url, teams.mention(ana, "lead Jane Roe, Globex, jane@globex.test: wants 40 seats #saas $40k", { conversation: SALES_CHANNEL }));
    // The answer to the command (in the channel: Teams has no ephemeral messages), then the team's card from the outbox.
    const leadCards = () => channelCards(start).filter((a) => a.method === "POST" && /^LEAD-\d{4}: wants 40 seats$/.test(textsOf(cardOf(a))[0] ?? ""));
    await waitFor(() => leadCards().length === 2, 8000);
    const answer = leadCards()[0]!;
    let lead = await current();
    expect(lead).toMatchObject({ type: "lead", contactName: "Jane Roe", companyName: "Globex", tags: ["saas"], teamId: salesId, salespersonId: anaId });

    const convert = (await openDialog("lead.convert", lead)).card.content;
    expect(inputsOf(convert).customer.value).toBe("create");
    const converted = await submit(convert, { action: "convert", customer: "create", salesperson: anaId, team: salesId });
    expect(converted.body.task.value).toMatch(/is now OPP-\d{4}/);
    lead = await current();
    expect(lead).toMatchObject({ type: "opportunity", version: 1 });
    expect((await app.db.partner.findUniqueOrThrow({ where: { id: lead.partnerId! } })).name).toBe("Globex");

    const proposition = await app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "Proposition" } });
    const stage = (await openDialog("lead.stage", lead)).card.content;
    await submit(stage, { stage: proposition.id });
    lead = await current();
    expect(lead).toMatchObject({ stageId: proposition.id, probability: 60, version: 2 });

    const won = await postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "lead.won", data: { value: `${lead.id}:${lead.version}` } } }, { conversation: SALES_CHANNEL, replyToId: answer.activityId! }));
    expect(textsOf(won.body.value)[0]).toMatch(/^🏆 OPP-\d{4} is won\./);
    expect(await current()).toMatchObject({ probability: 100, isOpen: false, version: 3 });
    await waitFor(() => channelCards(start).some((a) => a.method === "POST" && textsOf(cardOf(a)).some((t) => t.startsWith("🎉"))), 8000);
    // The team's card, posted once, is updated in place at every step (the outbox paces a channel to 1 message/s).
    await waitFor(() => channelCards(start).some((a) => a.method === "PUT" && actionsOf(cardOf(a)).some((b) => b.verb === "lead.restore")), 20_000);
    const updates = channelCards(start).filter((a) => a.method === "PUT");
    expect(new Set(updates.map((a) => a.activityId)).size).toBe(1);
    expect(updates.map((a) => textsOf(cardOf(a)).find((t) => t.startsWith("Stage: ")))).toEqual(["Stage: New", "Stage: Proposition", "Stage: Won"]);
    expect(leadCards()).toHaveLength(2);
  });
});
