// Teams end to end: dialogs (task/fetch, task/submit), the "Log call from message" action and type-ahead search.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

describe("Teams: dialogs, the message action and search", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let acmeId: string;
  let callId: string;
  let editButton: any;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    acmeId = (await app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } })).id;
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "call Acme Corp: discussed renewal, 20m"));
    editButton = actionsOf(cardOf(connector.sentActivities()[before]!)).find((a) => a.title === "Edit");
    callId = (await app.db.phoneCall.findFirstOrThrow({ where: { subject: "discussed renewal" } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function openEditDialog() {
    const { status, body } = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: editButton.data, context: { theme: "default" } }));
    expect(status).toBe(200);
    return body;
  }

  function submitted(card: any, inputs: Record<string, unknown>) {
    return { ...card.actions[0].data, ...inputs };
  }

  it("opens the Edit dialog with the call's values, in the person's time zone", async () => {
    const body = await openEditDialog();
    expect(body.task).toMatchObject({ type: "continue", value: { title: "Edit call", width: "medium" } });
    const card = body.task.value.card.content;
    const inputs = inputsOf(card);
    expect(inputs.subject).toMatchObject({ type: "Input.Text", value: "discussed renewal", isRequired: true, maxLength: 500 });
    expect(inputs.durationMinutes).toMatchObject({ type: "Input.Number", value: 20 });
    expect(inputs.partner).toMatchObject({ type: "Input.ChoiceSet", value: acmeId, choices: [{ title: "Acme Corp", value: acmeId }], "choices.data": { type: "Data.Query", dataset: "partners" } });
    const call = await app.db.phoneCall.findUniqueOrThrow({ where: { id: callId } });
    const berlin = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" }).format(call.callAt);
    expect(`${inputs.callAt__date.value} ${inputs.callAt__time.value}`).toBe(berlin);
    expect(card.actions[0]).toMatchObject({ type: "Action.Submit", title: "Save", data: { formId: "call.form", context: { callId } } });
  });

  it("shows the dialog again with field errors for bad values, and changes nothing", async () => {
    const card = (await openEditDialog()).task.value.card.content;
    const { body } = await postActivity(
      app.http.url,
      teams.invoke(ana, "task/submit", { data: submitted(card, { subject: "", durationMinutes: "5000", callAt__date: "2026-11-24", callAt__time: "10:00", partner: acmeId }) }),
    );
    expect(body.task.type).toBe("continue");
    const again = body.task.value.card.content;
    expect(textsOf(again)).toEqual(expect.arrayContaining(["Say what the call was about.", "A call cannot last more than 24 hours (1440 minutes)."]));
    const errorBlocks = JSON.stringify(again).match(/"color":"Attention"/g) ?? [];
    expect(errorBlocks).toHaveLength(2);
    const inputs = inputsOf(again);
    expect(inputs.durationMinutes.value).toBe(5000);
    expect(inputs.callAt__date.value).toBe("2026-11-24");
    expect(inputs.callAt__time.value).toBe("10:00");
    expect(inputs.partner.choices).toEqual([{ title: "Acme Corp", value: acmeId }]);
    expect(again.actions[0].data.context).toEqual({ callId });
    expect(await app.db.phoneCall.findUniqueOrThrow({ where: { id: callId } })).toMatchObject({ subject: "discussed renewal", durationMinutes: 20 });
  });

  it("saves valid values, closes the dialog and posts the updated call card", async () => {
    const card = (await openEditDialog()).task.value.card.content;
    const before = connector.sentActivities().length;
    const { body } = await postActivity(
      app.http.url,
      teams.invoke(ana, "task/submit", {
        data: submitted(card, { direction: "inbound", state: "held", partner: acmeId, subject: "renewal signed", durationMinutes: "25", callAt__date: "2026-11-24", callAt__time: "10:00" }),
      }),
    );
    expect(body.task.type).toBe("message");
    expect(body.task.value).toMatch(/renewal signed/);
    const call = await app.db.phoneCall.findUniqueOrThrow({ where: { id: callId } });
    expect(call).toMatchObject({ subject: "renewal signed", direction: "inbound", durationMinutes: 25 });
    expect(call.callAt.toISOString()).toBe("2026-11-24T09:00:00.000Z");
    const posted = connector.sentActivities().slice(before);
    expect(posted).toHaveLength(1);
    expect(textsOf(cardOf(posted[0]!))[0]).toBe("Call from Acme Corp");
  });

  it("opens the call form from a chat message with its text and a link to it in the notes", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()));
    expect(body.task.value.title).toBe("Log call from message");
    const card = body.task.value.card.content;
    const inputs = inputsOf(card);
    expect(inputs.subject.value).toBe("Customer asked about pricing & terms");
    expect(inputs.notes.value).toBe(`Customer asked about pricing & terms\nCall back <tomorrow>\n\nFrom: ${LINK}`);
    expect(textsOf(card)[0]).toBe("Logging a call from a chat message.");
    expect(card.actions[0].data).toMatchObject({ formId: "call.form", context: { sourceLink: LINK }, opener: { kind: "message", shortcut: "call.from-message", link: LINK } });
  });

  it("saves the call from the message action, closes the dialog and posts the card in the conversation", async () => {
    const fetched = (await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()))).body.task.value.card.content;
    const values = { direction: "outbound", state: "held", partner: "new:Globex", subject: "pricing question", notes: "asked about pricing", callAt__date: "2026-11-20", callAt__time: "15:30" };

    const bad = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "call.from-message", commandContext: "message", data: submitted(fetched, { ...values, subject: "" }) }));
    expect(bad.body.task.type).toBe("continue");
    expect(bad.body.task.value.title).toBe("Log call from message");
    expect(inputsOf(bad.body.task.value.card.content).partner.choices).toEqual([{ title: "Create “Globex”", value: "new:Globex" }]);

    const before = connector.sentActivities().length;
    const { status, body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "call.from-message", commandContext: "message", data: submitted(fetched, values) }));
    expect(status).toBe(200);
    expect(body).toEqual({});
    const call = await app.db.phoneCall.findFirstOrThrow({ where: { subject: "pricing question" }, include: { partner: true } });
    expect(call).toMatchObject({ sourceLink: LINK, partner: { name: "Globex" } });
    expect(call.callAt.toISOString()).toBe("2026-11-20T14:30:00.000Z");
    expect(textsOf(cardOf(connector.sentActivities()[before]!))[0]).toBe("Call with Globex");
  });

  it("still saves from the message action in a chat the bot is not in, and says where the card went", async () => {
    const fetched = (await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()))).body.task.value.card.content;
    connector.failNext(1, { status: 403 });
    const values = { direction: "outbound", state: "held", subject: "roster test", callAt__date: "2026-11-20", callAt__time: "09:00" };
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "call.from-message", data: submitted(fetched, values) }));
    expect(body.task.type).toBe("message");
    expect(body.task.value).toMatch(/roster test.*Add Switchboard to this chat/);
    expect(await app.db.phoneCall.count({ where: { subject: "roster test" } })).toBe(1);
  });

  it("answers an invoke that fails inside the turn with an apology and a reference, not an error page", async () => {
    const { status, body } = await postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", {}));
    expect(status).toBe(200);
    expect(textsOf(body.value)[0]).toMatch(/^Sorry, something went wrong on Switchboard's side\. Reference: [0-9a-f]{8}\.$/);
  });

  it("answers type-ahead searches with partners and an offer to create a new one", async () => {
    const { status, body } = await postActivity(app.http.url, teams.invoke(ana, "application/search", { queryText: "acm", kind: "search", dataset: "partners", queryOptions: { skip: 0, top: 15 } }));
    expect(status).toBe(200);
    expect(body).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.search.searchResponse",
      value: { results: [{ title: "Acme Corp", value: acmeId }, { title: "Create “acm”", value: "new:acm" }] },
    });
  });

  it("answers an empty search (the dropdown just opened) with the first partners", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "application/search", { queryText: "", dataset: "partners" }));
    expect(body.value.results.map((r: { title: string }) => r.title)).toContain("Acme Corp");
  });

  it("closes a dialog opened from a button that no longer exists with a short message", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, verb: "old.button" } }));
    expect(body).toEqual({ task: { type: "message", value: "That button is no longer supported. Run the command again." } });
  });
});

const LINK = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000000";

function messageAction() {
  return {
    commandId: "call.from-message",
    commandContext: "message",
    messagePayload: {
      id: "1700000000000",
      body: { contentType: "html", content: "<p>Customer <b>asked</b> about pricing &amp; terms</p><div>Call back &lt;tomorrow&gt;<script>alert(1)</script></div>" },
      linkToMessage: LINK,
    },
  };
}
