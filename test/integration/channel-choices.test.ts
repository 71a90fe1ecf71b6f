// Channels and campaigns on the lead and case forms: what is offered, what a submission may set, and what the cards show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { LEAD_FORM_ID } from "../../src/bot/views/lead-forms.js";
import type { Form, FormField, MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };
const NOW = new Date("2027-03-10T12:00:00Z");

function formOf(reply: Reply): Form {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${JSON.stringify(reply)}`);
  return reply.form as Form;
}
const field = (form: Form, id: string): FormField | undefined => form.fields.find((f) => f.id === id);
const labels = (f: FormField | undefined) => f?.options?.map((o) => o.label);
function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
}
const textOf = (view: MessageView) => view.blocks.map((b) => ("text" in b ? b.text : b.type === "fields" ? b.fields.map((f) => `${f.label}: ${f.value}`).join("\n") : "")).join("\n");

describe("channels and campaigns on the lead and case forms", () => {
  let h: HandlerHarness;
  let ana: Who;
  let channel: Record<string, string>;
  let campaign: Record<string, string>;

  beforeAll(async () => {
    h = await handlerHarness({ now: () => NOW });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    const support = await h.db.team.create({ data: { name: "Support", kind: "support" } });
    ana = await aPerson(h.db, { teamIds: [sales.id, support.id] });
    channel = Object.fromEntries((await h.db.channel.findMany()).map((c) => [c.code, c.id]));
    await h.db.channel.create({ data: { code: "fax", name: "Fax", isActive: false } });
    channel.fax = (await h.db.channel.findUniqueOrThrow({ where: { code: "fax" } })).id;
    const add = (name: string, data: object = {}) => h.db.campaign.create({ data: { name, ...data } });
    campaign = {
      spring: (await add("Spring fair", { channelId: channel.web, startsOn: new Date("2027-03-01"), endsOn: new Date("2027-03-31") })).id,
      always: (await add("Referral programme")).id,
      ended: (await add("Winter sale", { endsOn: new Date("2027-02-28") })).id,
      later: (await add("Summer webinar", { startsOn: new Date("2027-06-01") })).id,
      closed: (await add("Old newsletter", { isActive: false })).id,
    };
  });
  afterAll(async () => h?.close());

  it("offers the switched-on channels (Direct first chosen) and only the campaigns running today", async () => {
    const form = formOf(await runCommand(h.deps, ana, "lead", slack));
    expect(labels(field(form, "channel"))).toEqual(["Chat", "Direct", "Email", "Meeting", "Phone", "Referral", "Social", "Web"]);
    expect(field(form, "channel")!.initial).toBe(channel.direct);
    expect(labels(field(form, "campaign"))).toEqual(["Referral programme", "Spring fair"]);
    const caseForm = formOf(await runCommand(h.deps, ana, "case", slack));
    expect(field(caseForm, "channel")!.initial).toBe(channel.chat);
    expect(labels(field(caseForm, "campaign"))).toEqual(["Referral programme", "Spring fair"]);
  });

  it("takes the campaign's channel when none is chosen, and keeps an explicit channel", async () => {
    expect((await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Fair visitor", campaign: campaign.spring }, {})).kind).toBe("done");
    expect(await h.db.lead.findFirstOrThrow({ where: { title: "Fair visitor" }, select: { channelId: true, campaignId: true } })).toEqual({ channelId: channel.web, campaignId: campaign.spring });
    expect((await submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Called about the fair", channel: channel.phone, campaign: campaign.spring }, {})).kind).toBe("done");
    expect(await h.db.lead.findFirstOrThrow({ where: { title: "Called about the fair" }, select: { channelId: true } })).toEqual({ channelId: channel.phone });
    const done = await submitForm(h.deps, ana, "case.form", { subject: "Stand broken", channel: channel.email, campaign: campaign.spring }, {});
    expect(textOf(viewOf(done))).toContain("Source: Email, campaign Spring fair");
  });

  it("refuses a forged, switched-off, ended, not yet started or closed choice in its field, and stores nothing", async () => {
    const before = await h.db.lead.count();
    const submit = (values: Record<string, string | undefined>) => submitForm(h.deps, ana, LEAD_FORM_ID, { title: "Nope", ...values }, {});
    expect(await submit({ channel: "web" })).toEqual({ kind: "errors", errors: { channel: "Choose a channel from the list." } });
    expect(await submit({ channel: "00000000-0000-4000-8000-000000000000" })).toEqual({ kind: "errors", errors: { channel: "That channel no longer exists; choose another." } });
    expect(await submit({ channel: channel.fax })).toEqual({ kind: "errors", errors: { channel: "The channel Fax is switched off; choose another." } });
    expect(await submit({ campaign: campaign.ended })).toEqual({ kind: "errors", errors: { campaign: "The campaign Winter sale ended on 2027-02-28; choose another." } });
    expect(await submit({ campaign: campaign.later })).toEqual({ kind: "errors", errors: { campaign: "The campaign Summer webinar starts on 2027-06-01; choose another." } });
    expect(await submit({ campaign: campaign.closed })).toEqual({ kind: "errors", errors: { campaign: "The campaign Old newsletter is closed; choose another." } });
    expect(await h.db.lead.count()).toBe(before);
    expect(await submitForm(h.deps, ana, "case.form", { subject: "Nope", campaign: campaign.closed }, {})).toEqual({ kind: "errors", errors: { campaign: "The campaign Old newsletter is closed; choose another." } });
  });

  it("sets the channel from the way in: Direct for a quick lead, Chat for a quick case", async () => {
    await runCommand(h.deps, ana, "lead Quick Lead, Initech: wants a demo", slack);
    const quick = await h.db.lead.findFirstOrThrow({ where: { companyName: "Initech" }, include: { channel: true } });
    expect(quick.channel?.code).toBe("direct");
    await runCommand(h.deps, ana, "case printer on fire", slack);
    const c = await h.db.case.findFirstOrThrow({ where: { subject: "printer on fire" }, include: { channel: true } });
    expect(c.channel?.code).toBe("chat");
  });

  it("edits a lead's channel and campaign; one switched off since stays allowed on the record that has it", async () => {
    const stage = await h.db.leadStage.findFirstOrThrow({ where: { teamId: null, name: "New" } });
    const lead = await h.db.lead.create({ data: { title: "Old fax lead", stageId: stage.id, channelId: channel.fax, campaignId: campaign.closed, salespersonId: ana.user.id } });
    const form = formOf(await runAction(h.deps, ana, "lead.edit", `${lead.id}:0`));
    expect(field(form, "channel")).toMatchObject({ initial: channel.fax });
    expect(labels(field(form, "channel"))).toContain("Fax (off)");
    expect(field(form, "campaign")).toMatchObject({ initial: campaign.closed });
    const ctx = { leadId: lead.id, version: "0" };
    const base = { title: "Old fax lead", probability: "10", priority: "0" };
    const kept = await submitForm(h.deps, ana, "lead.edit-form", { ...base, channel: channel.fax, campaign: campaign.closed, nextAction: "call back" }, ctx);
    expect(kept.kind).toBe("done");
    expect(await h.db.lead.findUniqueOrThrow({ where: { id: lead.id }, select: { channelId: true, campaignId: true, nextAction: true } })).toEqual({ channelId: channel.fax, campaignId: campaign.closed, nextAction: "call back" });
    const moved = await submitForm(h.deps, ana, "lead.edit-form", { ...base, nextAction: "call back", channel: channel.phone, campaign: campaign.always }, { leadId: lead.id, version: "1" });
    expect(moved.kind).toBe("done");
    const after = await h.db.lead.findUniqueOrThrow({ where: { id: lead.id }, select: { channelId: true, campaignId: true } });
    expect(after).toEqual({ channelId: channel.phone, campaignId: campaign.always });
    const back = await submitForm(h.deps, ana, "lead.edit-form", { ...base, nextAction: "call back", channel: channel.fax }, { leadId: lead.id, version: "2" });
    expect(back).toEqual({ kind: "errors", errors: { channel: "The channel Fax is switched off; choose another." } });
    const timeline = await h.db.timelineEntry.findMany({ where: { recordId: lead.id }, orderBy: { createdAt: "asc" } });
    expect(timeline.map((t) => t.summary).join("\n")).toMatch(/edited channel, campaign/);
  });

  it("edits a case's channel and campaign", async () => {
    await runCommand(h.deps, ana, "case toner empty", slack);
    const c = await h.db.case.findFirstOrThrow({ where: { subject: "toner empty" } });
    const form = formOf(await runAction(h.deps, ana, "case.edit", `${c.id}:${c.version}`));
    expect(field(form, "channel")!.initial).toBe(channel.chat);
    const saved = await submitForm(h.deps, ana, "case.edit-form", { subject: "toner empty", priority: "medium", internal: "no", billable: "no", channel: channel.phone, campaign: campaign.always }, { caseId: c.id, version: String(c.version) });
    expect(saved.kind).toBe("done");
    const after = await h.db.case.findUniqueOrThrow({ where: { id: c.id }, include: { channel: true, campaign: true } });
    expect([after.channel?.code, after.campaign?.name]).toEqual(["phone", "Referral programme"]);
    const entry = await h.db.timelineEntry.findFirstOrThrow({ where: { recordId: c.id, kind: "edited" } });
    expect(entry.summary).toContain("the channel, the campaign");
  });
});
