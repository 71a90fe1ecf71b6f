// Teams outbox transport: proactive posts and in-place updates in stored conversations, and how failures map to retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { notice } from "../../src/bot/views/view.js";
import { DeliveryError, type OutgoingMessage, type Transport } from "../../src/jobs/transport.js";
import { startFakeBotConnector, type FakeBotConnector } from "../fakes/bot-connector.js";
import { aTeamsPerson, cardOf, channel, personalChat, postActivity, teamsActivities, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { silentLogger, testConfig } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

describe("Teams outbox transport", () => {
  let database: TestDatabase;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let transport: Transport;
  let ana: TeamsPerson;
  let chat: string;

  beforeAll(async () => {
    connector = await startFakeBotConnector();
    database = await createTestDatabase();
    app = await startSwitchboard(
      testConfig({ DATABASE_URL: database.url.replace(/^postgresql:/, "postgres:"), TEAMS_ENABLED: "true", ALLOWED_EMAIL_DOMAINS: "example.com" }),
      silentLogger,
    );
    transport = app.surfaces.teams!.transport;
    ana = aTeamsPerson();
    connector.addMember(ana);
    const teams = teamsActivities(connector);
    await postActivity(app.http.url, teams.installation(ana, "add"));
    await postActivity(app.http.url, teams.conversationUpdate(ana, { conversation: channel("support") }));
    chat = personalChat(ana).id;
  });
  afterAll(async () => {
    await app?.stop();
    await connector?.close();
    await database?.close();
  });

  const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ id: "outbox-1", target: chat, scope: "tenant-1", view: notice("A planned call is due now."), ...over });

  async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }

  it("posts a card proactively as a new message in the stored conversation and returns its id", async () => {
    const before = connector.calls.length;
    const { messageRef } = await transport.deliver(message());
    const calls = connector.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "POST", path: `/v3/conversations/${encodeURIComponent(chat)}/activities`, conversationId: chat });
    expect(messageRef).toMatch(/^activity-\d+$/);
    expect(textsOf(cardOf(calls[0]!))).toEqual(["A planned call is due now."]);
  });

  it("posts into a team channel the bot was added to", async () => {
    const before = connector.calls.length;
    await transport.deliver(message({ target: channel("support").id }));
    expect(connector.calls.slice(before)[0]).toMatchObject({ method: "POST", conversationId: channel("support").id });
  });

  it("replies in a channel's reply chain when given a thread root, and ignores it in a personal chat", async () => {
    const support = channel("support").id;
    const root = await transport.deliver(message({ target: support, view: notice("CASE-0001 card") }));
    let before = connector.calls.length;
    await transport.deliver(message({ target: support, view: notice("Email from jane"), threadRef: root.messageRef }));
    const threadId = `${support};messageid=${root.messageRef}`;
    expect(connector.calls.slice(before)[0]).toMatchObject({ method: "POST", path: `/v3/conversations/${encodeURIComponent(threadId)}/activities` });
    before = connector.calls.length;
    await transport.deliver(message({ view: notice("Email from bob"), threadRef: "activity-1" }));
    expect(connector.calls.slice(before)[0]).toMatchObject({ method: "POST", conversationId: chat });
  });

  it("updates an earlier message in place when it has its reference", async () => {
    const { messageRef } = await transport.deliver(message());
    const before = connector.calls.length;
    const updated = await transport.deliver(message({ view: notice("The call was held."), updateRef: messageRef }));
    const calls = connector.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: "PUT", conversationId: chat, activityId: messageRef });
    expect(textsOf(cardOf(calls[0]!))).toEqual(["The call was held."]);
    expect(updated.messageRef).toBe(messageRef);
  });

  it("maps a 429 to a retryable DeliveryError with Retry-After, without retrying inside the client", async () => {
    connector.failNext(1, { status: 429, retryAfter: "7" });
    const before = connector.calls.length;
    const error = await failure(transport.deliver(message()));
    expect(error.opts).toEqual({ retryAfterMs: 7000, isPermanent: false });
    expect(connector.calls.length - before).toBe(1);
  });

  it("maps 502 to a retryable DeliveryError, once", async () => {
    connector.failNext(1, { status: 502 });
    const before = connector.calls.length;
    const error = await failure(transport.deliver(message()));
    expect(error.opts.isPermanent).toBe(false);
    expect(connector.calls.length - before).toBe(1);
  });

  it("maps 403 (bot not in the conversation) to a permanent DeliveryError", async () => {
    connector.failNext(1, { status: 403 });
    expect((await failure(transport.deliver(message()))).opts.isPermanent).toBe(true);
  });

  it("refuses an unknown conversation permanently, without calling Teams", async () => {
    const before = connector.calls.length;
    const error = await failure(transport.deliver(message({ target: "a:never-seen" })));
    expect(error.opts.isPermanent).toBe(true);
    expect(connector.calls.length).toBe(before);
  });

  it("keeps the personal chat where notifyUser looks for a person's DMs", async () => {
    const row = await app.db.teamsConversation.findFirstOrThrow({ where: { userAadId: ana.aadObjectId, kind: "personal" } });
    expect(row.id).toBe(chat);
  });
});
