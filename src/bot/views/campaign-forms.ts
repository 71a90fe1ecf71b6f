// The campaign form (new and edit): name, the channel it runs on, and its first and last day.
import { z } from "zod";
import { requiredText } from "./form-values.js";
import { truncate, type Form, type FormField } from "./view.js";

export const CAMPAIGN_FORM_ID = "campaign.form";
export const CAMPAIGN_NAME_MAX = 100;

type Option = { value: string; label: string };

/** Field checks only; whether the days are real and in order, and whether the name is free, the handler checks. */
export const campaignFormSchema = z.object({
  name: requiredText("Give the campaign a name.").max(CAMPAIGN_NAME_MAX, `A campaign name has at most ${CAMPAIGN_NAME_MAX} characters.`),
  channel: z.string().max(100).optional(),
  startsOn: z.string().max(20, "Write the first day as YYYY-MM-DD.").optional(),
  endsOn: z.string().max(20, "Write the last day as YYYY-MM-DD.").optional(),
});

export interface CampaignPrefill {
  name?: string;
  channelId?: string | null;
  startsOn?: Date | null;
  endsOn?: Date | null;
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * `context.campaignId` makes it the Edit form of that campaign. `forSubmit` keeps every field, to read a submission
 * (a shown form leaves out the channel select when no channel is switched on: Slack refuses a select without options).
 */
export function campaignForm(channels: Option[], prefill: CampaignPrefill, context: Record<string, string>, opts: { forSubmit?: boolean } = {}): Form<typeof campaignFormSchema> {
  const isEdit = Boolean(context.campaignId);
  const fields: FormField[] = [
    { id: "name", label: "Name", kind: "text", placeholder: "Spring promo 2027", maxLength: CAMPAIGN_NAME_MAX, ...(prefill.name ? { initial: prefill.name } : {}) },
    { id: "channel", label: "Channel", kind: "select", isOptional: true, hint: "Leads and cases captured for the campaign get this channel unless another is chosen.", options: channels.slice(0, 100), ...(prefill.channelId ? { initial: prefill.channelId } : {}) },
    { id: "startsOn", label: "First day", kind: "text", isOptional: true, placeholder: "YYYY-MM-DD (empty: from now)", maxLength: 20, ...(prefill.startsOn ? { initial: day(prefill.startsOn) } : {}) },
    { id: "endsOn", label: "Last day", kind: "text", isOptional: true, placeholder: "YYYY-MM-DD (empty: until closed)", maxLength: 20, ...(prefill.endsOn ? { initial: day(prefill.endsOn) } : {}) },
  ];
  return {
    id: CAMPAIGN_FORM_ID,
    title: isEdit ? truncate(`Edit ${prefill.name ?? "campaign"}`, 24) : "New campaign",
    submitLabel: isEdit ? "Save" : "Create",
    schema: campaignFormSchema,
    context,
    intro: "Lead and case forms offer the campaign from its first day to its last (calendar days, UTC), until it is closed.",
    fields: opts.forSubmit ? fields : fields.filter((f) => f.kind !== "select" || (f.options?.length ?? 0) > 0),
  };
}
