// Teams end to end: plan a meeting by typing it, the invitee answers from the invitation card in their chat,
// the organizer's card is updated in place; `agenda` lists it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

describe("Teams: meetings", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let bea: TeamsPerson;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    bea = h.addPerson("Bea Lopez");
    await postActivity(app.http.url, teams.message(ana, "whoami"));
    await postActivity(app.http.url, teams.message(bea, "whoami"));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const cardsTo = (person: TeamsPerson, since: number) => connector.sentActivities().slice(since).filter((a) => a.conversationId === personalChat(person).id);
  const textOf = (a: { body: any }) => textsOf(cardOf(a)).join("\n");

  it("plans from a typed line, Bea accepts from her invitation (not Ana for her), Ana's card follows in place", async () => {
    const before = connector.sentActivities().length;
    const typed = await postActivity(app.http.url, teams.message(ana, "meet tomorrow 3pm for 30m with Bea Lopez"));
    expect(typed.status).toBe(200);
    await waitFor(() => cardsTo(bea, before).some((a) => textOf(a).includes("invites you to a meeting")), 10_000);
    const invitation = cardOf(cardsTo(bea, before).find((a) => textOf(a).includes("invites you to a meeting"))!);
    const accept = actionsOf(invitation).find((a) => a.title === "Accept")!;
    expect(actionsOf(invitation).map((a) => a.title)).toEqual(["Accept", "Tentative", "Decline", "Email me the .ics"]);
    await waitFor(() => cardsTo(ana, before).some((a) => textOf(a).includes("Bea Lopez — Not answered")), 10_000);

    const value = accept.data.value;
    const steal = await postActivity(app.http.url, teams.invoke(ana, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "meeting.answer", data: { value } } }));
    expect(textsOf(steal.body.value)[0]).toBe("Only the person invited can answer this invitation.");

    const mark = connector.sentActivities().length;
    const answered = await postActivity(app.http.url, teams.invoke(bea, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "meeting.answer", data: { value } } }));
    expect(textsOf(answered.body.value)[0]).toMatch(/^You accepted MTG-\d{4}/);
    await waitFor(() => connector.sentActivities().slice(mark).some((a) => a.method === "PUT" && a.conversationId === personalChat(ana).id && textOf(a).includes("Bea Lopez — Accepted")), 10_000);
    const again = await postActivity(app.http.url, teams.invoke(bea, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "meeting.answer", data: { value } } }));
    expect(textsOf(again.body.value)[0]).toMatch(/^You already accepted MTG-/);
    const beaId = (await app.db.user.findUniqueOrThrow({ where: { email: bea.email } })).id;
    expect(await app.db.meetingAttendee.findFirstOrThrow({ where: { userId: beaId } })).toMatchObject({ response: "accepted" });
  });

  it("`agenda tomorrow` lists the meeting for both of them", async () => {
    for (const person of [ana, bea]) {
      const before = connector.sentActivities().length;
      await postActivity(app.http.url, teams.message(person, "agenda tomorrow"));
      await waitFor(() => cardsTo(person, before).some((a) => textOf(a).includes("Agenda — Tomorrow")), 10_000);
      expect(textOf(cardsTo(person, before).find((a) => textOf(a).includes("Agenda — Tomorrow"))!)).toMatch(/📅 .* · \*{1,2}Meeting\*{1,2} · MTG-\d{4}/);
    }
  });
});
