// Teams end to end: the lead quick form answers with the card and its duplicate; the "Create lead from message" action
// opens the form with the text; a field error is shown again in the dialog, then the card goes to the sales channel.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const LINK = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000001";
const SALES_CHANNEL = channel("sales");

describe("Teams: leads", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let salesId: string;
  let anaId: string;

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

  it("answers the quick form with the lead's card, which shows an earlier lead with the same phone", async () => {
    const stage = await app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const earlier = await app.db.lead.create({ data: { title: "Called last week", phone: "+1 555 0100 200", phoneSanitized: "+15550100200", stageId: stage.id } });
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "lead Joe Bloggs, +1 (555) 0100-200: pricing for 10 seats"));
    const card = cardOf(connector.sentActivities()[before]!);
    const texts = textsOf(card).join("\n");
    expect(texts).toMatch(/LEAD-\d{4}: pricing for 10 seats/);
    expect(texts).toContain(`LEAD-${String(earlier.number).padStart(4, "0")}`);
    expect(texts).toContain("(same phone)");
    expect(actionsOf(card).some((a) => a.title === `Open LEAD-${String(earlier.number).padStart(4, "0")}`)).toBe(true);
    expect(await app.db.lead.findFirstOrThrow({ where: { title: "pricing for 10 seats" } })).toMatchObject({ teamId: salesId, salespersonId: anaId, phoneSanitized: "+15550100200" });
  });

  function messageAction() {
    return {
      commandId: "lead.from-message",
      commandContext: "message",
      messagePayload: { id: "1700000000001", body: { contentType: "html", content: "<p>Initech wants a <b>quote</b> for 200 seats</p>" }, linkToMessage: LINK },
    };
  }
  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });

  it("opens the lead form from a message action with the text, shows a field error again, then posts the card to the sales channel", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()));
    expect(body.task.value.title).toBe("Create lead from message");
    const card = body.task.value.card.content;
    const inputs = inputsOf(card);
    expect(inputs.title.value).toBe("Initech wants a quote for 200 seats");
    expect(inputs.notes.value).toBe("Initech wants a quote for 200 seats");
    expect(inputs.team.value).toBe(salesId);
    expect(card.actions[0].data).toMatchObject({ formId: "lead.form", context: { sourceLink: LINK } });

    const bad = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "lead.from-message", commandContext: "message", data: submitted(card, { title: "Initech quote", email: "bill@", team: salesId }) }));
    expect(bad.body.task.type).toBe("continue");
    expect(textsOf(bad.body.task.value.card.content)).toContain("That email address is not valid: bill@");
    expect(await app.db.lead.count({ where: { title: "Initech quote" } })).toBe(0);

    const before = connector.sentActivities().length;
    const ok = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "lead.from-message", commandContext: "message", data: submitted(card, { title: "Initech quote", email: "bill@initech.com", team: salesId }) }));
    expect(ok.status).toBe(200);
    const lead = await app.db.lead.findFirstOrThrow({ where: { title: "Initech quote" } });
    expect(lead).toMatchObject({ teamId: salesId, sourceLink: LINK, emailDomain: "initech.com", createdById: anaId });
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === SALES_CHANNEL.id && textsOf(cardOf(a))[0]?.includes("Initech quote")), 8000);
  });

  it("the Teams manifest declares the message action, within Teams' limit of 10 commands per list", () => {
    const manifest = JSON.parse(readFileSync("manifest/teams/manifest.json", "utf8"));
    const actions = manifest.composeExtensions[0].commands;
    expect(actions.find((c: any) => c.id === "lead.from-message")).toMatchObject({ type: "action", title: "Create lead from message", context: ["message"], fetchTask: true });
    expect(actions.length).toBeLessThanOrEqual(10);
    for (const list of manifest.bots[0].commandLists) expect(list.commands.length).toBeLessThanOrEqual(10);
  });

  it("refuses a forged non-sales team id in the dialog, and an unknown reference", async () => {
    const support = await app.db.team.create({ data: { name: "Support", kind: "support" } });
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()));
    const card = body.task.value.card.content;
    const bad = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "lead.from-message", commandContext: "message", data: submitted(card, { title: "Forged", team: support.id }) }));
    expect(textsOf(bad.body.task.value.card.content)).toContain("Support is not a sales team; choose a sales team.");
    expect(await app.db.lead.count({ where: { title: "Forged" } })).toBe(0);
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "lead LEAD-9999"));
    expect(textsOf(cardOf(connector.sentActivities()[before]!))).toContain("There is no lead or opportunity number 9999.");
  });
});
