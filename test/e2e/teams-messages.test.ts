// Teams end to end: typed commands, buttons, installs and identity, through the real server and a fake Bot Connector.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, aTeamsPerson, cardOf, channel, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

describe("Teams: messages, buttons and installs", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    await app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Posts the activity and returns the cards the bot sent to the connector while handling it. */
  async function say(activity: unknown): Promise<{ status: number; body: any; sent: ReturnType<FakeBotConnector["sentActivities"]> }> {
    const before = connector.sentActivities().length;
    const { status, body } = await postActivity(app.http.url, activity);
    return { status, body, sent: connector.sentActivities().slice(before) };
  }

  it("reports loudly that Teams runs without authentication", () => {
    expect(app.surfaces.teams?.report.join("\n")).toMatch(/TEAMS AUTHENTICATION IS DISABLED/);
  });

  it("answers `help` with a card listing the commands, and links the person on first contact", async () => {
    const { status, sent } = await say(teams.message(ana, "help"));
    expect(status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(personalChat(ana).id);
    const texts = textsOf(cardOf(sent[0]!));
    expect(texts[0]).toBe("Switchboard commands");
    expect(texts.join("\n")).toContain("**call** — Log a phone call");
    expect(texts.join("\n")).toContain("`call Acme Corp: discussed renewal, 20m`");
    expect(texts.join("\n")).not.toContain("**admin**");
    expect(sent[0]!.body.summary).toBe("Switchboard commands");
    const user = await app.db.user.findUniqueOrThrow({ where: { email: ana.email } });
    expect(user).toMatchObject({ name: "Ana Ruiz", teamsTenantId: "tenant-1", teamsAadId: ana.aadObjectId, timeZone: "Europe/Berlin", role: "agent" });
  });

  it("answers an unknown word with help and the closest command", async () => {
    const { sent } = await say(teams.message(ana, "hlep"));
    const texts = textsOf(cardOf(sent[0]!));
    expect(texts[0]).toBe("I don't know `hlep`. Did you mean `help`?");
    expect(texts).toContain("Switchboard commands");
  });

  it("reads a command addressed to the bot with an @mention in a channel", async () => {
    const { sent } = await say(teams.mention(ana, "whoami"));
    expect(sent[0]!.conversationId).toBe(channel().id);
    expect(textsOf(cardOf(sent[0]!))).toContain(`Email: ${ana.email}`);
  });

  it("logs a call from one line and answers with a card to edit it or schedule a follow-up", async () => {
    const { sent } = await say(teams.message(ana, "call Acme Corp: discussed renewal, 20m"));
    const card = cardOf(sent[0]!);
    expect(textsOf(card)[0]).toBe("Call with Acme Corp");
    expect(textsOf(card)).toContain("**discussed renewal**");
    const call = await app.db.phoneCall.findFirstOrThrow({ where: { subject: "discussed renewal" }, include: { owner: true, partner: true } });
    expect(call).toMatchObject({ durationMinutes: 20, state: "held", owner: { email: ana.email }, partner: { name: "Acme Corp" } });
    const [, , followUp, edit] = actionsOf(card);
    expect(edit).toEqual({ type: "Action.Submit", title: "Edit", data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "call.edit", value: call.id } } });
    expect(followUp).toMatchObject({ type: "Action.Submit", title: "Schedule follow-up", style: "positive", data: { opener: { verb: "call.follow-up", value: call.id } } });
  });

  it("offers to create an unknown partner; the Create button logs the call and updates the card for everyone", async () => {
    const asked = await say(teams.message(ana, "call Initech: intro call, 15m"));
    const question = cardOf(asked.sent[0]!);
    expect(textsOf(question)[0]).toBe("No partner is called **Initech** yet. Create it and log the call?");
    const create = actionsOf(question).find((a) => a.verb === "call.quick-create-partner");
    expect(create).toMatchObject({ type: "Action.Execute", title: "Create “Initech”", style: "positive" });
    const postedId = asked.sent[0]!.activityId!;

    const click = await say(
      teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: create.verb, data: create.data } }, { replyToId: postedId }),
    );
    expect(click.status).toBe(200);
    expect(click.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(textsOf(click.body.value)[0]).toBe("Call with Initech");
    expect(click.sent).toHaveLength(1);
    expect(click.sent[0]).toMatchObject({ method: "PUT", activityId: postedId, conversationId: personalChat(ana).id });
    expect(cardOf(click.sent[0]!)).toEqual(click.body.value);
    expect(await app.db.phoneCall.count({ where: { subject: "intro call", partner: { name: "Initech" } } })).toBe(1);
  });

  it("answers `call` alone with a card whose button opens the call form", async () => {
    const { sent } = await say(teams.message(ana, "call"));
    const card = cardOf(sent[0]!);
    expect(textsOf(card)).toEqual(["Log a call"]);
    expect(actionsOf(card)).toEqual([
      { type: "Action.Submit", title: "Open: Log a call", style: "positive", data: { msteams: { type: "task/fetch" }, opener: { kind: "command", text: "call" } } },
    ]);
  });

  it("refuses a person from a domain that is not allowed, and stores nothing about them", async () => {
    const bob = aTeamsPerson({ email: "bob@elsewhere.org" });
    connector.addMember(bob);
    const { sent } = await say(teams.message(bob, "help"));
    expect(textsOf(cardOf(sent[0]!))[0]).toMatch(/^Switchboard is not open to bob@elsewhere.org/);
    expect(await app.db.user.count({ where: { email: "bob@elsewhere.org" } })).toBe(0);
    expect(await app.db.teamsConversation.count({ where: { id: personalChat(bob).id } })).toBe(0);
  });

  it("refuses a person whose profile has no email", async () => {
    const eve = aTeamsPerson();
    connector.addMember({ ...eve, email: undefined });
    const { sent } = await say(teams.message(eve, "help"));
    expect(textsOf(cardOf(sent[0]!))[0]).toMatch(/could not read your email address/);
  });

  it("stores the conversation reference on install, welcomes the person with their home card, and forgets it on removal", async () => {
    const carl = aTeamsPerson({ name: "Carl" });
    connector.addMember(carl);
    const { sent } = await say(teams.installation(carl, "add"));
    expect(textsOf(cardOf(sent[0]!))[0]).toBe("Hello Carl");
    const row = await app.db.teamsConversation.findUniqueOrThrow({ where: { id: personalChat(carl).id } });
    expect(row).toMatchObject({ kind: "personal", tenantId: "tenant-1", userAadId: carl.aadObjectId, serviceUrl: connector.serviceUrl });
    expect(row.reference).toMatchObject({ channelId: "msteams", serviceUrl: connector.serviceUrl, conversation: { id: personalChat(carl).id }, bot: { id: "28:switchboard-bot" } });
    expect(row.reference).not.toHaveProperty("activityId");

    await say(teams.installation(carl, "remove"));
    expect(await app.db.teamsConversation.count({ where: { id: personalChat(carl).id } })).toBe(0);
  });

  it("stores a channel's conversation reference when the bot is added to a team", async () => {
    const team = channel("sales");
    const { status } = await say(teams.conversationUpdate(ana, { conversation: team }));
    expect(status).toBe(200);
    expect(await app.db.teamsConversation.findUniqueOrThrow({ where: { id: team.id } })).toMatchObject({ kind: "channel", userAadId: null });
  });

  it("refuses requests that are not JSON activities", async () => {
    const res = await fetch(`${app.http.url}/api/messages`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(res.status).toBe(400);
  });
});
