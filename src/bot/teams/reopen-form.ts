// Rebuilding a dialog's form from what opened it: to open it (task/fetch) or to show it again with errors.
import { fromLocalInput } from "../../domain/time.js";
import type { Deps } from "../../handlers/deps.js";
import { formFromMessage, runAction, runCommand, searchOptions, type Who } from "../dispatch.js";
import type { Form, FormField, Reply } from "../views/view.js";
import type { Opener } from "./activity-parts.js";
import type { CardSubmission } from "./read-card-values.js";

/** Teams commands are typed as plain messages, without Slack's "/crm ". */
export const TEAMS_SURFACE = { commandPrefix: "" };

export async function replyForOpener(deps: Deps, who: Who, from: Opener): Promise<Reply> {
  switch (from.kind) {
    case "action":
      return runAction(deps, who, from.verb, from.value);
    case "command":
      return runCommand(deps, who, from.text, TEAMS_SURFACE);
    case "message":
      // The message text is already in the submitted fields; the link rebuilds title, intro and context.
      return formFromMessage(deps, who, from.shortcut, { text: "", link: from.link });
  }
}

/**
 * The same form, filled with what the person submitted and showing the errors.
 * Undefined when it cannot be rebuilt (no opener, or the opener now answers differently).
 */
export async function refillForm(deps: Deps, who: Who, submission: CardSubmission, errors: Record<string, string>): Promise<Form | undefined> {
  if (!submission.opener) return undefined;
  const reply = await replyForOpener(deps, who, submission.opener);
  if (reply.kind !== "form" || reply.form.id !== submission.formId) return undefined;
  const fields = await Promise.all(reply.form.fields.map((f) => refillField(deps, who, f, submission.values[f.id])));
  return { ...reply.form, fields, context: submission.context, errors };
}

async function refillField(deps: Deps, who: Who, field: FormField, value: string | undefined): Promise<FormField> {
  if (value === undefined) return { ...field, initial: undefined };
  switch (field.kind) {
    case "datetime": {
      const at = /Z$|[+-]\d{2}:\d{2}$/.test(value) ? new Date(value) : fromLocalInput(value, who.user.timeZone);
      return at && !Number.isNaN(at.getTime()) ? { ...field, initial: at.toISOString() } : { ...field, initial: undefined };
    }
    case "search":
      return { ...field, initial: value, options: [{ value, label: await searchLabel(deps, who, field, value) }] };
    default:
      return { ...field, initial: value };
  }
}

/** A type-ahead choice comes back as its value only; find its label again so the form does not show an id. */
async function searchLabel(deps: Deps, who: Who, field: FormField, value: string): Promise<string> {
  const known = field.options?.find((o) => o.value === value);
  if (known) return known.label;
  if (value.startsWith("new:")) return `Create “${value.slice(4)}”`;
  const found = field.searchSource ? (await searchOptions(deps, who, field.searchSource, "")).find((o) => o.value === value) : undefined;
  return found?.label ?? "Your earlier choice";
}
