// The conversion form behind a lead card's Convert button (Odoo's crm.lead2opportunity.partner, notes §1.2).
import { z } from "zod";
import { CUSTOMER_ACTION_LABELS, type ConversionAction, type CustomerAction } from "../../domain/conversion.js";
import { leadReference } from "../../domain/leads.js";
import { requiredText } from "./form-values.js";
import { truncate, type Form, type FormField } from "./view.js";

export const LEAD_CONVERT_FORM_ID = "lead.convert-form";

/** How many duplicate opportunities the form offers to merge into. */
export const MAX_MERGE_TARGETS = 5;

type Option = { value: string; label: string };

const UUID = /^[0-9a-f-]{36}$/i;

export const convertFormSchema = z.object({
  action: z
    .string({ message: "Choose whether to convert or merge." })
    .refine((v) => v === "convert" || (v.startsWith("merge:") && UUID.test(v.slice(6))), "Choose whether to convert or merge."),
  customer: z.enum(["create", "exist", "nothing"], { message: "Choose what to do about the customer." }),
  partner: z.string().max(300).optional(),
  salesperson: requiredText("Choose the salesperson."),
  team: z.string().optional(),
});

export type ConvertFormInput = z.infer<typeof convertFormSchema>;

/** "merge:<id>" → the opportunity to merge into; "convert" → undefined. */
export function mergeTargetOf(action: string): string | undefined {
  return action.startsWith("merge:") ? action.slice(6) : undefined;
}

export interface MergeTarget {
  id: string;
  number: number;
  title: string;
}

export interface ConvertFormData {
  lead: { id: string; number: number; version: number; title: string };
  action: ConversionAction;
  /** Open duplicate opportunities, strongest match first. */
  mergeTargets: MergeTarget[];
  customer: CustomerAction;
  partner?: Option;
  salesperson?: Option;
  teams: Option[];
  teamId?: string;
}

/**
 * Merging here folds the lead into ONE existing opportunity: the lead is absorbed and the opportunity survives, so no
 * other opportunity loses data and no manager needs to approve. Folding several opportunities together can lose
 * what one of them held, so that goes through Request merge and a manager's decision.
 */
export function leadConvertForm(data: ConvertFormData, opts: { forSubmit?: boolean } = {}): Form<typeof convertFormSchema> {
  const targets = data.mergeTargets.slice(0, MAX_MERGE_TARGETS);
  const fields: FormField[] = [
    {
      id: "action",
      label: "Conversion action",
      kind: "radio",
      initial: data.action === "merge" && targets[0] ? `merge:${targets[0].id}` : "convert",
      options: [{ value: "convert", label: "Convert into a new opportunity" }, ...targets.map((t) => ({ value: `merge:${t.id}`, label: truncate(`Merge into ${leadReference({ number: t.number, type: "opportunity" })} ${t.title}`, 75) }))],
    },
    {
      id: "customer",
      label: "Customer",
      kind: "radio",
      initial: data.customer,
      hint: "When merging, the opportunity keeps its own customer.",
      options: (["create", "exist", "nothing"] as const).map((a) => ({ value: a, label: CUSTOMER_ACTION_LABELS[a] })),
    },
    {
      id: "partner",
      label: "Existing customer",
      kind: "search",
      searchSource: "partners",
      isOptional: true,
      placeholder: "Type a company or person",
      hint: "Used with “Link to an existing customer”.",
      ...(data.partner ? { initial: data.partner.value, options: [data.partner] } : {}),
    },
    {
      id: "salesperson",
      label: "Salesperson",
      kind: "search",
      searchSource: "users",
      placeholder: "Type a name or email",
      ...(data.salesperson ? { initial: data.salesperson.value, options: [data.salesperson] } : {}),
    },
    { id: "team", label: "Sales team", kind: "select", isOptional: true, options: data.teams.slice(0, 100), initial: data.teamId, hint: "The salesperson must belong to it." },
  ];
  return {
    id: LEAD_CONVERT_FORM_ID,
    title: `Convert ${leadReference({ number: data.lead.number, type: "lead" })}`,
    submitLabel: "Convert",
    intro: targets.length ? `Open opportunities look like the same customer as “${truncate(data.lead.title, 100)}”; you can merge the lead into one of them.` : undefined,
    context: { leadId: data.lead.id, version: String(data.lead.version) },
    schema: convertFormSchema,
    // A select with no options cannot be shown (Slack refuses it): without sales teams, the field is left out.
    fields: opts.forSubmit ? fields : fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0),
  };
}
