// Teams end to end: a manager types "campaigns", opens the New campaign dialog, gets a taken name refused in the
// re-rendered dialog, and the good submission is stored with its channel and listed; an agent gets no button.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

describe("Teams: campaigns from the campaigns command", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let carl: TeamsPerson;

  const reply = async (person: TeamsPerson, text: string) => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(person, text));
    await waitFor(() => connector.sentActivities().length > before, 5000);
    return cardOf(connector.sentActivities().at(-1)!);
  };

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    carl = h.addPerson("Carl Berg");
    await postActivity(app.http.url, teams.message(ana, "whoami"));
    await postActivity(app.http.url, teams.message(carl, "whoami"));
    await app.db.user.update({ where: { email: ana.email }, data: { role: "manager" } });
    // Taken already, in another case: the dialog must say so.
    await app.db.campaign.create({ data: { name: "Referral drive" } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("opens the New campaign dialog, refuses a taken name in it, stores the campaign and lists it", async () => {
    const list = await reply(ana, "campaigns");
    expect(textsOf(list).join("\n")).toContain("*Referral drive*");
    expect(JSON.stringify(actionsOf(list))).toContain("campaign.new");

    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "campaign.new", value: "new" } } }));
    const card = fetched.body.task.value.card.content;
    const inputs = inputsOf(card);
    expect(Object.keys(inputs)).toEqual(["name", "channel", "startsOn", "endsOn"]);
    const choices = inputs.channel.choices.map((c: any) => c.title);
    expect(choices).toContain("Web");
    expect(choices).not.toContain("Idea");
    const web = inputs.channel.choices.find((c: any) => c.title === "Web").value;
    const submit = (name: string) => postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: { ...card.actions[0].data, name, channel: web, startsOn: "2027-04-01", endsOn: "2027-06-30" } }));

    const refused = await submit("REFERRAL DRIVE");
    expect(refused.body.task.type).toBe("continue");
    expect(textsOf(refused.body.task.value.card.content).join("\n")).toContain("A campaign named Referral drive already exists.");
    expect(await app.db.campaign.count()).toBe(1);

    const saved = await submit("Web summit");
    expect(saved.status).toBe(200);
    await waitFor(async () => (await app.db.campaign.count()) === 2, 5000);
    const stored = await app.db.campaign.findUniqueOrThrow({ where: { name: "Web summit" }, include: { channel: true, createdBy: true } });
    expect(stored).toMatchObject({ startsOn: new Date("2027-04-01T00:00:00Z"), endsOn: new Date("2027-06-30T00:00:00Z"), isActive: true });
    expect(stored.channel?.code).toBe("web");
    expect(stored.createdBy?.email).toBe(ana.email);

    expect(textsOf(await reply(ana, "campaign web summit")).join("\n")).toContain("Channel: Web");
  });

  it("an agent sees the campaigns without buttons", async () => {
    const list = await reply(carl, "campaigns");
    expect(textsOf(list).join("\n")).toContain("*Web summit*");
    expect(JSON.stringify(actionsOf(list))).not.toMatch(/campaign\.(new|close)/);
  });
});
