// Teams end to end: "Open case from message", the card in the team's channel, Assign to me, Close.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const LINK = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000000";
const SUPPORT_CHANNEL = channel("support");
const L2_CHANNEL = channel("support-l2");

describe("Teams: cases", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let supportId: string;
  let caseId: string;
  let channelActivityId: string;
  let assignedCard: any;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    // Ana's first contact in the support channel: the bot learns her and the channel's conversation.
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SUPPORT_CHANNEL }));
    const user = await app.db.user.findUniqueOrThrow({ where: { email: ana.email } });
    supportId = (await app.db.team.create({ data: { name: "Support", kind: "support", teamsConversationId: SUPPORT_CHANNEL.id, members: { create: [{ userId: user.id }] } } })).id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  function messageAction() {
    return {
      commandId: "case.from-message",
      commandContext: "message",
      messagePayload: { id: "1700000000000", body: { contentType: "html", content: "<p>The <b>scanner</b> rejects every badge</p>" }, linkToMessage: LINK },
    };
  }

  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });

  it("opens the case form from a message with its text and link as the description", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()));
    expect(body.task.value.title).toBe("Open case from message");
    const card = body.task.value.card.content;
    const inputs = inputsOf(card);
    expect(inputs.subject.value).toBe("The scanner rejects every badge");
    expect(inputs.description.value).toBe(`The scanner rejects every badge\n\nFrom: ${LINK}`);
    expect(inputs.team.value).toBe(supportId);
    expect(inputs.assignee["choices.data"]).toEqual({ type: "Data.Query", dataset: "users" });
    expect(card.actions[0].data).toMatchObject({ formId: "case.form", context: { sourceLink: LINK }, opener: { kind: "message", shortcut: "case.from-message", link: LINK } });
  });

  it("shows field errors again, then stores the case and posts its card to the team's channel", async () => {
    const fetched = (await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()))).body.task.value.card.content;
    const bad = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "case.from-message", commandContext: "message", data: submitted(fetched, { subject: "", priority: "high" }) }));
    expect(bad.body.task.type).toBe("continue");
    expect(textsOf(bad.body.task.value.card.content)).toContain("Say what the case is about.");
    expect(await app.db.case.count()).toBe(0);

    const before = connector.sentActivities().length;
    const { status } = await postActivity(
      app.http.url,
      teams.invoke(ana, "composeExtension/submitAction", { commandId: "case.from-message", commandContext: "message", data: submitted(fetched, { subject: "Badge scanner rejects badges", priority: "high", team: supportId }) }),
    );
    expect(status).toBe(200);
    const c = await app.db.case.findFirstOrThrow({ where: { subject: "Badge scanner rejects badges" } });
    caseId = c.id;
    expect(c).toMatchObject({ teamId: supportId, priority: "high", sourceLink: LINK, version: 0 });
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === SUPPORT_CHANNEL.id), 8000);
    const posted = connector.sentActivities().slice(before).find((a) => a.conversationId === SUPPORT_CHANNEL.id)!;
    expect(posted.method).toBe("POST");
    const card = cardOf(posted);
    expect(textsOf(card)[0]).toMatch(/^CASE-\d{4}: Badge scanner rejects badges$/);
    expect(actionsOf(card).map((a) => a.title)).toEqual(["Assign to me", "Reassign", "Change stage", "Edit", "Change type", "Log time", "Contract", "Schedule meeting", "Add note (internal)", "✉ Reply by email", "Escalate", "Close", "Watch", "Stop watching", "Add watcher"]);
    await waitFor(async () => (await app.db.outbox.count({ where: { subjectKey: `case:${c.id}`, state: "sent" } })) === 1, 5000);
    const row = await app.db.outbox.findFirstOrThrow({ where: { subjectKey: `case:${c.id}` } });
    channelActivityId = row.messageRef!;
    expect(channelActivityId).toBeTruthy();
  });

  it("Assign to me replaces the clicked card and updates the channel card in place", async () => {
    const before = connector.sentActivities().length;
    const click = await postActivity(
      app.http.url,
      teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "case.assign-me", data: { value: `${caseId}:0` } } }, { conversation: SUPPORT_CHANNEL, replyToId: "some-card" }),
    );
    expect(click.status).toBe(200);
    expect(textsOf(click.body.value)[0]).toMatch(/is now assigned to you/);
    expect(textsOf(click.body.value)).toContain("Assignee: Ana Ruiz");
    assignedCard = click.body.value;
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.method === "PUT" && a.conversationId === SUPPORT_CHANNEL.id && String(channelActivityId).includes(a.activityId!)), 8000);
    const again = await postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "case.assign-me", data: { value: `${caseId}:0` } } }));
    expect(textsOf(again.body.value)[0]).toMatch(/already assigned to you/);
    expect(await app.db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ version: 1 });
  });

  it("Close opens a dialog asking for the resolution and closes the case once", async () => {
    const close = actionsOf(assignedCard).find((a) => a.title === "Close");
    expect(close.data).toEqual({ msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "case.close", value: `${caseId}:1` } });
    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: close.data }));
    expect(fetched.body.task.value.title).toMatch(/^Close CASE-\d{4}$/);
    const card = fetched.body.task.value.card.content;
    const first = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { resolution: "Re-flashed the reader" }) }));
    expect(first.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/is closed/) });
    const second = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted(card, { resolution: "Re-flashed the reader" }) }));
    expect(second.body.task.value).toMatch(/already closed/);
    expect(await app.db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ isOpen: false, resolution: "Re-flashed the reader", version: 2 });
    expect(await app.db.timelineEntry.count({ where: { recordType: "case", recordId: caseId, kind: "closed" } })).toBe(1);
  });

  it("answers `cases` with my open cases and `case CASE-…` with the card", async () => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "cases"));
    expect(textsOf(cardOf(connector.sentActivities()[before]!))).toContain("No open cases are assigned to you. Open one with `/crm case`.");
    const number = (await app.db.case.findUniqueOrThrow({ where: { id: caseId } })).number;
    await postActivity(app.http.url, teams.message(ana, `case case-${number}`));
    const card = cardOf(connector.sentActivities()[before + 1]!);
    expect(textsOf(card)[0]).toMatch(/Badge scanner rejects badges/);
    expect(actionsOf(card).map((a) => a.title)).toEqual(["Reopen", "Add note (internal)", "✉ Reply by email", "Watch", "Stop watching", "Add watcher"]);
  });

  it("Escalate moves the case to the parent team: level up, card in its channel, DM to its manager; the stale button changes nothing", async () => {
    // Support's parent team "Support L2" has its own channel and a manager, Mia, who has a personal chat with the bot.
    const mia = h.addPerson("Mia Lund");
    await postActivity(app.http.url, teams.message(mia, "whoami"));
    await postActivity(app.http.url, teams.mention(mia, "whoami", { conversation: L2_CHANNEL }));
    const miaUser = await app.db.user.findUniqueOrThrow({ where: { email: mia.email } });
    const l2 = await app.db.team.create({ data: { name: "Support L2", kind: "support", teamsConversationId: L2_CHANNEL.id, managerId: miaUser.id } });
    await app.db.team.update({ where: { id: supportId }, data: { parentId: l2.id } });

    await postActivity(app.http.url, teams.message(ana, "case Scanner firmware bricked"));
    const c = await app.db.case.findFirstOrThrow({ where: { subject: "Scanner firmware bricked" } });
    expect(c).toMatchObject({ teamId: supportId, level: 0, version: 0 });
    await waitFor(async () => (await app.db.outbox.count({ where: { subjectKey: `case:${c.id}`, state: "sent" } })) === 1, 8000);

    const before = connector.sentActivities().length;
    const press = () => postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "case.escalate", data: { value: `${c.id}:0` } } }, { conversation: SUPPORT_CHANNEL, replyToId: "some-card" }));
    const first = await press();
    expect(first.status).toBe(200);
    expect(textsOf(first.body.value)[0]).toMatch(/^CASE-\d{4} escalated to Support L2 \(level 10\)\.$/);
    expect(textsOf(first.body.value)).toContain("Assignee: Mia Lund");
    expect(await app.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: l2.id, assigneeId: miaUser.id, level: 10, version: 1 });
    expect(await app.db.timelineEntry.findFirstOrThrow({ where: { recordType: "case", recordId: c.id, kind: "escalated" } })).toMatchObject({ summary: "Escalated to Support L2: by Ana Ruiz" });

    // The parent team's channel gets the card, Mia gets a direct message saying why.
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === L2_CHANNEL.id), 8000);
    const posted = connector.sentActivities().slice(before).find((a) => a.conversationId === L2_CHANNEL.id)!;
    expect(posted.method).toBe("POST");
    expect(textsOf(cardOf(posted))[0]).toMatch(/^CASE-\d{4}: Scanner firmware bricked$/);
    expect(textsOf(cardOf(posted))).toContain("Assignee: Mia Lund");
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === personalChat(mia).id), 8000);
    const dm = connector.sentActivities().slice(before).find((a) => a.conversationId === personalChat(mia).id)!;
    expect(textsOf(cardOf(dm))[0]).toBe("Escalated to Support L2: by Ana Ruiz");
    expect(textsOf(cardOf(dm))[1]).toMatch(/Scanner firmware bricked/);
    // Support's channel card (the team the case left) is updated in place.
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.method === "PUT" && a.conversationId === SUPPORT_CHANNEL.id), 8000);

    // The same (now stale) button again: a clear answer, and nothing moves, rises or is sent.
    const outboxBefore = await app.db.outbox.count();
    const second = await press();
    expect(second.status).toBe(200);
    expect(textsOf(second.body.value)[0]).toMatch(/changed since this card was shown .*nothing was done/);
    expect(await app.db.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ teamId: l2.id, assigneeId: miaUser.id, level: 10, version: 1 });
    expect(await app.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "escalated" } })).toBe(1);
    expect(await app.db.outbox.count()).toBe(outboxBefore);
  }, 60_000);
});
