// Teams end to end, the unhappy paths of claims and the message actions: wrong person, malformed and oversized requests, long messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channel, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const LOGISTICS_CHANNEL = channel("logistics");
const LINK = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000002";

describe("Teams: claims and message actions, what is refused", () => {
  let h: TeamsHarness;
  /** Known to Switchboard (example.com) but in no team, so he may not change a claim routed to Logistics. */
  let carl: TeamsPerson;
  let claim: { id: string; version: number };

  beforeAll(async () => {
    h = await startTeamsHarness();
    carl = h.addPerson("Carl Berg");
    await postActivity(h.app.http.url, h.teams.mention(h.ana, "whoami", { conversation: LOGISTICS_CHANNEL }));
    await postActivity(h.app.http.url, h.teams.mention(carl, "whoami", { conversation: LOGISTICS_CHANNEL }));
    const ana = await h.app.db.user.findFirstOrThrow({ where: { email: h.ana.email! } });
    const logistics = await h.app.db.team.create({ data: { name: "Logistics", kind: "other", teamsConversationId: LOGISTICS_CHANNEL.id, members: { create: [{ userId: ana.id }] } } });
    const partner = await h.app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    claim = await h.app.db.claim.create({ data: { kind: "customer", subject: "Pallet wet", partnerId: partner.id, teamId: logistics.id, responsibleId: ana.id, createdById: ana.id } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("refuses In progress on a claim card pressed by someone outside the claim's team, and changes nothing", async () => {
    const click = await postActivity(h.app.http.url, h.teams.invoke(carl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "claim.start", data: { value: `${claim.id}:${claim.version}` } } }));
    expect(click.status).toBe(200);
    expect(textsOf(click.body.value).join("\n")).toMatch(/Only the claim's responsible, its team and the team's manager \(or an admin\) can change this claim/);
    const after = await h.app.db.claim.findUniqueOrThrow({ where: { id: claim.id } });
    expect({ state: after.state, version: after.version }).toEqual({ state: "new", version: claim.version });
    expect(await h.app.db.timelineEntry.count({ where: { recordId: claim.id } })).toBe(0);
  });

  it("in a channel, a refusal is for the clicker alone: the shared card is not replaced for everyone", async () => {
    const before = h.connector.sentActivities().length;
    const press = (verb: string) =>
      postActivity(h.app.http.url, h.teams.invoke(carl, "adaptiveCard/action", { action: { type: "Action.Execute", verb, data: { value: `${claim.id}:${claim.version}` } } }, { conversation: LOGISTICS_CHANNEL, replyToId: "shared-card" }));
    const refused = await press("claim.start");
    // A refusal without buttons is a toast: the card the person clicked keeps its buttons.
    expect(refused.body.type).toBe("application/vnd.microsoft.activity.message");
    expect(refused.body.value).toMatch(/Only the claim's responsible/);
    const unknown = await press("claim.no-such-button");
    expect(unknown.body).toEqual({ statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "That button is no longer supported. Run the command again." });
    expect(h.connector.sentActivities().slice(before).filter((a) => a.activityId === "shared-card")).toEqual([]);
  });

  it("answers a body that is not JSON with 400", async () => {
    const res = await fetch(`${h.app.http.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
  });

  it("refuses a body over 1 MB with 413 and sends nothing", async () => {
    const before = h.connector.sentActivities().length;
    const res = await fetch(`${h.app.http.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(h.teams.message(h.ana, "x".repeat(1024 * 1024 + 10))),
    });
    expect(res.status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.connector.sentActivities().length).toBe(before);
  });

  it("opens the case form from a long message with the description cut to the input's limit, the link kept", async () => {
    const action = { commandId: "case.from-message", commandContext: "message", messagePayload: { id: "2", body: { contentType: "text", content: "long ".repeat(4000) }, linkToMessage: LINK } };
    const { status, body } = await postActivity(h.app.http.url, h.teams.invoke(h.ana, "composeExtension/fetchTask", action));
    expect(status).toBe(200);
    const description = inputsOf(body.task.value.card.content).description;
    expect(description.value.length).toBeLessThanOrEqual(description.maxLength);
    expect(description.value).toMatch(/^long long /);
    expect(description.value.endsWith(`From: ${LINK}`)).toBe(true);
  });

  it("says it cannot read a message action whose message is too large, and opens no form", async () => {
    const action = { commandId: "claim.from-message", commandContext: "message", messagePayload: { id: "3", body: { contentType: "text", content: "x".repeat(100_001) }, linkToMessage: LINK } };
    const { status, body } = await postActivity(h.app.http.url, h.teams.invoke(h.ana, "composeExtension/fetchTask", action));
    expect(status).toBe(200);
    expect(body.task).toEqual({ type: "message", value: "Teams sent an action Switchboard cannot read." });
  });
});
