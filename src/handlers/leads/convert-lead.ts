// Convert a lead into an opportunity (Odoo's crm.lead2opportunity.partner, notes §1.2): open the form with Odoo's
// defaults, then convert it — customer, salesperson, team, stage — or fold it into one existing opportunity.
import { leadConvertForm, mergeTargetOf, type ConvertFormInput, type MergeTarget } from "../../bot/views/lead-convert-form.js";
import { parseForm } from "../../bot/views/form-values.js";
import { leadCard } from "../../bot/views/lead-card.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import {
  conversionRefusal,
  conversionSummary,
  customerToCreate,
  defaultConversionAction,
  defaultCustomerAction,
  defaultTeamId,
  pickMatchingPartner,
  placeInPipeline,
  salespersonProblem,
  type CustomerFacts,
  type SalesTeam,
} from "../../domain/conversion.js";
import { leadReference } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import { createPartner } from "../resolve-partner.js";
import { applyMerge, RecordsChanged } from "./apply-merge.js";
import { changeLead, leadForButton, withCard, type Who } from "./change-lead.js";
import { findDuplicates } from "./find-duplicates.js";
import { notifySalesperson, publishLeadCard, withLine } from "./lead-notify.js";
import { leadCardData, leadFacts, loadLead, pipelineOfTeam, type LoadedLead } from "./load-lead.js";
import { loadMergeLeads, planFor } from "./merge-preview.js";

type Reader = Deps["db"] | Tx;

const UUID = /^[0-9a-f-]{36}$/i;

/** The Convert button: the same checks as the conversion itself, then the form with Odoo's defaults. */
export async function openConvertForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.convertLead(actor, facts), conversionRefusal);
  if (!found.ok) return found.reply;
  const lead = found.lead;
  const duplicates = await findDuplicates(deps.db, lead);
  const targets: MergeTarget[] = duplicates.filter((d) => d.type === "opportunity").map(({ id, number, title }) => ({ id, number, title }));
  const matched = lead.partner ? { ...lead.partner } : await matchingPartner(deps.db, lead);
  const salesperson = lead.salesperson?.isActive ? lead.salesperson : { id: who.user.id, name: who.user.name };
  const teams = await deps.db.team.findMany({ where: { kind: "sales" }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  const ownTeams = await deps.db.teamMember.findMany({ where: { userId: salesperson.id, team: { kind: "sales" } }, orderBy: { joinedAt: "asc" }, select: { teamId: true } });
  return openForm(
    leadConvertForm({
      lead: { id: lead.id, number: lead.number, version: found.version, title: lead.title },
      action: defaultConversionAction(duplicates),
      mergeTargets: targets,
      customer: defaultCustomerAction(lead, matched),
      ...(matched ? { partner: { value: matched.id, label: matched.name } } : {}),
      salesperson: { value: salesperson.id, label: salesperson.name },
      teams: teams.map((t) => ({ value: t.id, label: t.name })),
      teamId: defaultTeamId(lead.teamId, ownTeams.map((m) => m.teamId)),
    }),
  );
}

/**
 * Odoo's `_find_matching_partner`: by the lead's email, then its company name, then its contact name. One small
 * indexed query per criterion (oldest partner first), so many partners sharing a name cannot hide an email match.
 */
async function matchingPartner(db: Reader, lead: CustomerFacts) {
  const criteria = [
    lead.emailNormalized ? { email: { equals: lead.emailNormalized, mode: "insensitive" as const } } : undefined,
    ...[lead.companyName, lead.contactName].map((n) => n?.trim()).map((name) => (name ? { name: { equals: name, mode: "insensitive" as const } } : undefined)),
  ];
  const candidates = [];
  for (const where of criteria) {
    const found = where ? await db.partner.findFirst({ where, orderBy: { createdAt: "asc" }, select: { id: true, name: true, email: true, kind: true } }) : null;
    if (found) candidates.push(found);
  }
  return pickMatchingPartner(lead, candidates);
}

/** The form's skeleton, to read a submission (the options do not matter there). */
const submitForm = leadConvertForm({ lead: { id: "", number: 0, version: 0, title: "" }, action: "convert", mergeTargets: [], customer: "nothing", teams: [] }, { forSubmit: true });

export async function submitConvert(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(submitForm, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const choices = await readChoices(deps.db, input);
  if ("errors" in choices) return { kind: "errors", errors: choices.errors };
  const value = `${context.leadId ?? ""}:${context.version ?? ""}`;
  const targetId = mergeTargetOf(input.action);
  if (targetId) return mergeIntoOpportunity(deps, who, value, targetId, choices);
  return changeLead(deps, who, value, {
    check: (actor, facts) => policy.convertLead(actor, facts),
    alreadyDone: (lead) => (lead.type === "opportunity" ? `${leadReference(lead)} is already an opportunity.` : undefined),
    refuse: conversionRefusal,
    plan: async (tx, lead) => {
      // Checks first: errors end the transaction without rolling back what was already written.
      const teamId = choices.team?.id ?? lead.teamId;
      const place = placeInPipeline(lead, await pipelineOfTeam(tx, teamId));
      if (!place) return { errors: { team: "That team's pipeline has no open stage; ask an admin to add one, or choose another team." } };
      const customer = await settleCustomer(tx, deps, who, lead, input, choices.salesperson.id);
      if ("errors" in customer) return customer;
      const now = deps.now();
      return {
        data: {
          type: "opportunity",
          convertedAt: now,
          salespersonId: choices.salesperson.id,
          teamId,
          partnerId: customer.partnerId,
          stageId: place.stage.id,
          probability: place.probability,
          ...(place.stage.id !== lead.stageId ? { stageChangedAt: now } : {}),
        },
        kind: "converted",
        summary: conversionSummary(who.user.name, customer.summary),
        details: { customer: input.customer, partnerId: customer.partnerId, salespersonId: choices.salesperson.id, teamId },
        extraTeamIds: lead.teamId && lead.teamId !== teamId ? [lead.teamId] : undefined,
        notifySalesperson: `${who.user.name} converted ${leadReference(lead)} into an opportunity for you.`,
        done: `✅ ${leadReference(lead)} is now ${leadReference({ number: lead.number, type: "opportunity" })}.`,
      };
    },
  });
}

interface ConvertChoices {
  salesperson: { id: string; name: string };
  team: { id: string; name: string } | undefined;
}

/** The salesperson and team as chosen: they exist, the person is active and belongs to the team. */
async function readChoices(db: Reader, input: ConvertFormInput): Promise<ConvertChoices | { errors: Record<string, string> }> {
  const person = UUID.test(input.salesperson) ? await db.user.findUnique({ where: { id: input.salesperson }, select: { id: true, name: true, isActive: true } }) : null;
  if (!person) return { errors: { salesperson: "Choose the salesperson from the list." } };
  let team: SalesTeam | undefined;
  if (input.team) {
    const row = UUID.test(input.team) ? await db.team.findUnique({ where: { id: input.team }, select: { id: true, name: true, kind: true, managerId: true, members: { select: { userId: true } } } }) : null;
    if (!row || row.kind !== "sales") return { errors: { team: "That sales team no longer exists; choose another." } };
    team = { id: row.id, name: row.name, managerId: row.managerId, memberIds: row.members.map((m) => m.userId) };
  }
  const problem = salespersonProblem(person, team);
  if (problem) return { errors: { salesperson: problem } };
  return { salesperson: { id: person.id, name: person.name }, team: team && { id: team.id, name: team.name } };
}

type SettledCustomer = { partnerId: string | null; summary: { action: "created" | "linked"; name: string } | undefined } | { errors: Record<string, string> };

/**
 * The customer, as chosen. Creating makes Odoo's company + contact pair; the lead is linked to the company (Odoo's
 * commercial partner), since that is what cases, claims and duplicate detection compare, and the contact is one click
 * away under it. "Do not link" unlinks: the person said so explicitly.
 */
async function settleCustomer(tx: Tx, deps: Deps, who: Who, lead: LoadedLead, input: ConvertFormInput, salespersonId: string): Promise<SettledCustomer> {
  if (input.customer === "nothing") return { partnerId: null, summary: undefined };
  if (input.customer === "exist") {
    const id = input.partner && UUID.test(input.partner) ? input.partner : undefined;
    const partner = id ? await tx.partner.findUnique({ where: { id }, select: { id: true, name: true } }) : null;
    if (!partner) return { errors: { partner: "Choose the existing customer to link, or choose “Create a new customer”." } };
    return { partnerId: partner.id, summary: { action: "linked", name: partner.name } };
  }
  const plan = customerToCreate(lead);
  if (!plan) return { errors: { customer: "The lead has no contact or company name to create a customer from; link an existing customer instead." } };
  const company = plan.company ? await createPartner(tx, deps, { ...plan.company, salespersonId }, who.actor.id) : undefined;
  const contact = plan.contact ? await createPartner(tx, deps, { ...plan.contact, parentId: company?.id ?? null, salespersonId }, who.actor.id) : undefined;
  const linked = (company ?? contact)!;
  return { partnerId: linked.id, summary: { action: "created", name: linked.name } };
}

/**
 * Odoo's merge path of the wizard: the lead is folded into the chosen opportunity by the merge rules (the opportunity
 * survives: it outranks a lead), and the survivor gets the salesperson and team chosen (the single wizard's
 * force_assignment defaults to true). The customer choice does not apply: the opportunity keeps its own, as in Odoo.
 */
async function mergeIntoOpportunity(deps: Deps, who: Who, value: string, targetId: string, choices: ConvertChoices): Promise<Reply> {
  const found = await leadForButton(deps, who, value, (actor, facts) => policy.convertLead(actor, facts), conversionRefusal);
  if (!found.ok) return found.reply;
  const lead = found.lead;
  const target = UUID.test(targetId) ? await loadLead(deps.db, targetId) : null;
  if (!target || target.type !== "opportunity" || !target.isOpen || target.mergedIntoId) {
    return { kind: "errors", errors: { action: "That opportunity is no longer open; choose another, or convert into a new opportunity." } };
  }
  const mayChange = policy.editLead(who.actor, leadFacts(target));
  if (!mayChange.ok) return { kind: "errors", errors: { action: mayChange.reason } };
  const from = leadReference(lead);
  const into = leadReference(target);
  try {
    const view = await deps.db.$transaction(async (tx) => {
      const plan = await planFor(tx, await loadMergeLeads(tx, [target.id, lead.id]));
      // The lead at the version the form showed: a double submit or a stale form merges nothing (RecordsChanged).
      const versions = new Map([[lead.id, found.version], [target.id, target.version]]);
      // Only the survivor changes for rules: the merged-away lead is archived, out of their reach.
      const watch = await watchRecord(tx, deps, "lead", plan.survivor.id, who.actor.id);
      await applyMerge(tx, plan, versions, { id: who.actor.id, name: who.user.name, now: deps.now() });
      const survivorId = plan.survivor.id;
      const teamId = choices.team?.id ?? plan.values.teamId;
      const place = placeInPipeline({ stageId: plan.values.stageId, probability: plan.values.probability }, await pipelineOfTeam(tx, teamId));
      await tx.lead.update({
        where: { id: survivorId },
        data: { salespersonId: choices.salesperson.id, teamId, ...(place ? { stageId: place.stage.id, probability: place.probability } : {}), version: { increment: 1 } },
      });
      await watch.done();
      const left = [lead.teamId, target.teamId].filter((t): t is string => Boolean(t) && t !== teamId);
      await publishLeadCard(tx, deps, survivorId, { extraTeamIds: left });
      await publishLeadCard(tx, deps, lead.id, { extraTeamIds: left });
      if (choices.salesperson.id !== who.actor.id) await notifySalesperson(tx, deps, survivorId, `${who.user.name} merged ${from} into ${into}, an opportunity of yours.`);
      const now = (await loadLead(tx, survivorId))!;
      return withLine(leadCard(await leadCardData(tx, now), who.user.timeZone, deps.now()), `✅ ${from} was merged into ${into}.`);
    });
    return { kind: "done", view };
  } catch (error) {
    if (!(error instanceof RecordsChanged)) throw error;
    const now = await loadLead(deps.db, lead.id);
    return now ? withCard(deps, who, now, `${from} or ${into} changed since this form was opened, so nothing was merged. Here is the lead as it is now.`) : privateMessage(notice("That lead no longer exists."));
  }
}
