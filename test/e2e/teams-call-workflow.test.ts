// Teams end to end: plan a call in one line, mark it held in a dialog, cancel one (a stale card acts not), and create
// an opportunity from a call (its card goes to the sales team's channel).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SALES_CHANNEL = channel("sales-calls");

describe("Teams: the call workflow", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let anaId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SALES_CHANNEL }));
    anaId = (await app.db.user.findUniqueOrThrow({ where: { email: ana.email } })).id;
    await app.db.team.create({ data: { name: "Sales", kind: "sales", teamsConversationId: SALES_CHANNEL.id, members: { create: [{ userId: anaId }] } } });
    await app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const click = (verb: string, value: string) => postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb, data: { value } } }));
  const dialog = (verb: string, value: string) => postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb, value } } }));
  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });

  async function planCall(subject: string) {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, `call Acme Corp: ${subject} tomorrow 10am`));
    const answer = connector.sentActivities().slice(before).find((c) => c.conversationId === personalChat(ana).id);
    const call = await app.db.phoneCall.findFirstOrThrow({ where: { subject } });
    return { card: cardOf(answer!), call };
  }

  it("the planned call's card offers Held, Voicemail, Cancel call, Create opportunity, Schedule meeting, follow-up and Edit", async () => {
    const { card } = await planCall("send the quote");
    expect(textsOf(card)[0]).toBe("Planned call with Acme Corp");
    expect(actionsOf(card).map((a) => a.title)).toEqual(["Held", "Voicemail", "Cancel call", "Create opportunity", "Schedule meeting", "Schedule follow-up", "Edit"]);
  });

  it("Held opens a dialog; its submit stores notes and duration", async () => {
    const { call } = await planCall("pricing questions");
    const card = (await dialog("call.held", `${call.id}:0`)).body.task.value.card.content;
    expect(Object.keys(inputsOf(card))).toEqual(["notes", "durationMinutes"]);
    const done = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { notes: "They want 40 seats", durationMinutes: "25" }) }));
    expect(done.status).toBe(200);
    expect(await app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "held", notes: "They want 40 seats", durationMinutes: 25, version: 1 });
  });

  it("Cancel call replaces the clicked card; the same (stale) card clicked again changes nothing", async () => {
    const { call } = await planCall("not needed");
    const first = await click("call.cancel", `${call.id}:0`);
    expect(textsOf(first.body.value)[0]).toBe("Call cancelled.");
    expect(actionsOf(first.body.value).map((a) => a.title)).toEqual(["Schedule follow-up", "Edit"]);
    const again = await click("call.cancel", `${call.id}:0`);
    expect(textsOf(again.body.value)[0]).toMatch(/was cancelled/);
    expect(await app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ state: "cancelled", version: 1 });
  });

  it("Create opportunity answers with the opportunity card and posts it to the sales team's channel", async () => {
    const { call } = await planCall("wants a pilot");
    const before = connector.sentActivities().length;
    const answer = await click("call.to-opportunity", `${call.id}:0`);
    expect(textsOf(answer.body.value)[0]).toMatch(/^✅ OPP-\d{4} created from CALL-\d{4}/);
    const opp = await app.db.lead.findFirstOrThrow({ where: { title: "wants a pilot" } });
    expect(opp).toMatchObject({ type: "opportunity", salespersonId: anaId });
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === SALES_CHANNEL.id && JSON.stringify(a.body).includes("wants a pilot")), 10_000);
    expect(await app.db.phoneCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ leadId: opp.id, state: "held" });
  });
});
