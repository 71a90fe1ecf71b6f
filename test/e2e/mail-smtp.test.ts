// End to end over real protocols: nodemailer → our SMTP listener → a case, its card in Slack, the acknowledgement at an
// SMTP sink; the customer's reply threads under the card; unknown recipients, oversized mail, redelivery and a failed commit.
import net from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { startFakeSlackApi, type FakeSlackApi } from "../fakes/slack-api.js";
import { startSmtpSink, type SmtpSink } from "../fakes/smtp-sink.js";
import { TEST_SIGNING_SECRET } from "../support/slack-requests.js";
import { silentLogger, testConfig } from "../support/test-config.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";
import { waitFor } from "../support/wait-for.js";

const MAX_BYTES = 200 * 1024;
const ALIAS = "support@acme.test";

let app: Switchboard;
let slack: FakeSlackApi;
let sink: SmtpSink;
let database: TestDatabase;
let smtpPort: number;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  slack = await startFakeSlackApi();
  sink = await startSmtpSink();
  database = await createTestDatabase();
  smtpPort = await freePort();
  app = await startSwitchboard(
    testConfig({
      DATABASE_URL: database.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SMTP_URL: sink.url,
      MAIL_FROM: "Switchboard <crm@acme.test>",
      SMTP_LISTEN_PORT: String(smtpPort),
      SMTP_LISTEN_HOST: "127.0.0.1",
      MAIL_MAX_BYTES: String(MAX_BYTES),
    }),
    silentLogger,
  );
  await app.db.team.create({ data: { name: "Support", kind: "support", emailAlias: ALIAS, slackChannelId: "CSUPPORT" } });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
  await sink?.close();
  await slack?.close();
});

const customer = () => nodemailer.createTransport({ host: "127.0.0.1", port: smtpPort, secure: false, ignoreTLS: true });
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

/** Sends as Carla; resolves with the server's reply line, rejects with the SMTP error. */
async function sendAsCustomer(mail: { to?: string; subject: string; text: string; messageId: string; inReplyTo?: string; references?: string[] }): Promise<string> {
  const info = await customer().sendMail({ from: "Carla Diaz <carla@customer.test>", to: mail.to ?? ALIAS, ...mail });
  return info.response;
}

async function smtpCode(sending: Promise<unknown>): Promise<number | undefined> {
  try {
    await sending;
  } catch (error) {
    return (error as { responseCode?: number }).responseCode;
  }
  throw new Error("the message was accepted");
}

/** The first message captured by the sink for this address whose subject matches, parsed. */
async function mailAtSink(to: string, subject: RegExp): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await waitFor(async () => {
    for (const m of sink.messages.filter((m) => m.to.includes(to))) {
      const parsed = await simpleParser(m.raw);
      if (subject.test(parsed.subject ?? "")) {
        found = parsed;
        return true;
      }
    }
    return false;
  }, 20_000, 100);
  return found!;
}

const header = (mail: ParsedMail, name: string) => {
  const value = mail.headers.get(name);
  return typeof value === "string" ? value : JSON.stringify(value);
};

describe("inbound mail over SMTP, end to end", () => {
  it("starts the listener with the app and says where it listens", () => {
    expect(app.mail?.smtpPort).toBe(smtpPort);
    expect(app.mail?.report.join("\n")).toMatch(new RegExp(`SMTP listener on 127\\.0\\.0\\.1:${smtpPort} .*up to 0\\.2 MB; no TLS and no AUTH`));
  });

  let caseNumber: number;
  let cardTs: string;
  let ackMessageId: string;
  const firstId = `${unique("first")}@customer.test`;

  it("turns a customer's mail into a case, posts its card in the team channel and acknowledges it by email", async () => {
    const response = await sendAsCustomer({ subject: "The printer jams on every page", text: "Since Monday the printer on floor 2 jams.", messageId: `<${firstId}>` });
    expect(response).toMatch(/^250/);

    const stored = await app.db.emailMessage.findUniqueOrThrow({ where: { messageId: firstId } });
    expect(stored).toMatchObject({ direction: "inbound", status: "created", recordType: "case" });
    const created = await app.db.case.findUniqueOrThrow({ where: { id: stored.recordId! }, include: { channel: true } });
    expect(created).toMatchObject({ subject: "The printer jams on every page", channel: { code: "email" } });
    caseNumber = created.number;
    const reference = `CASE-${String(caseNumber).padStart(4, "0")}`;

    const card = await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "CSUPPORT" && !c.args.thread_ts && JSON.stringify(c.args).includes(reference), 20_000);
    expect(JSON.stringify(card.args.blocks)).toContain("Since Monday the printer on floor 2 jams.");
    const cardRow = () => app.db.outbox.findFirst({ where: { channel: "slack", target: "CSUPPORT", state: "sent", messageRef: { not: null } }, orderBy: { createdAt: "asc" } });
    await waitFor(async () => Boolean(await cardRow()), 10_000);
    // The Slack transport's reference is "<channel>:<ts>".
    cardTs = (await cardRow())!.messageRef!.split(":")[1]!;
    expect(cardTs).toMatch(/^\d+\.\d{6}$/);

    const ack = await mailAtSink("carla@customer.test", new RegExp(reference));
    expect(header(ack, "auto-submitted")).toBe("auto-replied");
    expect(ack.inReplyTo).toBe(`<${firstId}>`);
    expect(ack.replyTo?.value[0]?.address).toMatch(new RegExp(`^support\\+c${caseNumber}-[0-9a-f]{8}@acme\\.test$`));
    expect(ack.from?.value[0]?.address).toBe(ALIAS);
    expect(ack.text).toContain(reference);
    ackMessageId = ack.messageId!;
    expect(ackMessageId).toMatch(/^<.+>$/);
  });

  it("threads the customer's answer to the acknowledgement under the case's card", async () => {
    const replyId = `${unique("reply")}@customer.test`;
    const response = await sendAsCustomer({
      subject: `Re: [CASE-${String(caseNumber).padStart(4, "0")}] The printer jams on every page`,
      text: "It also smells of burnt paper now.",
      messageId: `<${replyId}>`,
      inReplyTo: ackMessageId,
      references: [`<${firstId}>`, ackMessageId],
    });
    expect(response).toMatch(/^250/);
    const stored = await app.db.emailMessage.findUniqueOrThrow({ where: { messageId: replyId } });
    const first = await app.db.emailMessage.findUniqueOrThrow({ where: { messageId: firstId } });
    expect(stored).toMatchObject({ status: "threaded", recordType: "case", recordId: first.recordId });
    const post = await slack.waitForCall("chat.postMessage", (c) => c.args.channel === "CSUPPORT" && c.args.thread_ts === cardTs, 20_000);
    expect(JSON.stringify(post.args)).toContain("burnt paper");
    expect(await app.db.case.count({ where: { channel: { code: "email" } } })).toBe(1);
  });

  it("refuses a recipient that is no alias with 550 at RCPT TO and stores nothing", async () => {
    const before = await app.db.emailMessage.count();
    const code = await smtpCode(sendAsCustomer({ to: "unknown@acme.test", subject: "Hello?", text: "Anyone?", messageId: `<${unique("unknown")}@customer.test>` }));
    expect(code).toBe(550);
    expect(await app.db.emailMessage.count()).toBe(before);
  });

  it("refuses a message over MAIL_MAX_BYTES with 552 and stores nothing", async () => {
    const [emails, cases] = [await app.db.emailMessage.count(), await app.db.case.count()];
    const id = `${unique("huge")}@customer.test`;
    const big = `${"All work and no play makes Jack a dull boy. ".repeat(1)}\n`.repeat(Math.ceil((MAX_BYTES + 50_000) / 45));
    const code = await smtpCode(sendAsCustomer({ subject: "Logs attached", text: big, messageId: `<${id}>` }));
    expect(code).toBe(552);
    expect(await app.db.emailMessage.count()).toBe(emails);
    expect(await app.db.case.count()).toBe(cases);
  });

  it("stores a message delivered twice once, as one case", async () => {
    const id = `${unique("twice")}@customer.test`;
    const mail = { subject: `Invoice question ${id}`, text: "Why was I charged twice?", messageId: `<${id}>` };
    expect(await sendAsCustomer(mail)).toMatch(/^250/);
    expect(await sendAsCustomer(mail)).toMatch(/^250/);
    expect(await app.db.emailMessage.count({ where: { messageId: id } })).toBe(1);
    expect(await app.db.case.count({ where: { subject: mail.subject } })).toBe(1);
  });

  it("answers 451 when the commit fails, keeps nothing of it, and stores it when the sender retries", async () => {
    // An honest database failure inside ingestEmail's transaction: a trigger refuses this one message's row.
    await app.db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_test_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.subject LIKE '%disk full%' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$`);
    await app.db.$executeRawUnsafe(`CREATE TRIGGER refuse_test_mail BEFORE INSERT ON "EmailMessage" FOR EACH ROW EXECUTE FUNCTION refuse_test_mail()`);
    const id = `${unique("retry")}@customer.test`;
    const mail = { subject: "Our disk full alert", text: "Please help.", messageId: `<${id}>` };
    const outbox = await app.db.outbox.count();
    try {
      expect(await smtpCode(sendAsCustomer(mail))).toBe(451);
      expect(await app.db.emailMessage.count({ where: { messageId: id } })).toBe(0);
      expect(await app.db.case.count({ where: { subject: mail.subject } })).toBe(0);
      expect(await app.db.outbox.count()).toBe(outbox);
    } finally {
      await app.db.$executeRawUnsafe(`DROP TRIGGER refuse_test_mail ON "EmailMessage"`);
    }
    expect(await sendAsCustomer(mail)).toMatch(/^250/);
    expect(await app.db.case.count({ where: { subject: mail.subject } })).toBe(1);
  });
});
