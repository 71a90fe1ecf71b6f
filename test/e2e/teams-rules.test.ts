// Teams end to end: an admin types "rules", writes a rule in the dialog (a broken one comes back with line numbers,
// nothing stored), and the saved rule posts in the team's channel when a case is opened by a typed message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SUPPORT_CHANNEL = channel("support");

const RULE = `name: Tell the channel about new cases
record: case
enabled: true
trigger: { kind: created }
actions:
  - { do: post, to: team-channel, text: "Rule says: {{case.ref}} opened by the gateway or chat" }
`;

describe("Teams: automation rules from the rules command", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let carl: TeamsPerson;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    carl = h.addPerson("Carl Berg");
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SUPPORT_CHANNEL }));
    await postActivity(app.http.url, teams.message(carl, "whoami"));
    const user = await app.db.user.update({ where: { email: ana.email }, data: { role: "admin" } });
    await app.db.team.create({ data: { name: "Support", kind: "support", teamsConversationId: SUPPORT_CHANNEL.id, members: { create: [{ userId: user.id }] } } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const lastReplyTo = async (before: number) => {
    await waitFor(() => connector.sentActivities().length > before, 5000);
    return connector.sentActivities().at(-1)!;
  };

  it("refuses someone who is not an admin", async () => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(carl, "rules"));
    const reply = await lastReplyTo(before);
    expect(JSON.stringify(reply.body)).toMatch(/Only an admin can see and change automation rules/);
  });

  it("opens the rule dialog, shows problems with line numbers, saves a good rule, and the rule acts on the next case", async () => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "rules"));
    const list = cardOf(await lastReplyTo(before));
    const create = actionsOf(list).find((a: any) => a.data?.verb === "rule.new" || a.verb === "rule.new" || JSON.stringify(a).includes("rule.new"));
    expect(create).toBeDefined();

    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "rule.new", value: "" } } }));
    const card = fetched.body.task.value.card.content;
    const submit = (rule: string) => postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: { ...card.actions[0].data, rule } }));

    const refused = await submit(RULE.replace("{{case.ref}}", "{{case.reff}}"));
    expect(refused.body.task.type).toBe("continue");
    expect(textsOf(refused.body.task.value.card.content).join("\n")).toMatch(/line 6: .*case\.reff/);
    expect(await app.db.automationRule.count()).toBe(0);

    const saved = await submit(RULE);
    expect(saved.status).toBe(200);
    await waitFor(async () => (await app.db.automationRule.count()) === 1, 5000);

    const sentBefore = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "case Badge reader is offline"));
    await waitFor(() => connector.sentActivities().slice(sentBefore).some((a) => a.conversationId === SUPPORT_CHANNEL.id && /Rule says: CASE-\d{4}/.test(JSON.stringify(a.body))), 10_000);
  });
});
