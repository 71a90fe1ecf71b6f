// "Edit" on a case card: subject, description, priority, customer, internal flag, planned close, and the case's
// other fields (coordinator, contact, category, class, start, estimated hours, complexity, billable, expected
// revenue and cost, probability). Changing nothing is refused.
import { editForm, type CaseEditData } from "../../bot/views/case-edit-form.js";
import { parseForm } from "../../bot/views/form-values.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import { caseReference, priorityLabel } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { channelChoices, checkChannelChoice } from "../channels/channel-choices.js";
import { partnerFromFormValue } from "../resolve-partner.js";
import { caseForButton, changeCase, type Who } from "./change-case.js";

export async function openEditForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await caseForButton(deps, who, value, (actor, facts) => policy.editCase(actor, facts));
  if (!found.ok) return found.reply;
  const choices = await channelChoices(deps.db, deps.now(), found.case);
  return openForm(editForm({ ...found.case, version: found.version }, who.user.timeZone, choices));
}

const BLANK: CaseEditData = { id: "", number: 0, version: 0, subject: "", description: null, priority: "medium", isInternal: false, plannedCloseAt: null, partner: null };

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export async function submitEdit(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  // The form's fields and schema only, to read the submission (the case is loaded by changeCase).
  const parsed = parseForm(editForm(BLANK, who.user.timeZone, { channels: [], campaigns: [], forSubmit: true }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const coordinator = input.coordinator ? await deps.db.user.findUnique({ where: { id: input.coordinator }, select: { id: true, name: true, isActive: true } }) : null;
  if (input.coordinator && !coordinator?.isActive) return { kind: "errors", errors: { coordinator: "That person is not an active Switchboard user. Choose another." } };
  return changeCase(deps, who, `${context.caseId}:${context.version}`, {
    check: (actor, facts) => policy.editCase(actor, facts),
    plan: async (tx, c) => {
      // Kept if still set to what the case has, even when switched off since; an empty choice clears it.
      const source = await checkChannelChoice(tx, deps.now(), { channel: input.channel, campaign: input.campaign }, c);
      if (!source.ok) return { errors: source.errors };
      const partnerId = await partnerFromFormValue(tx, deps, input.partner, who.actor.id);
      const contactId = await partnerFromFormValue(tx, deps, input.contact, who.actor.id);
      const data = {
        subject: input.subject,
        description: input.description ?? null,
        priority: input.priority,
        partnerId,
        isInternal: input.internal === "yes",
        plannedCloseAt: input.plannedCloseAt ?? null,
        coordinatorId: coordinator?.id ?? null,
        contactId,
        category: input.category ?? null,
        caseClass: input.caseClass ?? null,
        startAt: input.startAt ?? null,
        estimatedHours: input.estimatedHours ?? null,
        complexity: input.complexity ?? null,
        isBillable: input.billable === "yes",
        expectedRevenue: input.expectedRevenue ?? null,
        expectedCost: input.expectedCost ?? null,
        probability: input.probability ?? null,
        channelId: source.channelId,
        campaignId: source.campaignId,
      };
      const changes: string[] = [];
      if (data.subject !== c.subject) changes.push(`subject to “${data.subject}”`);
      if (data.description !== c.description) changes.push("the description");
      if (data.priority !== c.priority) changes.push(`priority to ${priorityLabel(data.priority)}`);
      if (data.partnerId !== c.partnerId) changes.push("the customer");
      if (data.isInternal !== c.isInternal) changes.push(data.isInternal ? "it to internal" : "it to not internal");
      if (!sameTime(data.plannedCloseAt, c.plannedCloseAt)) changes.push("the planned close");
      if (data.coordinatorId !== c.coordinatorId) changes.push(coordinator ? `the coordinator to ${coordinator.name}` : "the coordinator");
      if (data.contactId !== c.contactId) changes.push("the contact");
      if (data.category !== c.category) changes.push(data.category ? `the category to “${data.category}”` : "the category");
      if (data.caseClass !== c.caseClass) changes.push(data.caseClass ? `the class to “${data.caseClass}”` : "the class");
      if (!sameTime(data.startAt, c.startAt)) changes.push("the start date");
      if (data.estimatedHours !== c.estimatedHours) changes.push(data.estimatedHours === null ? "the estimate" : `the estimate to ${data.estimatedHours} h`);
      if (data.complexity !== c.complexity) changes.push(data.complexity === null ? "the complexity" : `the complexity to ${data.complexity}/5`);
      if (data.isBillable !== c.isBillable) changes.push(data.isBillable ? "it to billable" : "it to not billable");
      if (data.expectedRevenue !== c.expectedRevenue) changes.push("the expected revenue");
      if (data.expectedCost !== c.expectedCost) changes.push("the expected cost");
      if (data.probability !== c.probability) changes.push(data.probability === null ? "the probability" : `the probability to ${data.probability}%`);
      if (data.channelId !== c.channelId) changes.push("the channel");
      if (data.campaignId !== c.campaignId) changes.push("the campaign");
      if (!changes.length) return { errors: { subject: "Nothing was changed." } };
      return {
        data,
        kind: "edited",
        summary: `${who.user.name} changed ${changes.join(", ")}`,
        touchesSla: data.priority !== c.priority,
        done: `✅ ${caseReference(c.number)} saved.`,
      };
    },
  });
}
