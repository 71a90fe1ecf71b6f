// Starts Switchboard with Slack on a fake Slack Web API and an isolated database, for the Slack end-to-end tests.
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { startFakeSlackApi, type FakeSlackApi } from "../fakes/slack-api.js";
import { SlackRequests, TEST_SIGNING_SECRET } from "../support/slack-requests.js";
import { silentLogger, testConfig } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

export interface SlackHarness {
  app: Switchboard;
  fake: FakeSlackApi;
  slack: SlackRequests;
  database: TestDatabase;
  stop(): Promise<void>;
}

/** Ana (U1, example.com) may join; Bob (U9, other.org) may not. */
export const ANA = { id: "U1", email: "ana@example.com", realName: "Ana Ruiz", tz: "Europe/Berlin" };
export const BOB = { id: "U9", email: "bob@other.org", realName: "Bob Stone", tz: "America/New_York" };
/** A second person of Ana's workspace (example.com), for "someone else" and wrong-role tests. */
export const CARL = { id: "U7", email: "carl@example.com", realName: "Carl Berg", tz: "Europe/Berlin" };

/** Sends `/crm <text>` as `user` and returns the answer posted to its response_url. */
export async function slashCommandAnswer(h: SlackHarness, text: string, user: string, label = `c-${Math.random()}`): Promise<any> {
  await h.slack.command({ user_id: user, text, response_url: h.fake.responseUrl(label) });
  return (await h.fake.waitForCall("response_url", (c) => c.args.path === `/response/${label}`)).args;
}

export async function startSlackHarness(env: Record<string, string> = {}): Promise<SlackHarness> {
  const fake = await startFakeSlackApi();
  for (const u of [ANA, BOB]) fake.users.set(u.id, { email: u.email, realName: u.realName, tz: u.tz });
  const database = await createTestDatabase();
  try {
    const app = await startSwitchboard(
      testConfig({
        DATABASE_URL: database.url,
        SLACK_BOT_TOKEN: "xoxb-test",
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        ALLOWED_EMAIL_DOMAINS: "example.com",
        ...env,
      }),
      silentLogger,
    );
    return {
      app,
      fake,
      database,
      slack: new SlackRequests(app.http.url),
      async stop() {
        await app.stop();
        await database.close();
        await fake.close();
      },
    };
  } catch (error) {
    await database.close();
    await fake.close();
    throw error;
  }
}

/** The texts of a rendered message's blocks, flattened: for assertions that read like the message. */
export function blockTexts(blocks: any[]): string[] {
  return blocks.flatMap((b) => [
    ...(b.text?.text ? [b.text.text] : []),
    ...(b.fields ?? []).map((f: any) => f.text),
    ...(b.elements ?? []).map((e: any) => e.text?.text ?? e.text ?? ""),
  ]);
}

export function buttonsOf(blocks: any[]): { action_id: string; value?: string; text: string }[] {
  return blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements.map((e: any) => ({ action_id: e.action_id, value: e.value, text: e.text.text })));
}
