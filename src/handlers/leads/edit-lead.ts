// "Edit" on a lead or opportunity card: revenue, probability, priority, next action, dates, tags, title, contact.
import { parseForm } from "../../bot/views/form-values.js";
import { leadEditForm, type LeadEditInput } from "../../bot/views/lead-pipeline-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { leadReference, matchKeys } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { channelChoices, checkChannelChoice } from "../channels/channel-choices.js";
import { changeLead, leadForButton, type Who } from "./change-lead.js";
import type { LoadedLead } from "./load-lead.js";

export async function openLeadEditForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.editLead(actor, facts));
  if (!found.ok) return found.reply;
  const l = found.lead;
  const choices = await channelChoices(deps.db, deps.now(), l);
  return openForm(leadEditForm({ ...l, version: found.version }, who.user.timeZone, { ...l, expectedRevenue: l.expectedRevenue === null ? null : Number(l.expectedRevenue) }, choices));
}

export async function submitLeadEdit(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const form = leadEditForm({ id: context.leadId ?? "", number: 0, type: "opportunity", version: 0 }, who.user.timeZone, blank, { channels: [], campaigns: [], forSubmit: true });
  const parsed = parseForm(form, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  return changeLead(deps, who, `${context.leadId}:${context.version}`, {
    check: (actor, facts) => policy.editLead(actor, facts),
    plan: async (tx, l) => {
      // Kept if still set to what the record has, even when switched off since; an empty choice clears it.
      const source = await checkChannelChoice(tx, deps.now(), { channel: input.channel, campaign: input.campaign }, l);
      if (!source.ok) return { errors: source.errors };
      const data = { ...editedData(input), channelId: source.channelId, campaignId: source.campaignId };
      const changed = changedLabels(l, data);
      return {
        data,
        kind: "edited",
        summary: changed.length ? `${who.user.name} edited ${changed.join(", ")}` : `${who.user.name} saved it unchanged`,
        done: changed.length ? `✏️ ${leadReference(l)} saved (${changed.join(", ")}).` : `${leadReference(l)}: nothing changed.`,
      };
    },
  });
}

const blank = { title: "", expectedRevenue: null, probability: 0, priority: 0, nextAction: null, nextActionAt: null, expectedCloseAt: null, tags: [], contactName: null, companyName: null, email: null, phone: null, channelId: null, campaignId: null };

/** An empty field clears its value; the duplicate-detection keys follow the email and phone. */
function editedData(input: LeadEditInput) {
  return {
    title: input.title,
    expectedRevenue: input.expectedRevenue ?? null,
    probability: input.probability,
    priority: input.priority,
    nextAction: input.nextAction ?? null,
    nextActionAt: input.nextActionAt ?? null,
    expectedCloseAt: input.expectedCloseAt ?? null,
    tags: input.tags ?? [],
    contactName: input.contactName ?? null,
    companyName: input.companyName ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    ...matchKeys({ email: input.email, phone: input.phone }),
  };
}

type EditedData = ReturnType<typeof editedData> & { channelId: string | null; campaignId: string | null };

const LABELS: Partial<Record<keyof EditedData, string>> = {
  title: "title",
  expectedRevenue: "expected revenue",
  probability: "probability",
  priority: "priority",
  nextAction: "next action",
  nextActionAt: "next action date",
  expectedCloseAt: "expected closing",
  tags: "tags",
  contactName: "contact",
  companyName: "company",
  email: "email",
  phone: "phone",
  channelId: "channel",
  campaignId: "campaign",
};

function changedLabels(l: LoadedLead, data: EditedData): string[] {
  const norm = (v: unknown) => (v instanceof Date ? v.getTime() : Array.isArray(v) ? v.join(",") : v === null || v === undefined ? null : typeof v === "object" ? Number(v) : v);
  return (Object.keys(LABELS) as (keyof typeof LABELS)[]).filter((k) => norm(data[k]) !== norm(l[k as keyof LoadedLead])).map((k) => LABELS[k]!);
}
