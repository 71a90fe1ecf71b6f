// Teams end to end: request a merge from an opportunity card (a dialog with a multi-select), the manager approves from
// the card in their personal chat (updated in place), a second click changes nothing; and the reject path.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import { matchKeys } from "../../src/domain/leads.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

describe("Teams: merge with a manager's approval", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let mia: TeamsPerson;
  let salesId: string;
  let seq = 0;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    mia = h.addPerson("Mia Lund");
    // First contact in their personal chats: the bot learns them and where to DM them.
    for (const person of [ana, mia]) await postActivity(app.http.url, teams.message(person, "whoami"));
    const anaUser = await app.db.user.findUniqueOrThrow({ where: { email: ana.email } });
    const miaUser = await app.db.user.update({ where: { email: mia.email }, data: { role: "manager" } });
    salesId = (await app.db.team.create({ data: { name: "Sales", kind: "sales", managerId: miaUser.id, members: { create: [{ userId: anaUser.id }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function twoDuplicates() {
    seq += 1;
    const stage = await app.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const email = `buyer${seq}@hooli${seq}.test`;
    const make = (title: string, city: string | null) =>
      app.db.lead.create({ data: { title, type: "opportunity", email, ...matchKeys({ email }), city, teamId: salesId, stageId: stage.id, probability: stage.probability } });
    return [await make(`Hooli ${seq} seats`, null), await make(`Hooli ${seq} renewal`, "Palo Alto")] as const;
  }

  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });

  /** Ana opens the dialog from the card's button and submits it; returns the card Mia gets in her personal chat. */
  async function requestMerge(older: { id: string }, newer: { id: string }, reason: string) {
    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: { msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "lead.merge", value: `${older.id}:0` } } }));
    const card = fetched.body.task.value.card.content;
    const records = inputsOf(card).leadIds;
    expect(records).toMatchObject({ type: "Input.ChoiceSet", isMultiSelect: true, style: "expanded", value: `${older.id},${newer.id}` });
    const before = connector.sentActivities().length;
    const done = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { leadIds: records.value, reason }) }));
    expect(done.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/sent for approval/) });
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === personalChat(mia).id), 8000);
    return cardOf(connector.sentActivities().slice(before).find((a) => a.conversationId === personalChat(mia).id)!);
  }

  const click = (person: TeamsPerson, verb: string, value: string) =>
    postActivity(app.http.url, teams.invoke(person, "adaptiveCard/action", { action: { type: "Action.Execute", verb, data: { value } } }, { replyToId: "the-request-card" }));

  it("request → approve from the personal chat card → updated in place; a second click changes nothing", async () => {
    const [older, newer] = await twoDuplicates();
    const card = await requestMerge(older, newer, "Same buyer twice");
    expect(textsOf(card).join("\n")).toContain("Same buyer twice");
    const approve = actionsOf(card).find((a) => a.title === "Approve");
    expect(approve).toMatchObject({ type: "Action.Execute", verb: "merge.approve" });
    const request = await app.db.mergeRequest.findFirstOrThrow({ where: { items: { some: { leadId: older.id } } } });
    await waitFor(async () => (await app.db.outbox.count({ where: { subjectKey: `merge:${request.id}`, state: "sent" } })) === 1, 5000);
    const dmRef = (await app.db.outbox.findFirstOrThrow({ where: { subjectKey: `merge:${request.id}` } })).messageRef!;

    const before = connector.sentActivities().length;
    const approved = await click(mia, "merge.approve", approve.data.value);
    expect(textsOf(approved.body.value).join("\n")).toMatch(/MRG-\d{4} was approved by Mia Lund/);
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.method === "PUT" && a.conversationId === personalChat(mia).id && dmRef.includes(a.activityId!)), 8000);
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === personalChat(ana).id && textsOf(cardOf(a)).join("\n").includes("was approved by Mia Lund")), 8000);
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ mergedIntoId: older.id, isOpen: false });
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: older.id } })).toMatchObject({ city: "Palo Alto", version: 1 });

    const again = await click(mia, "merge.approve", approve.data.value);
    expect(textsOf(again.body.value)[0]).toMatch(/^MRG-\d{4} was already approved by Mia Lund at .*; nothing was changed\./);
    expect(await app.db.timelineEntry.count({ where: { recordType: "lead", recordId: older.id, kind: "merged" } })).toBe(1);
  });

  it("reject asks for a reason in a dialog and tells the requester; nothing is merged", async () => {
    const [older, newer] = await twoDuplicates();
    const card = await requestMerge(older, newer, "Looks the same");
    const reject = actionsOf(card).find((a) => a.title === "Reject");
    expect(reject.data).toMatchObject({ msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "merge.reject" } });
    const fetched = await postActivity(app.http.url, teams.invoke(mia, "task/fetch", { data: reject.data }));
    const form = fetched.body.task.value.card.content;
    const empty = await postActivity(app.http.url, teams.invoke(mia, "task/submit", { data: submitted(form, { reason: "" }) }));
    expect(empty.body.task.type).toBe("continue");
    expect(textsOf(empty.body.task.value.card.content)).toContain("Say why the merge is rejected; the requester is told.");
    const before = connector.sentActivities().length;
    const done = await postActivity(app.http.url, teams.invoke(mia, "task/submit", { data: submitted(form, { reason: "Two different deals" }) }));
    expect(done.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/was rejected by Mia Lund/) });
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === personalChat(ana).id && textsOf(cardOf(a)).join("\n").includes("Two different deals")), 8000);
    expect(await app.db.lead.findUniqueOrThrow({ where: { id: newer.id } })).toMatchObject({ mergedIntoId: null, isOpen: true });
  });
});
