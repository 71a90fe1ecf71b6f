// Converting a lead into an opportunity (Odoo's crm.lead2opportunity.partner wizard, notes §1.2): the form's defaults,
// the refusals, the customer to create, and where the new opportunity lands in its team's pipeline.
import { firstOpenStage, leadReference, type LeadStageKind, type LeadType } from "./leads.js";

export type ConversionAction = "convert" | "merge";
export type CustomerAction = "create" | "exist" | "nothing";

/** Odoo's labels for the "Related Customer" choice. */
export const CUSTOMER_ACTION_LABELS: Record<CustomerAction, string> = {
  create: "Create a new customer",
  exist: "Link to an existing customer",
  nothing: "Do not link to a customer",
};

export interface ConvertibleLead {
  number: number;
  type: LeadType;
  stage: { kind: LeadStageKind };
  mergedInto: { number: number; type: LeadType } | null;
}

/**
 * Why this record cannot go through the conversion form, if it cannot. Odoo refuses probability-100 leads
 * ("Closed/Dead leads cannot be converted into opportunities"); we refuse lost ones too, since a lost lead is
 * archived and converting it would silently bring it back.
 */
export function conversionRefusal(lead: ConvertibleLead): string | undefined {
  if (lead.mergedInto) return `${leadReference(lead)} was merged into ${leadReference(lead.mergedInto)}; work on that one.`;
  if (lead.type === "opportunity") return `${leadReference(lead)} is already an opportunity.`;
  if (lead.stage.kind !== "open") return "Won or lost leads cannot be converted: restore it first.";
  return undefined;
}

/**
 * Odoo preselects "merge" when `_get_lead_duplicates` finds 2 or more records — a set that includes the lead itself,
 * so: when at least one other record matches. We only offer merging into open opportunities, so that is the test.
 */
export function defaultConversionAction(duplicates: { type: LeadType }[]): ConversionAction {
  return duplicates.some((d) => d.type === "opportunity") ? "merge" : "convert";
}

export interface CustomerFacts {
  contactName: string | null;
  companyName: string | null;
  emailNormalized: string | null;
}

export interface PartnerCandidate {
  id: string;
  name: string;
  email: string | null;
  kind: "company" | "person";
}

const same = (a: string | null | undefined, b: string | null | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

/**
 * Odoo's `_find_matching_partner`: the partner with the lead's email first, then one named like the company,
 * then one named like the contact (Odoo's ilike without wildcards: equal ignoring case). Among equals, the
 * candidates' order (oldest first) decides.
 */
export function pickMatchingPartner<P extends PartnerCandidate>(lead: CustomerFacts, candidates: P[]): P | undefined {
  return (
    candidates.find((p) => same(p.email, lead.emailNormalized)) ??
    candidates.find((p) => same(p.name, lead.companyName)) ??
    candidates.find((p) => same(p.name, lead.contactName))
  );
}

/** Odoo's default for "Related Customer": link the match, else create from the names typed, else nothing. */
export function defaultCustomerAction(lead: CustomerFacts, matched: { id: string } | undefined): CustomerAction {
  if (matched) return "exist";
  return lead.contactName?.trim() || lead.companyName?.trim() ? "create" : "nothing";
}

export interface NewPartner {
  kind: "company" | "person";
  name: string;
  email: string | null;
  phone: string | null;
}

/**
 * Odoo's `_create_customer`: a company from the company name and, under it, a person from the contact name who
 * carries the email and phone; the company gets them only when there is no contact. Only a contact name: one person.
 */
export function customerToCreate(lead: { contactName: string | null; companyName: string | null; email: string | null; phone: string | null }): { company?: NewPartner; contact?: NewPartner } | undefined {
  const company = lead.companyName?.trim();
  const contact = lead.contactName?.trim();
  if (!company && !contact) return undefined;
  const reach = { email: lead.email?.trim() || null, phone: lead.phone?.trim() || null };
  return {
    ...(company ? { company: { kind: "company" as const, name: company, ...(contact ? { email: null, phone: null } : reach) } } : {}),
    ...(contact ? { contact: { kind: "person" as const, name: contact, ...reach } } : {}),
  };
}

export interface Salesperson {
  id: string;
  name: string;
  isActive: boolean;
}

export interface SalesTeam {
  id: string;
  name: string;
  managerId: string | null;
  memberIds: string[];
}

/**
 * The salesperson must belong to the team (as a member or its manager). Odoo recomputes the team so the user is a
 * member; a silent change of team would move the opportunity to another channel unnoticed, so we ask instead.
 */
export function salespersonProblem(person: Salesperson, team: SalesTeam | undefined): string | undefined {
  if (!person.isActive) return `${person.name} is deactivated; choose an active salesperson.`;
  if (team && team.managerId !== person.id && !team.memberIds.includes(person.id)) {
    return `${person.name} is not in ${team.name}; choose a member of the team or another team.`;
  }
  return undefined;
}

/** The team preselected on the form: the lead's own, else the salesperson's first sales team. */
export function defaultTeamId(leadTeamId: string | null, salespersonSalesTeamIds: string[]): string | undefined {
  return leadTeamId ?? salespersonSalesTeamIds[0];
}

export interface StageChoice {
  id: string;
  kind: LeadStageKind;
  probability: number;
  sequence: number;
  name: string;
  teamId: string | null;
}

/**
 * Where the new opportunity stands: its stage if the team's pipeline has it (Odoo writes the stage only "if
 * missing"), else the team's first open stage. The probability comes from that stage, unless someone had already
 * set the lead's higher (their judgement of this deal beats the stage's average).
 */
export function placeInPipeline<S extends StageChoice>(current: { stageId: string; probability: number }, pipeline: S[]): { stage: S; probability: number } | undefined {
  const stage = pipeline.find((s) => s.id === current.stageId) ?? firstOpenStage(pipeline);
  if (!stage) return undefined;
  return { stage, probability: Math.max(stage.probability, current.probability) };
}

/** The timeline line: "Converted to an opportunity by Ana Ruiz (customer: created Globex)". */
export function conversionSummary(actorName: string, customer: { action: "created" | "linked"; name: string } | undefined): string {
  const how = customer ? `${customer.action} ${customer.name}` : "none";
  return `Converted to an opportunity by ${actorName} (customer: ${how})`;
}
