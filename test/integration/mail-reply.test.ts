import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { Action, Form, MessageView, Reply } from "../../src/bot/views/view.js";
import type { EmailPayload } from "../../src/mail/outgoing.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 400)}`);
}

function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 400)}`);
  return reply.form;
}

function errorsOf(reply: Reply): Record<string, string> {
  if (reply.kind !== "errors") throw new Error(`expected field errors, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 400)}`);
  return reply.errors;
}

const actionsOf = (view: MessageView): Action[] => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));

function button(view: MessageView, id: string): Action {
  const found = actionsOf(view).find((a) => a.id === id);
  if (!found) throw new Error(`no ${id} button in ${JSON.stringify(view.blocks)}`);
  return found;
}

const initial = (form: Form, id: string) => form.fields.find((f) => f.id === id)?.initial;

describe("Reply by email from a case, claim or lead card", () => {
  let h: HandlerHarness;
  let supportId: string;
  let ana: Who; // support agent
  let sam: Who; // sales agent, outside support
  let dee: Who; // agent of a team without an alias
  let sally: Who; // sales agent

  beforeAll(async () => {
    h = await handlerHarness();
    const support = await h.db.team.create({ data: { name: "Support", kind: "support", slackChannelId: "CSUPPORT", emailAlias: "support@acme.test" } });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", emailAlias: "sales@acme.test" } });
    const desk = await h.db.team.create({ data: { name: "Front Desk", kind: "support" } });
    supportId = support.id;
    ana = await aPerson(h.db, { teamIds: [support.id] });
    sam = await aPerson(h.db, { teamIds: [sales.id] });
    dee = await aPerson(h.db, { teamIds: [desk.id] });
    sally = await aPerson(h.db, { teamIds: [sales.id] });
    await h.db.partner.create({ data: { kind: "company", name: "Globex", email: "jane@globex.com" } });
  });
  afterAll(async () => h?.close());

  async function openCase(who: Who, text: string) {
    const view = viewOf(await runCommand(h.deps, who, `case ${text}`, slack));
    const number = Number(/CASE-(\d+)/.exec(view.text)?.[1]);
    return { view, c: await h.db.case.findUniqueOrThrow({ where: { number } }) };
  }

  async function inbound(recordType: string, recordId: string, from: string, subject: string, messageId: string) {
    await h.db.emailMessage.create({
      data: { messageId, direction: "inbound", status: "created", recordType, recordId, teamId: supportId, fromAddress: from, toAddresses: ["support@acme.test"], subject, text: "It still prints blank pages.", size: 400 },
    });
  }

  const emailRows = (to: string) => h.db.outbox.findMany({ where: { channel: "email", target: to }, orderBy: { seq: "asc" } });
  const payloadOf = (row: { payload: unknown }) => row.payload as unknown as EmailPayload;

  it("puts “✉ Reply by email” next to “Add note (internal)”, and the note form says it is not emailed", async () => {
    const { view } = await openCase(ana, "Globex: scanner jams");
    const labels = actionsOf(view).map((a) => a.label);
    expect(labels).toContain("Add note (internal)");
    expect(labels).toContain("✉ Reply by email");
    expect(labels.indexOf("✉ Reply by email")).toBe(labels.indexOf("Add note (internal)") + 1);
    expect(actionsOf(view).length).toBeLessThanOrEqual(25);
    const note = formOf(await runAction(h.deps, ana, "case.note", button(view, "case.note").value!));
    expect(note.intro).toMatch(/^\*Internal note — not emailed\.\*/);
  });

  it("prefills the form from the case: the partner's address, the email watchers, Re: the last subject", async () => {
    const { view, c } = await openCase(ana, "Globex: printer broken");
    await inbound("case", c.id, "jane@globex.com", "Printer still broken", `in-1-${c.id}@globex.com`);
    await h.db.caseWatcher.create({ data: { caseId: c.id, email: "boss@globex.com" } });
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    expect(form.id).toBe("mail.reply-form");
    expect(form.title).toBe("Email the customer");
    expect(form.intro).toContain(`Email the customer — CASE-${String(c.number).padStart(4, "0")}`);
    expect(form.intro).toContain("Sent from support@acme.test; the customer sees this");
    expect(initial(form, "to")).toBe("jane@globex.com");
    expect(initial(form, "cc")).toBe("boss@globex.com");
    expect(initial(form, "subject")).toBe("Re: Printer still broken");
    expect(form.context).toMatchObject({ kind: "case", recordId: c.id });
    expect(form.context!.sendId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("falls back to the last inbound sender when the case has no customer address", async () => {
    const { view, c } = await openCase(ana, "label printer offline");
    await inbound("case", c.id, "Bill@Initech.com", "Labels", `in-2-${c.id}@initech.com`);
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    expect(initial(form, "to")).toBe("bill@initech.com");
    expect(initial(form, "cc")).toBeUndefined();
  });

  it("sends from the alias with the plus-address, threading headers and the watchers copied; stores it, logs it, refreshes the card", async () => {
    const { view, c } = await openCase(ana, "Globex: toner empty");
    const ref = `CASE-${String(c.number).padStart(4, "0")}`;
    await inbound("case", c.id, "jane@globex.com", "Toner empty", `in-3-${c.id}@globex.com`);
    await h.db.caseWatcher.create({ data: { caseId: c.id, email: "boss@globex.com" } });
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    const done = viewOf(await submitForm(h.deps, ana, form.id, { to: "jane@globex.com", cc: "it@globex.com", subject: "Re: Toner empty", text: "A new cartridge is on its way." }, form.context!));
    expect(done.text).toBe(`✉ Email to jane@globex.com queued (${ref}).`);
    expect(JSON.stringify(done.blocks)).toContain("Cc: it@globex.com, boss@globex.com.");

    const [row, ...others] = (await emailRows("jane@globex.com")).filter((r) => payloadOf(r).subject.includes(ref));
    expect(others).toHaveLength(0);
    expect(row!.dedupeKey).toBe(`email-reply:${form.context!.sendId}`);
    const payload = payloadOf(row!);
    expect(payload.subject).toBe(`Re: [${ref}] Toner empty`);
    expect(payload.text).toBe("A new cartridge is on its way.");
    expect(payload.headers?.from).toBe("Support <support@acme.test>");
    expect(payload.headers?.replyTo).toMatch(new RegExp(`^support\\+c${c.number}-[0-9a-f]{8}@acme\\.test$`));
    expect(payload.headers?.inReplyTo).toBe(`in-3-${c.id}@globex.com`);
    expect(payload.headers?.references).toEqual([`in-3-${c.id}@globex.com`]);
    expect(payload.headers?.cc).toEqual(["it@globex.com", "boss@globex.com"]);

    const stored = await h.db.emailMessage.findUniqueOrThrow({ where: { messageId: payload.headers!.messageId! } });
    expect(stored).toMatchObject({ direction: "outbound", status: "sent", recordType: "case", recordId: c.id, sentById: ana.user.id, toAddresses: ["jane@globex.com"], ccAddresses: ["it@globex.com", "boss@globex.com"], text: "A new cartridge is on its way." });
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordType: "case", recordId: c.id, kind: "email-out" } });
    expect(entry.summary).toBe(`${ana.user.name} emailed jane@globex.com: Re: Toner empty`);
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).firstResponseAt).not.toBeNull();

    const cards = await h.db.outbox.findMany({ where: { target: "CSUPPORT", subjectKey: `case:${c.id}` }, orderBy: { seq: "desc" }, take: 1 });
    const card = JSON.stringify(cards[0]?.payload);
    expect(card).toContain("✉ 2 emails · Last email: to jane@globex.com");
    expect(card).toContain("Toner empty");
  });

  it("sends once when the same form is submitted twice, even at the same moment", async () => {
    const { view, c } = await openCase(ana, "Globex: fax");
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    const values = { to: "jane@globex.com", subject: "Your fax", text: "Fixed." };
    const [first, second] = await Promise.all([submitForm(h.deps, ana, form.id, values, form.context!), submitForm(h.deps, ana, form.id, values, form.context!)]);
    const third = await submitForm(h.deps, ana, form.id, values, form.context!);
    const texts = [first, second, third].map((r) => viewOf(r).text);
    expect(texts.filter((t) => t.startsWith("✉ Email to jane@globex.com queued"))).toHaveLength(1);
    expect(texts.filter((t) => t.includes("already queued"))).toHaveLength(2);
    expect(await h.db.emailMessage.count({ where: { recordType: "case", recordId: c.id, direction: "outbound" } })).toBe(1);
    expect(await h.db.timelineEntry.count({ where: { recordType: "case", recordId: c.id, kind: "email-out" } })).toBe(1);
    expect(await h.db.outbox.count({ where: { dedupeKey: `email-reply:${form.context!.sendId}` } })).toBe(1);
  });

  it("refuses someone outside the case's team, at the button and at submit; nothing is sent", async () => {
    const { view, c } = await openCase(ana, "Globex: monitor flickers");
    expect(viewOf(await runAction(h.deps, sam, "case.email", button(view, "case.email").value!)).text).toMatch(/^Only members of the case's team.*can email the customer/);
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    const refused = viewOf(await submitForm(h.deps, sam, form.id, { to: "jane@globex.com", subject: "Hi", text: "Hello" }, form.context!));
    expect(refused.text).toMatch(/can email the customer/);
    expect(await h.db.emailMessage.count({ where: { recordId: c.id, direction: "outbound" } })).toBe(0);
  });

  it("refuses a case whose team has no alias, instead of sending from MAIL_FROM", async () => {
    const { view, c } = await openCase(dee, "Globex: doorbell");
    const ref = `CASE-${String(c.number).padStart(4, "0")}`;
    const refused = viewOf(await runAction(h.deps, dee, "case.email", button(view, "case.email").value!));
    expect(refused.text).toBe(`${ref}'s team has no email alias; an admin sets one with \`npm run admin -- team update "Front Desk" --alias support@example.com\`. Nothing was sent.`);
    const forged = viewOf(await submitForm(h.deps, dee, "mail.reply-form", { to: "jane@globex.com", subject: "Hi", text: "Hello" }, { kind: "case", recordId: c.id, sendId: "a".repeat(32) }));
    expect(forged.text).toMatch(/has no email alias/);
    expect(await h.db.outbox.count({ where: { channel: "email", payload: { path: ["subject"], string_contains: ref } } })).toBe(0);
  });

  it("answers a bad address, a bad Cc, an empty text, a too long text and our own alias as field errors", async () => {
    const { view } = await openCase(ana, "Globex: keyboard");
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    const submit = (values: Record<string, string>) => submitForm(h.deps, ana, form.id, { to: "jane@globex.com", subject: "Hi", text: "Hello", ...values }, form.context!);
    expect(errorsOf(await submit({ to: "jane at globex" }))).toEqual({ to: "“jane at globex” is not an email address (one address, like jane@globex.com)." });
    expect(errorsOf(await submit({ cc: "ok@globex.com, nope" })).cc).toBe("Not an email address: nope. Separate addresses with commas.");
    expect(errorsOf(await submit({ text: "   " }))).toEqual({ text: "Write the email." });
    expect(errorsOf(await submit({ text: "x".repeat(20_001) })).text).toMatch(/limited to 20,000 characters/);
    expect(errorsOf(await submit({ to: "Sales@Acme.test" })).to).toMatch(/one of our own team addresses/);
    expect(await h.db.outbox.count({ where: { dedupeKey: `email-reply:${form.context!.sendId}` } })).toBe(0);
  });

  it("still sends to an address that bounced, and says so", async () => {
    await h.db.emailAddressStatus.create({ data: { address: "gone@globex.com", bounceCount: 2, lastBounceAt: new Date("2026-11-20T09:30:00Z"), lastReason: "550 no such user" } });
    const { view } = await openCase(ana, "Globex: mouse");
    const form = formOf(await runAction(h.deps, ana, "case.email", button(view, "case.email").value!));
    const done = viewOf(await submitForm(h.deps, ana, form.id, { to: "gone@globex.com", subject: "Mouse", text: "Try again?" }, form.context!));
    expect(done.text).toMatch(/^✉ Email to gone@globex\.com queued/);
    expect(JSON.stringify(done.blocks)).toMatch(/Mail to gone@globex\.com bounced on [^;]*20[^;]*; it may not arrive/);
    expect(await emailRows("gone@globex.com")).toHaveLength(1);
  });

  it("emails from a claim card: the partner's address, the claim's watchers, on the claim's timeline", async () => {
    const view = viewOf(await runCommand(h.deps, ana, "claim Globex: 3 units arrived broken", slack));
    const claim = await h.db.claim.findFirstOrThrow({ where: { subject: "3 units arrived broken" } });
    await h.db.claimWatcher.create({ data: { claimId: claim.id, email: "qa@globex.com" } });
    const labels = actionsOf(view).map((a) => a.label);
    expect(labels).toEqual(expect.arrayContaining(["Add note (internal)", "✉ Reply by email"]));
    const form = formOf(await runAction(h.deps, ana, "claim.email", button(view, "claim.email").value!));
    expect(initial(form, "to")).toBe("jane@globex.com");
    expect(initial(form, "cc")).toBe("qa@globex.com");
    expect(viewOf(await submitForm(h.deps, ana, form.id, { to: "jane@globex.com", subject: "Your claim", text: "Replacements ship Monday." }, form.context!)).text).toMatch(/^✉ Email to jane@globex.com queued \(CLM-\d{4}\)\.$/);
    const row = (await emailRows("jane@globex.com")).find((r) => payloadOf(r).subject.includes("Your claim"))!;
    expect(payloadOf(row).headers).toMatchObject({ from: "Support <support@acme.test>", cc: ["qa@globex.com"] });
    expect(await h.db.timelineEntry.count({ where: { recordType: "claim", recordId: claim.id, kind: "email-out" } })).toBe(1);
  });

  it("emails from a lead card to the lead's address; only its salesperson's team may", async () => {
    viewOf(await runCommand(h.deps, sally, "lead Initech quote", slack));
    const lead = await h.db.lead.findFirstOrThrow({ where: { title: { contains: "Initech" } } });
    const sales = await h.db.team.findUniqueOrThrow({ where: { name: "Sales" } });
    await h.db.lead.update({ where: { id: lead.id }, data: { email: "bill@initech.com", teamId: sales.id, salespersonId: sally.user.id } });
    const value = `${lead.id}:${lead.version}`;
    expect(viewOf(await runAction(h.deps, ana, "lead.email", value)).text).toMatch(/can email the customer about this lead/);
    const form = formOf(await runAction(h.deps, sally, "lead.email", value));
    expect(initial(form, "to")).toBe("bill@initech.com");
    expect(form.intro).toContain("Sent from sales@acme.test");
    viewOf(await submitForm(h.deps, sally, form.id, { to: "bill@initech.com", subject: "Your quote", text: "Attached below." }, form.context!));
    const row = (await emailRows("bill@initech.com"))[0]!;
    expect(payloadOf(row).headers).toMatchObject({ from: "Sales <sales@acme.test>" });
    expect(payloadOf(row).headers?.replyTo).toMatch(new RegExp(`^sales\\+l${lead.number}-[0-9a-f]{8}@acme\\.test$`));
    expect(await h.db.emailMessage.count({ where: { recordType: "lead", recordId: lead.id, direction: "outbound", sentById: sally.user.id } })).toBe(1);
  });

  it("refuses a forged or outdated form context", async () => {
    const reply = viewOf(await submitForm(h.deps, ana, "mail.reply-form", { to: "jane@globex.com", subject: "Hi", text: "Hello" }, { kind: "case", recordId: "not-an-id", sendId: "x" }));
    expect(reply.text).toMatch(/no longer supported/);
  });
});
