// Contract forms: create, edit and renew a contract, and link a case to one of its customer's open contracts.
import { z } from "zod";
import { BILLING_LABELS, checkContractTerms, CONTRACT_BILLINGS, contractReference, dayText, parseDay, readAmount, type ContractBilling, type ContractTerms } from "../../domain/contracts.js";
import { requiredText } from "./form-values.js";
import type { Form, FormField } from "./view.js";

export const CONTRACT_FORM_ID = "contract.form";
export const CONTRACT_EDIT_FORM_ID = "contract.edit-form";
export const CONTRACT_RENEW_FORM_ID = "contract.renew-form";
export const CASE_CONTRACT_FORM_ID = "case.contract-form";
/** The case card's button that opens the link form. */
export const CASE_LINK_CONTRACT = "case.link-contract";
/** The link form's choice for "no contract". */
export const NO_CONTRACT = "none";

type Option = { value: string; label: string };

const optionalText = (max: number, message: string) => z.string().max(max, message).optional();

const termsFields = {
  name: optionalText(200, "Keep the name under 200 characters."),
  salesperson: z.string().max(100).optional(),
  team: z.string().max(100).optional(),
  start: optionalText(20, "Give the first day as YYYY-MM-DD."),
  end: optionalText(20, "Write the last day as YYYY-MM-DD."),
  billing: optionalText(30, "Choose a billing method."),
  unitPrice: optionalText(30, "Write the price as a number."),
  prepaidHours: optionalText(30, "Write the hours as a number."),
};

export type ContractFormValue = { partner?: string; salesperson?: string; team?: string; terms: ContractTerms };

/** The domain's field checks (end before start, negative price, prepaid hours without prepaid billing…) as field errors. */
function withTerms<T extends { name?: string; start?: string; end?: string; billing?: string; unitPrice?: string; prepaidHours?: string }>(v: T, ctx: z.RefinementCtx) {
  const checked = checkContractTerms(v);
  if (!checked.ok) {
    for (const [field, message] of Object.entries(checked.errors)) ctx.addIssue({ code: "custom", path: [field], message });
    return z.NEVER;
  }
  return checked.value;
}

export const contractFormSchema = z
  .object({ partner: requiredText("Choose the customer.").max(300, "That customer name is too long."), ...termsFields })
  .transform((v, ctx): ContractFormValue => ({ partner: v.partner, salesperson: v.salesperson, team: v.team, terms: withTerms(v, ctx) }));

export const contractEditSchema = z.object(termsFields).transform((v, ctx): ContractFormValue => ({ salesperson: v.salesperson, team: v.team, terms: withTerms(v, ctx) }));

export interface ContractPrefill {
  name?: string;
  partner?: Option;
  salesperson?: Option;
  teamId?: string;
  startsAt?: Date;
  endsAt?: Date | null;
  billing?: ContractBilling;
  unitPrice?: number | null;
  prepaidUnits?: number | null;
}

/** `forSubmit` keeps every field, to read a submission (the team select is left out of a shown form without teams). */
function termsFormFields(teams: Option[], p: ContractPrefill, forSubmit: boolean): FormField[] {
  const fields: FormField[] = [
    { id: "name", label: "Name", kind: "text", placeholder: "Support 2026", maxLength: 200, ...(p.name ? { initial: p.name } : {}) },
    { id: "salesperson", label: "Salesperson", kind: "search", searchSource: "users", isOptional: true, placeholder: "Empty: you", ...(p.salesperson ? { initial: p.salesperson.value, options: [p.salesperson] } : {}) },
    { id: "team", label: "Team", kind: "select", isOptional: true, options: teams.slice(0, 100), ...(p.teamId ? { initial: p.teamId } : {}) },
    { id: "start", label: "First day", kind: "text", placeholder: "YYYY-MM-DD", maxLength: 20, ...(p.startsAt ? { initial: dayText(p.startsAt) } : {}) },
    { id: "end", label: "Last day", kind: "text", isOptional: true, placeholder: "YYYY-MM-DD (empty: no end)", maxLength: 20, ...(p.endsAt ? { initial: dayText(p.endsAt) } : {}) },
    { id: "billing", label: "Billing", kind: "select", initial: p.billing ?? "fixed_price", options: CONTRACT_BILLINGS.map((b) => ({ value: b, label: BILLING_LABELS[b] })) },
    { id: "unitPrice", label: "Price", kind: "text", isOptional: true, hint: "Per hour for time and materials and prepaid hours; the whole price for fixed price.", maxLength: 30, ...(p.unitPrice != null ? { initial: String(p.unitPrice) } : {}) },
    { id: "prepaidHours", label: "Prepaid hours", kind: "text", isOptional: true, hint: "Prepaid-hours billing only.", maxLength: 30, ...(p.prepaidUnits != null ? { initial: String(p.prepaidUnits) } : {}) },
  ];
  // Slack refuses a select without options: no teams yet, no team field.
  return forSubmit ? fields : fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0);
}

/** `submitId` makes a double submit of this form create one contract. */
export function contractForm(teams: Option[], prefill: ContractPrefill, submitId: string, opts: { forSubmit?: boolean } = {}): Form<typeof contractFormSchema> {
  return {
    id: CONTRACT_FORM_ID,
    title: "New contract",
    submitLabel: "Create",
    context: { submitId },
    schema: contractFormSchema,
    fields: [
      { id: "partner", label: "Customer", kind: "search", searchSource: "partners", placeholder: "Type a company or person", ...(prefill.partner ? { initial: prefill.partner.value, options: [prefill.partner] } : {}) },
      ...termsFormFields(teams, prefill, opts.forSubmit === true),
    ],
  };
}

export function contractEditForm(c: { id: string; number: number; version: number }, teams: Option[], prefill: ContractPrefill, opts: { forSubmit?: boolean } = {}): Form<typeof contractEditSchema> {
  return {
    id: CONTRACT_EDIT_FORM_ID,
    title: `Edit ${contractReference(c.number)}`,
    submitLabel: "Save",
    context: { contractId: c.id, version: String(c.version) },
    schema: contractEditSchema,
    fields: termsFormFields(teams, prefill, opts.forSubmit === true),
  };
}

export const renewFormSchema = z.object({
  end: z.string({ message: "Give the renewal's last day as YYYY-MM-DD." }).transform((v, ctx) => {
    const day = parseDay(v);
    if (!day) {
      ctx.addIssue({ code: "custom", message: "Give the renewal's last day as YYYY-MM-DD, e.g. 2027-12-31." });
      return z.NEVER;
    }
    return day;
  }),
  unitPrice: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const n = readAmount(v);
      if (n === "bad") ctx.addIssue({ code: "custom", message: "Write the price as a number, e.g. 95 or 1200.50." });
      else if (n !== undefined && n < 0) ctx.addIssue({ code: "custom", message: "The price cannot be negative." });
      return n === "bad" ? undefined : n;
    }),
});

export function renewForm(c: { id: string; number: number; version: number; name: string; endsAt: Date | null; unitPrice: number | null }, suggestedEnd: Date | undefined): Form<typeof renewFormSchema> {
  return {
    id: CONTRACT_RENEW_FORM_ID,
    title: `Renew ${contractReference(c.number)}`,
    submitLabel: "Renew",
    context: { contractId: c.id, version: String(c.version) },
    schema: renewFormSchema,
    intro: c.endsAt ? `The renewal starts on the day after ${dayText(c.endsAt)}, with the same customer, salesperson, team, billing and prepaid hours; ${contractReference(c.number)} is closed.` : undefined,
    fields: [
      { id: "end", label: "Last day of the renewal", kind: "text", placeholder: "YYYY-MM-DD", maxLength: 20, ...(suggestedEnd ? { initial: dayText(suggestedEnd) } : {}) },
      { id: "unitPrice", label: "Price", kind: "text", isOptional: true, maxLength: 30, ...(c.unitPrice !== null ? { initial: String(c.unitPrice) } : {}) },
    ],
  };
}

export const linkContractSchema = z.object({ contract: requiredText("Choose a contract, or “No contract”.") });

export function linkContractForm(c: { id: string; number: number; version: number; contractId: string | null }, contracts: Option[]): Form<typeof linkContractSchema> {
  return {
    id: CASE_CONTRACT_FORM_ID,
    title: "Contract of the case",
    submitLabel: "Save",
    context: { caseId: c.id, version: String(c.version) },
    schema: linkContractSchema,
    intro: "Billable time logged on the case counts against the contract's hours.",
    fields: [{ id: "contract", label: "Contract", kind: "select", initial: c.contractId ?? NO_CONTRACT, options: [{ value: NO_CONTRACT, label: "No contract" }, ...contracts.slice(0, 99)] }],
  };
}
