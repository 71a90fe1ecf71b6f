// The handlers' hooks reach the automation engine: an enabled rule fires (a RuleFiring row) when a record is created,
// changed or emailed through the ordinary handlers, for every record type. No fake engine: rules are real rows.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { LEAD_CONVERT_FORM_ID } from "../../src/bot/views/lead-convert-form.js";
import { MEETING_CANCEL_FORM_ID } from "../../src/bot/views/meeting-forms.js";
import { MERGE_REQUEST_FORM_ID } from "../../src/bot/views/merge-views.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import type { Trigger, RecordType } from "../../src/domain/automation/definition.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import { ingestEmail } from "../../src/handlers/mail/ingest-email.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const ALIAS = "hooks@acme.test";

let h: HandlerHarness;
let ana: Who; // support and sales agent
let admin: Who;
let salesId: string;
let ruleSeq = 0;
let mailSeq = 0;

beforeAll(async () => {
  h = await handlerHarness();
  const support = await h.db.team.create({ data: { name: "Support", kind: "support", emailAlias: ALIAS, emailCreates: "case", slackChannelId: "CSUPPORT" } });
  const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", slackChannelId: "CSALES" } });
  salesId = sales.id;
  ana = await aPerson(h.db, { teamIds: [support.id, sales.id] });
  admin = await aPerson(h.db, { role: "admin" });
  await h.db.partner.create({ data: { kind: "company", name: "Acme Corp", email: "jane@acme-corp.test" } });
});
// One rule at a time: a rule left on would fire on the next test's records too.
afterEach(async () => {
  await h.db.automationRule.updateMany({ data: { enabled: false } });
  forgetRuleCache();
});
afterAll(async () => h?.close());

/** An enabled rule that posts to the team channel, stored as the rule editor would store it. */
async function aRule(record: RecordType, trigger: Trigger): Promise<string> {
  ruleSeq += 1;
  const definition = { name: `Hook rule ${ruleSeq}`, record, enabled: true, trigger, actions: [{ do: "post", to: "team-channel", text: `Rule saw {{${record}.ref}}` }], timeZone: "UTC" };
  const rule = await h.db.automationRule.create({ data: { name: definition.name, recordType: record, triggerKind: trigger.kind, definition, enabled: true } });
  forgetRuleCache();
  return rule.id;
}

const firings = (ruleId: string, recordId: string) => h.db.ruleFiring.count({ where: { ruleId, recordId } });

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply)}`);
}

async function numbered(reply: Reply, prefix: RegExp): Promise<number> {
  const text = viewOf(reply).text;
  const found = prefix.exec(text);
  if (!found) throw new Error(`no reference in “${text}”`);
  return Number(found[1]);
}

async function openCase(text: string) {
  const number = await numbered(await runCommand(h.deps, ana, `case ${text}`, slack), /CASE-(\d+)/);
  return h.db.case.findUniqueOrThrow({ where: { number } });
}

async function captureLead(text: string) {
  const number = await numbered(await runCommand(h.deps, ana, `lead ${text}`, slack), /(?:LEAD|OPP)-(\d+)/);
  return h.db.lead.findUniqueOrThrow({ where: { number } });
}

function mail(m: { from: string; subject: string; headers?: Record<string, string> }): Buffer {
  mailSeq += 1;
  const lines = [
    `From: ${m.from}`,
    `To: ${ALIAS}`,
    `Subject: ${m.subject}`,
    `Message-ID: <hooks${mailSeq}.${randomBytes(4).toString("hex")}@customer.test>`,
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "Date: Mon, 23 Nov 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello, the printer is broken again.",
    "",
  ];
  return Buffer.from(lines.join("\r\n"));
}

const ingest = (bytes: Buffer, from: string) => ingestEmail(h.deps, bytes, { recipients: [ALIAS], mailFrom: from, via: "smtp" });

describe("cases", () => {
  it("opening a case fires a rule on creation", async () => {
    const rule = await aRule("case", { kind: "created" });
    const c = await openCase("Acme Corp: printer jams on tray 2");
    expect(await firings(rule, c.id)).toBe(1);
  });

  it("taking a case fires saved and field-set rules, once each; a note fires neither", async () => {
    const c = await openCase("Acme Corp: scanner offline");
    const saved = await aRule("case", { kind: "saved" });
    const assigned = await aRule("case", { kind: "field-set", field: "responsible", value: ana.user.email });
    await runAction(h.deps, ana, "case.assign-me", `${c.id}:${c.version}`);
    expect(await firings(saved, c.id)).toBe(1);
    expect(await firings(assigned, c.id)).toBe(1);
    await submitForm(h.deps, ana, "case.note-form", { note: "Checked the logs" }, { caseId: c.id, version: String(c.version + 1) });
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "note" } })).toBe(1);
    expect(await firings(saved, c.id)).toBe(1);
  });

  it("an email to the team alias creates a case: created and email-received rules fire", async () => {
    const created = await aRule("case", { kind: "created" });
    const received = await aRule("case", { kind: "email-received" });
    const outcome = await ingest(mail({ from: "jane@acme-corp.test", subject: "Printer broken" }), "jane@acme-corp.test");
    if (outcome.kind !== "created") throw new Error(`expected a new case, got ${JSON.stringify(outcome)}`);
    expect(await firings(created, outcome.recordId)).toBe(1);
    expect(await firings(received, outcome.recordId)).toBe(1);
  });

  it("a customer's reply to a case fires the email-received rule again", async () => {
    const first = await ingest(mail({ from: "jane@acme-corp.test", subject: "Toner empty" }), "jane@acme-corp.test");
    if (first.kind !== "created") throw new Error(`expected a new case, got ${JSON.stringify(first)}`);
    const received = await aRule("case", { kind: "email-received" });
    const reply = await ingest(mail({ from: "jane@acme-corp.test", subject: `Re: [${first.reference}] Toner empty` }), "jane@acme-corp.test");
    expect(reply).toMatchObject({ kind: "threaded", recordId: first.recordId });
    expect(await firings(received, first.recordId)).toBe(1);
  });

  it("an auto-reply on a case still reaches email-received rules, marked automatic, so their emails are not sent", async () => {
    const first = await ingest(mail({ from: "jane@acme-corp.test", subject: "Paper jam" }), "jane@acme-corp.test");
    if (first.kind !== "created") throw new Error(`expected a new case, got ${JSON.stringify(first)}`);
    ruleSeq += 1;
    const definition = { name: `Hook rule ${ruleSeq}`, record: "case", enabled: true, trigger: { kind: "email-received" }, actions: [{ do: "email", to: "customer", subject: "Re: {{case.ref}}", body: "Thanks." }], timeZone: "UTC" };
    const rule = await h.db.automationRule.create({ data: { name: definition.name, recordType: "case", triggerKind: "email-received", definition, enabled: true } });
    forgetRuleCache();
    const auto = await ingest(mail({ from: "jane@acme-corp.test", subject: `Out of office: [${first.reference}] Paper jam`, headers: { "Auto-Submitted": "auto-replied" } }), "jane@acme-corp.test");
    expect(auto.kind).toBe("ignored");
    const fired = await h.db.ruleFiring.findMany({ where: { ruleId: rule.id, recordId: first.recordId } });
    expect(fired).toHaveLength(1);
    expect(JSON.stringify(fired[0]!.results)).toContain("automatic");
  });

  it("“Reply by email” from chat fires the email-sent rule", async () => {
    const c = await openCase("Acme Corp: label printer");
    const sent = await aRule("case", { kind: "email-sent" });
    const reply = await submitForm(h.deps, ana, "mail.reply-form", { to: "jane@acme-corp.test", subject: "Your printer", text: "We are on it." }, { kind: "case", recordId: c.id, sendId: randomBytes(16).toString("hex") });
    expect(reply.kind).not.toBe("errors");
    expect(await firings(sent, c.id)).toBe(1);
  });
});

describe("claims", () => {
  it("opening a claim fires a created rule; starting it fires a state field-set rule", async () => {
    const created = await aRule("claim", { kind: "created" });
    const number = await numbered(await runCommand(h.deps, ana, "claim Acme Corp: three boxes arrived dented", slack), /CLM-(\d+)/);
    const claim = await h.db.claim.findUniqueOrThrow({ where: { number } });
    expect(await firings(created, claim.id)).toBe(1);
    const started = await aRule("claim", { kind: "field-set", field: "state", value: "in_progress" });
    await runAction(h.deps, ana, "claim.start", `${claim.id}:${claim.version}`);
    expect(await firings(started, claim.id)).toBe(1);
  });
});

describe("leads and opportunities", () => {
  it("capturing a lead fires a created rule; converting it fires a type field-set rule; winning the opportunity fires an opportunity rule", async () => {
    const created = await aRule("lead", { kind: "created" });
    const lead = await captureLead("Jane Roe, Globex, jane@globex-hooks.test: wants 40 seats");
    expect(await firings(created, lead.id)).toBe(1);

    const converted = await aRule("lead", { kind: "field-set", field: "type", value: "opportunity" });
    const convert = await submitForm(h.deps, ana, LEAD_CONVERT_FORM_ID, { action: "convert", customer: "nothing", salesperson: ana.user.id, team: salesId }, { leadId: lead.id, version: String(lead.version) });
    expect(convert.kind).toBe("done");
    expect(await firings(converted, lead.id)).toBe(1);

    const opp = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id } });
    const won = await aRule("opportunity", { kind: "field-set", field: "stage-kind", value: "won" });
    await runAction(h.deps, ana, "lead.won", `${opp.id}:${opp.version}`);
    expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id }, include: { stage: true } })).toMatchObject({ type: "opportunity", stage: { kind: "won" } });
    expect(await firings(won, lead.id)).toBe(1);
  });
});

describe("calls", () => {
  it("logging a call fires a created rule; cancelling a planned one fires a state field-set rule", async () => {
    const created = await aRule("call", { kind: "created" });
    const number = await numbered(await runCommand(h.deps, ana, "call Acme Corp: discussed renewal, 20m", slack), /CALL-(\d+)/);
    const logged = await h.db.phoneCall.findUniqueOrThrow({ where: { number } });
    expect(await firings(created, logged.id)).toBe(1);

    const planned = await h.db.phoneCall.create({ data: { subject: "Renewal follow-up", state: "planned", direction: "outbound", callAt: new Date(Date.now() + 86_400_000), ownerId: ana.user.id } });
    const cancelled = await aRule("call", { kind: "field-set", field: "state", value: "cancelled" });
    await runAction(h.deps, ana, "call.cancel", `${planned.id}:${planned.version}`);
    expect(await firings(cancelled, planned.id)).toBe(1);
  });
});

describe("meetings", () => {
  it("planning a meeting fires a created rule; cancelling it fires a status field-set rule", async () => {
    const created = await aRule("meeting", { kind: "created" });
    const number = await numbered(await runCommand(h.deps, ana, "meet Acme Corp tomorrow 3pm for 45m with bob@acme-corp.test", slack), /MTG-(\d+)/);
    const meeting = await h.db.meeting.findUniqueOrThrow({ where: { number } });
    expect(await firings(created, meeting.id)).toBe(1);
    const cancelled = await aRule("meeting", { kind: "field-set", field: "status", value: "cancelled" });
    await submitForm(h.deps, ana, MEETING_CANCEL_FORM_ID, { scope: "all" }, { meetingId: meeting.id, version: String(meeting.version) });
    expect(await h.db.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ status: "cancelled" });
    expect(await firings(cancelled, meeting.id)).toBe(1);
  });
});

describe("merge requests", () => {
  it("requesting a merge fires a created rule; withdrawing it fires a state field-set rule, and approving changes the survivor", async () => {
    // Different tags: whichever survives takes both, so the survivor visibly changes.
    const one = await captureLead("Jim Poe, Initech, jim@initech-hooks.test: printers #saas");
    const two = await captureLead("Jim Poe, Initech, jim@initech-hooks.test: printers again #eu");
    const created = await aRule("merge-request", { kind: "created" });
    const reply = await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: [one.id, two.id].join(","), reason: "Same customer, asked twice" }, {});
    expect(reply.kind).toBe("done");
    const request = await h.db.mergeRequest.findFirstOrThrow({ where: { requesterId: ana.user.id }, orderBy: { number: "desc" } });
    expect(await firings(created, request.id)).toBe(1);

    const withdrawn = await aRule("merge-request", { kind: "field-set", field: "state", value: "cancelled" });
    await runAction(h.deps, ana, "merge.cancel", `${request.id}:${request.version}`);
    expect(await h.db.mergeRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({ state: "cancelled" });
    expect(await firings(withdrawn, request.id)).toBe(1);

    const again = await submitForm(h.deps, ana, MERGE_REQUEST_FORM_ID, { leadIds: [one.id, two.id].join(","), reason: "Still the same customer" }, {});
    expect(again.kind).toBe("done");
    const second = await h.db.mergeRequest.findFirstOrThrow({ where: { requesterId: ana.user.id }, orderBy: { number: "desc" } });
    const approved = await aRule("merge-request", { kind: "field-set", field: "state", value: "approved" });
    const survivorSaved = await aRule("lead", { kind: "saved" });
    await runAction(h.deps, admin, "merge.approve", `${second.id}:${second.version}`);
    const decided = await h.db.mergeRequest.findUniqueOrThrow({ where: { id: second.id } });
    expect(decided.state).toBe("approved");
    expect(await firings(approved, second.id)).toBe(1);
    expect(await firings(survivorSaved, decided.survivorId!)).toBe(1);
    const mergedAway = [one.id, two.id].find((id) => id !== decided.survivorId)!;
    expect(await firings(survivorSaved, mergedAway)).toBe(0);
  });
});
