// Slack end to end: "✉ Reply by email" on a case card → modal → signed view submission → outbox → real SMTP to a sink.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "../fakes/smtp-sink.js";
import { aBlockAction, aViewSubmission, inputState } from "../support/slack-requests.js";
import { waitFor } from "../support/wait-for.js";
import { ANA, buttonsOf, startSlackHarness, type SlackHarness } from "./slack-harness.js";

/** A header's value from a raw message, unfolded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split("\r\n\r\n")[0]!.replace(/\r\n[ \t]+/g, " ");
  return new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim();
}

describe("Slack: Reply by email from a case card", () => {
  let h: SlackHarness;
  let sink: SmtpSink;
  let caseId: string;
  let number: number;

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startSlackHarness({ SMTP_URL: sink.url, MAIL_FROM: "Switchboard <crm@acme.test>" });
    await h.slack.command({ user_id: ANA.id, text: "whoami", response_url: h.fake.responseUrl("first") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/first");
    const ana = await h.app.db.user.findUniqueOrThrow({ where: { email: ANA.email } });
    await h.app.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT", emailAlias: "support@acme.test", members: { create: [{ userId: ana.id }] } } });
    await h.app.db.partner.create({ data: { kind: "company", name: "Globex", email: "jane@globex.com" } });
    await h.slack.command({ user_id: ANA.id, text: "case Globex: printer still broken", response_url: h.fake.responseUrl("open") });
    await h.fake.waitForCall("response_url", (c) => c.args.path === "/response/open");
    const c = await h.app.db.case.findFirstOrThrow({ where: { subject: "printer still broken" } });
    caseId = c.id;
    number = c.number;
    await h.app.db.emailMessage.create({
      data: { messageId: "jane-1@mail.globex.com", direction: "inbound", status: "created", recordType: "case", recordId: c.id, fromAddress: "jane@globex.com", toAddresses: ["support@acme.test"], subject: "Printer still broken", text: "Blank pages again.", size: 300 },
    });
    await h.app.db.caseWatcher.create({ data: { caseId: c.id, email: "boss@globex.com" } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it("shows the button on the channel card, opens the form prefilled, sends once with the alias, threading headers and the watcher in Cc", async () => {
    const posted = await h.fake.waitForCall("chat.postMessage", (call) => call.args.channel === "CSUPPORT");
    const email = buttonsOf(posted.args.blocks).find((b) => b.action_id === "case.email")!;
    expect(email.text).toBe("✉ Reply by email");
    expect(buttonsOf(posted.args.blocks).find((b) => b.action_id === "case.note")!.text).toBe("Add note (internal)");

    h.fake.reset();
    await h.slack.interaction(aBlockAction({ userId: ANA.id, actionId: "case.email", value: email.value, responseUrl: h.fake.responseUrl("email") }));
    const modal = (await h.fake.waitForCall("views.open")).args.view;
    expect(modal.callback_id).toBe("mail.reply-form");
    expect(modal.title.text).toBe("Email the customer");
    expect(JSON.stringify(modal.blocks)).toContain("Sent from support@acme.test; the customer sees this");
    const byId = Object.fromEntries(modal.blocks.filter((b: any) => b.type === "input").map((b: any) => [b.block_id, b.element]));
    expect(byId.to.initial_value).toBe("jane@globex.com");
    expect(byId.cc.initial_value).toBe("boss@globex.com");
    expect(byId.subject.initial_value).toBe("Re: Printer still broken");
    expect(byId.text.max_length).toBe(3000);

    const empty = await h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "mail.reply-form", values: { to: inputState("jane@globex.com"), cc: inputState(null), subject: inputState("Re: Printer still broken"), text: inputState(null) }, privateMetadata: modal.private_metadata }));
    expect(await empty.json()).toEqual({ response_action: "errors", errors: { text: "Write the email." } });

    const values = { to: inputState("jane@globex.com"), cc: inputState("boss@globex.com"), subject: inputState("Re: Printer still broken"), text: inputState("A technician comes tomorrow at 9.\nRegards, Ana") };
    const submit = () => h.slack.interaction(aViewSubmission({ userId: ANA.id, callbackId: "mail.reply-form", values, privateMetadata: modal.private_metadata }));
    expect((await submit()).status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /^✉ Email to jane@globex\.com queued \(CASE-\d{4}\)\.$/.test(c.args.text));
    expect((await submit()).status).toBe(200);
    await h.fake.waitForCall("chat.postMessage", (c) => c.args.channel === ANA.id && /already queued/.test(c.args.text));

    await waitFor(() => sink.messages.some((m) => m.to.includes("jane@globex.com")), 15_000);
    const mine = sink.messages.filter((m) => m.to.includes("jane@globex.com"));
    expect(mine).toHaveLength(1);
    const { raw, to, from } = mine[0]!;
    expect(to.sort()).toEqual(["boss@globex.com", "jane@globex.com"]);
    expect(from).toBe("support@acme.test");
    expect(header(raw, "From")).toBe("Support <support@acme.test>");
    expect(header(raw, "Reply-To")).toMatch(new RegExp(`^support\\+c${number}-[0-9a-f]{8}@acme\\.test$`));
    expect(header(raw, "In-Reply-To")).toBe("<jane-1@mail.globex.com>");
    expect(header(raw, "References")).toBe("<jane-1@mail.globex.com>");
    expect(header(raw, "Cc")).toBe("boss@globex.com");
    expect(header(raw, "Subject")).toMatch(/^Re: \[CASE-\d{4}\] Printer still broken$/);
    expect(raw).toContain("A technician comes tomorrow at 9.");
    const stored = await h.app.db.emailMessage.findFirstOrThrow({ where: { recordId: caseId, direction: "outbound" } });
    expect(header(raw, "Message-ID")).toBe(`<${stored.messageId}>`);

    // The channel card now shows the email.
    await h.fake.waitForCall("chat.update", (c) => c.args.channel === "CSUPPORT" && JSON.stringify(c.args.blocks).includes("✉ 2 emails · Last email: to jane@globex.com"), 15_000);
  });
});
