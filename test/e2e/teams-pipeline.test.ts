// Teams end to end: move an opportunity's stage (dialog), win it (celebration in the team's channel), lose another
// with a reason, and `pipeline`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SALES_CHANNEL = channel("sales");

describe("Teams: the opportunity pipeline", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let anaId: string;
  let salesId: string;
  let stageIds: Record<string, string>;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SALES_CHANNEL }));
    anaId = (await app.db.user.findUniqueOrThrow({ where: { email: ana.email } })).id;
    salesId = (await app.db.team.create({ data: { name: "Sales", kind: "sales", teamsConversationId: SALES_CHANNEL.id, members: { create: [{ userId: anaId }] } } })).id;
    stageIds = Object.fromEntries((await app.db.leadStage.findMany({ where: { teamId: null } })).map((s) => [s.name, s.id]));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const anOpportunity = (title: string, revenue: number) =>
    app.db.lead.create({ data: { title, type: "opportunity", salespersonId: anaId, teamId: salesId, stageId: stageIds.New!, probability: 10, expectedRevenue: revenue } });
  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });
  const click = (verb: string, value: string) => postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb, data: { value } } }));
  const dialog = (verb: string, value: string) => postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb, value } } }));

  it("Move stage opens a dialog of open stages; the submit applies the stage's probability", async () => {
    const opp = await anOpportunity("Globex: 40 seats", 40000);
    const fetched = await dialog("lead.stage", `${opp.id}:0`);
    const card = fetched.body.task.value.card.content;
    expect(inputsOf(card).stage.choices.map((c: any) => c.title)).toEqual(["New (10%)", "Qualified (30%)", "Proposition (60%)", "Negotiation (80%)"]);
    const done = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { stage: stageIds.Proposition }) }));
    expect(done.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/is now in stage Proposition \(60%\)/) });
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Proposition, probability: 60, version: 1 });
  });

  it("Won replaces the clicked card and posts the first-deal celebration to the team's channel once", async () => {
    const opp = await app.db.lead.findFirstOrThrow({ where: { title: "Globex: 40 seats" } });
    const before = connector.sentActivities().length;
    const won = await click("lead.won", `${opp.id}:1`);
    expect(textsOf(won.body.value)[0]).toMatch(/^🏆 OPP-\d{4} is won\. Go, go, go! Congrats for your first deal\.$/);
    expect(actionsOf(won.body.value).map((a) => a.title)).toEqual(["Restore", "✉ Reply by email"]);
    const isParty = (a: { conversationId?: string; body: any }) => a.conversationId === SALES_CHANNEL.id && JSON.stringify(a.body).includes("🎉 Go, go, go!");
    await waitFor(() => connector.sentActivities().slice(before).some(isParty), 10_000);
    const again = await click("lead.won", `${opp.id}:1`);
    expect(textsOf(again.body.value)[0]).toMatch(/is already won/);
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Won, isOpen: false, probability: 100, version: 2 });
    expect(await app.db.outbox.count({ where: { dedupeKey: `won:${opp.id}:1:teams` } })).toBe(1);
    expect(connector.sentActivities().slice(before).filter(isParty)).toHaveLength(1);
  });

  it("Lost asks for a reason and a note in a dialog, and stores both", async () => {
    const opp = await anOpportunity("Initech renewal", 5000);
    const reason = await app.db.lostReason.findFirstOrThrow({ where: { isActive: true }, orderBy: { name: "asc" } });
    const card = (await dialog("lead.lost", `${opp.id}:0`)).body.task.value.card.content;
    expect(Object.keys(inputsOf(card))).toEqual(["lostReason", "closingNote"]);
    const done = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { lostReason: reason.id, closingNote: "They stayed with their vendor" }) }));
    expect(done.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/is marked lost/) });
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: opp.id } })).toMatchObject({ stageId: stageIds.Lost, isOpen: false, lostReasonId: reason.id, closingNote: "They stayed with their vendor" });
  });

  it("answers `pipeline` with the open opportunities per stage and the forecast", async () => {
    await anOpportunity("Umbrella pilot", 2000);
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "pipeline"));
    const answer = connector.sentActivities().slice(before).find((c) => c.conversationId === personalChat(ana).id);
    const texts = textsOf(cardOf(answer!));
    expect(texts[0]).toBe("Pipeline — your opportunities");
    expect(texts).toContain("New: 1 · 2,000");
    expect(texts.join("\n")).toContain("1 open opportunity, 2,000 expected, 200 weighted forecast");
  });
});
