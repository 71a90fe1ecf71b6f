// Teams end to end: "Open claim from message" with its files, the card in the team's channel, Assign to me, Close.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { actionsOf, cardOf, channel, inputsOf, personalChat, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const LINK = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000001";
const LOGISTICS_CHANNEL = channel("logistics");

describe("Teams: claims", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let bo: TeamsPerson;
  let shipmentId: string;
  let claimId: string;

  beforeAll(async () => {
    h = await startTeamsHarness();
    ({ app, connector, teams, ana } = h);
    bo = h.addPerson("Bo Lind");
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: LOGISTICS_CHANNEL }));
    await postActivity(app.http.url, teams.mention(bo, "whoami", { conversation: LOGISTICS_CHANNEL }));
    const users = await app.db.user.findMany({ where: { email: { in: [ana.email!, bo.email!] } } });
    const logistics = await app.db.team.create({ data: { name: "Logistics", kind: "other", teamsConversationId: LOGISTICS_CHANNEL.id, members: { create: users.map((u) => ({ userId: u.id })) } } });
    shipmentId = (await app.db.claimCategory.update({ where: { name: "Shipment" }, data: { teamId: logistics.id } })).id;
    await app.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
    connector.files.set("img1", { contentType: "image/png", content: Buffer.from("png bytes") });
    connector.files.set("doc1", { contentType: "application/pdf", content: Buffer.from("%PDF delivery note") });
  });
  afterAll(async () => {
    await h?.stop();
  });

  function messageAction() {
    return {
      commandId: "claim.from-message",
      commandContext: "message",
      messagePayload: {
        id: "1700000000001",
        body: { contentType: "html", content: "<p>Pallet 7 arrived <b>wet</b></p>" },
        linkToMessage: LINK,
        attachments: [
          { contentType: "image/png", contentUrl: `${connector.serviceUrl}v3/attachments/img1/views/original`, name: "pallet.png" },
          { contentType: "application/vnd.microsoft.teams.file.download.info", name: "delivery-note.pdf", content: { downloadUrl: `${connector.serviceUrl}download/doc1`, fileType: "pdf" } },
          { contentType: "reference", contentUrl: "https://contoso.sharepoint.com/sites/x/file.xlsx", name: "stock.xlsx" },
        ],
      },
    };
  }

  const submitted = (card: any, inputs: Record<string, unknown>) => ({ ...card.actions[0].data, ...inputs });

  it("opens the claim from a message: text and link in the description, files kept, card in the team's channel", async () => {
    const { body } = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/fetchTask", messageAction()));
    expect(body.task.value.title).toBe("Claim from message");
    const card = body.task.value.card.content;
    expect(inputsOf(card).description.value).toBe(`Pallet 7 arrived wet\n\nFrom: ${LINK}`);
    expect(JSON.parse(card.actions[0].data.context.files).map((f: any) => f.n)).toEqual(["pallet.png", "delivery-note.pdf", "stock.xlsx"]);

    const bad = await postActivity(app.http.url, teams.invoke(ana, "composeExtension/submitAction", { commandId: "claim.from-message", commandContext: "message", data: submitted(card, { subject: "", priority: "high" }) }));
    expect(textsOf(bad.body.task.value.card.content)).toContain("Say what the claim is about.");
    expect(await app.db.claim.count()).toBe(0);

    const before = connector.sentActivities().length;
    const ok = await postActivity(
      app.http.url,
      teams.invoke(ana, "composeExtension/submitAction", { commandId: "claim.from-message", commandContext: "message", data: submitted(card, { subject: "Pallet 7 arrived wet", partner: "Acme Corp", category: shipmentId, priority: "high" }) }),
    );
    expect(ok.status).toBe(200);
    const claim = await app.db.claim.findFirstOrThrow({ where: { subject: "Pallet 7 arrived wet" } });
    claimId = claim.id;
    expect(claim).toMatchObject({ sourceLink: LINK, priority: "high" });
    await waitFor(async () => (await app.db.timelineEntry.count({ where: { recordId: claim.id, kind: { in: ["attachments", "attachment-skipped"] } } })) === 2, 8000);
    const files = await app.db.claimAttachment.findMany({ where: { claimId: claim.id }, orderBy: { createdAt: "asc" } });
    expect(files.map((f) => [f.fileName, f.contentType, Buffer.from(f.content).toString()])).toEqual([
      ["pallet.png", "image/png", "png bytes"],
      ["delivery-note.pdf", "application/octet-stream", "%PDF delivery note"],
    ]);
    expect((await app.db.timelineEntry.findFirstOrThrow({ where: { recordId: claim.id, kind: "attachment-skipped" } })).summary).toBe("stock.xlsx was not kept: it is a SharePoint file (Switchboard has no Graph permission).");
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === LOGISTICS_CHANNEL.id), 8000);
    const posted = connector.sentActivities().slice(before).find((a) => a.conversationId === LOGISTICS_CHANNEL.id)!;
    expect(actionsOf(cardOf(posted)).map((a) => a.title)).toEqual(["Assign to me", "Reassign", "In progress", "Add note (internal)", "✉ Reply by email", "Root cause", "Add repair", "Edit", "Close", "Watch", "Stop watching", "Add watcher"]);
  });

  it("Assign to me acts once, Close asks for the resolution and closes once", async () => {
    const version = (await app.db.claim.findUniqueOrThrow({ where: { id: claimId } })).version;
    const click = await postActivity(app.http.url, teams.invoke(bo, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "claim.assign-me", data: { value: `${claimId}:${version}` } } }));
    expect(click.status).toBe(200);
    expect(textsOf(click.body.value).join("\n")).toMatch(/Responsible: Bo Lind/);
    const again = await postActivity(app.http.url, teams.invoke(bo, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "claim.assign-me", data: { value: `${claimId}:${version}` } } }));
    expect(textsOf(again.body.value).join("\n")).toMatch(/Already done, or the card was out of date/);
    expect(await app.db.timelineEntry.count({ where: { recordId: claimId, kind: "assigned" } })).toBe(1);

    const close = actionsOf(click.body.value).find((a) => a.title === "Close");
    const fetched = await postActivity(app.http.url, teams.invoke(bo, "task/fetch", { data: close.data }));
    expect(fetched.body.task.value.title).toBe("Close claim");
    const card = fetched.body.task.value.card.content;
    const noResolution = await postActivity(app.http.url, teams.invoke(bo, "task/submit", { data: submitted(card, { outcome: "rejected", resolution: "" }) }));
    expect(textsOf(noResolution.body.task.value.card.content)).toContain("Say how the claim was resolved.");
    const first = await postActivity(app.http.url, teams.invoke(bo, "task/submit", { data: submitted(card, { outcome: "rejected", resolution: "Damage was caused after delivery" }) }));
    expect(first.body.task.value).toMatch(/\(Rejected\)/);
    const second = await postActivity(app.http.url, teams.invoke(bo, "task/submit", { data: submitted(card, { outcome: "rejected", resolution: "Damage was caused after delivery" }) }));
    expect(second.body.task.type).toBe("message");
    expect(await app.db.claim.findUniqueOrThrow({ where: { id: claimId } })).toMatchObject({ state: "rejected", resolution: "Damage was caused after delivery" });
    expect(await app.db.timelineEntry.count({ where: { recordId: claimId, kind: "closed" } })).toBe(1);
  });

  it("answers `customer Acme` with the partner card and its claims list", async () => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "customer Acme"));
    // Only the answer in Ana's chat: an earlier test's channel card may still be on its way from the outbox.
    const answer = connector.sentActivities().slice(before).find((c) => c.conversationId === personalChat(ana).id);
    const card = cardOf(answer!);
    expect(textsOf(card)[0]).toBe("Acme Corp");
    expect(actionsOf(card).map((a) => a.title)).toEqual(["Cases (0)", "Claims (0)", "Calls (0)"]);
  });
});
