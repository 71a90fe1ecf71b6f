// Teams end to end: "✉ Reply by email" on a case card → task/fetch dialog → task/submit invoke → outbox → real SMTP to a sink.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Switchboard } from "../../src/app.js";
import type { FakeBotConnector } from "../fakes/bot-connector.js";
import { startSmtpSink, type SmtpSink } from "../fakes/smtp-sink.js";
import { actionsOf, cardOf, channel, inputsOf, postActivity, textsOf, type TeamsPerson } from "../support/teams-activities.js";
import { waitFor } from "../support/wait-for.js";
import { startTeamsHarness, type TeamsHarness } from "./teams-harness.js";

const SUPPORT_CHANNEL = channel("support");

function header(raw: string, name: string): string | undefined {
  const head = raw.split("\r\n\r\n")[0]!.replace(/\r\n[ \t]+/g, " ");
  return new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim();
}

describe("Teams: Reply by email from a case card", () => {
  let h: TeamsHarness;
  let app: Switchboard;
  let connector: FakeBotConnector;
  let teams: TeamsHarness["teams"];
  let ana: TeamsPerson;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTeamsHarness({ SMTP_URL: sink.url, MAIL_FROM: "Switchboard <crm@acme.test>" });
    ({ app, connector, teams, ana } = h);
    await postActivity(app.http.url, teams.mention(ana, "whoami", { conversation: SUPPORT_CHANNEL }));
    const user = await app.db.user.findUniqueOrThrow({ where: { email: ana.email } });
    await app.db.team.create({ data: { name: "Support Desk", kind: "support", teamsConversationId: SUPPORT_CHANNEL.id, emailAlias: "help@acme.test", members: { create: [{ userId: user.id }] } } });
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it("opens the dialog from the card, refuses a bad address in it, sends once with the alias, threading headers and the watcher in Cc", async () => {
    const before = connector.sentActivities().length;
    await postActivity(app.http.url, teams.message(ana, "case label printer offline"));
    await waitFor(() => connector.sentActivities().slice(before).some((a) => a.conversationId === SUPPORT_CHANNEL.id), 8000);
    const channelCard = cardOf(connector.sentActivities().slice(before).find((a) => a.conversationId === SUPPORT_CHANNEL.id)!);
    const titles = actionsOf(channelCard).map((a) => a.title);
    expect(titles.indexOf("✉ Reply by email")).toBe(titles.indexOf("Add note (internal)") + 1);
    const c = await app.db.case.findFirstOrThrow({ where: { subject: "label printer offline" } });
    // The customer wrote in; a colleague at the customer watches by email.
    await app.db.emailMessage.create({
      data: { messageId: "bill-7@initech.com", direction: "inbound", status: "created", recordType: "case", recordId: c.id, fromAddress: "bill@initech.com", toAddresses: ["help@acme.test"], subject: "Labels come out blank", text: "Help", size: 200 },
    });
    await app.db.caseWatcher.create({ data: { caseId: c.id, email: "peter@initech.com" } });

    const email = actionsOf(channelCard).find((a) => a.title === "✉ Reply by email");
    expect(email.data).toEqual({ msteams: { type: "task/fetch" }, opener: { kind: "action", verb: "case.email", value: `${c.id}:0` } });
    const fetched = await postActivity(app.http.url, teams.invoke(ana, "task/fetch", { data: email.data }, { conversation: SUPPORT_CHANNEL }));
    expect(fetched.body.task.value.title).toBe("Email the customer");
    const form = fetched.body.task.value.card.content;
    expect(textsOf(form).join("\n")).toContain("Sent from help@acme.test; the customer sees this");
    const inputs = inputsOf(form);
    expect(inputs.to.value).toBe("bill@initech.com");
    expect(inputs.cc.value).toBe("peter@initech.com");
    expect(inputs.subject.value).toBe("Re: Labels come out blank");
    expect(inputs.text).toMatchObject({ type: "Input.Text", isMultiline: true, maxLength: 20_000 });

    const submitted = (over: Record<string, string>) => ({ ...form.actions[0].data, to: "bill@initech.com", cc: "peter@initech.com", subject: "Re: Labels come out blank", text: "Please update the driver to 4.2.\nAna", ...over });
    const bad = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted({ to: "bill(at)initech" }) }));
    expect(bad.body.task.type).toBe("continue");
    expect(textsOf(bad.body.task.value.card.content).join("\n")).toContain("is not an email address");

    const sent = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted({}) }));
    expect(sent.body.task).toMatchObject({ type: "message", value: expect.stringMatching(/^✉ Email to bill@initech\.com queued \(CASE-\d{4}\)\.$/) });
    const again = await postActivity(app.http.url, teams.invoke(ana, "task/submit", { data: submitted({}) }));
    expect(again.body.task.value).toMatch(/already queued/);

    await waitFor(() => sink.messages.some((m) => m.to.includes("bill@initech.com")), 15_000);
    const mine = sink.messages.filter((m) => m.to.includes("bill@initech.com"));
    expect(mine).toHaveLength(1);
    const { raw, to } = mine[0]!;
    expect(to.sort()).toEqual(["bill@initech.com", "peter@initech.com"]);
    expect(header(raw, "From")).toBe("Support Desk <help@acme.test>");
    expect(header(raw, "Reply-To")).toMatch(new RegExp(`^help\\+c${c.number}-[0-9a-f]{8}@acme\\.test$`));
    expect(header(raw, "In-Reply-To")).toBe("<bill-7@initech.com>");
    expect(header(raw, "Cc")).toBe("peter@initech.com");
    expect(raw).toContain("Please update the driver to 4.2.");
    expect(await app.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "email-out" } })).toBe(1);
  });
});
