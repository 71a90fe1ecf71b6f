// The rule form (one YAML textarea) and the dry-run form of /crm rules.
import { z } from "zod";
import { requiredText } from "./form-values.js";
import type { Form } from "./view.js";

export const RULE_FORM_ID = "rule.form";
export const RULE_DRY_RUN_FORM_ID = "rule.dry-run-form";

/** Slack's limit for a text input; longer rules go through the file import. */
export const RULE_TEXT_MAX = 3000;

export const ruleFormSchema = z.object({
  rule: requiredText("Write the rule.").max(RULE_TEXT_MAX, `A rule in chat has at most ${RULE_TEXT_MAX} characters; longer ones go through the file import (npm run admin -- rule import).`),
});

/** A new rule's starting point: every trigger kind, the operators and the action kinds, in comments. */
export const NEW_RULE_TEMPLATE = `# Lines starting with # are comments. Saved switched off unless enabled: true.
name: New rule
record: case   # case, claim, lead, opportunity, call, meeting, merge-request, contract, partner
enabled: false
trigger:
  kind: created
  # kind: saved              (optional: fields: [stage, priority])
  # kind: field-set          field: stage, value: Won
  # kind: email-received     or email-sent
  # kind: time               field: resolution-due, offset: { amount: -1, unit: hours }
  # kind: after-created      offset: { amount: 2, unit: days }   (units: minutes, hours, days, months)
  # kind: after-updated      offset: { amount: 7, unit: days }   (if nothing changed since)
conditions:    # optional; combine with all / any / not
  all:
    - { field: priority, op: in, value: [high, urgent] }
    - { field: partner.name, op: is-set }
  # operators: = != in not-in > >= < <= contains not-contains is-set is-not-set
actions:       # 1 to 10
  - { do: dm, to: responsible, text: "{{case.ref}} {{case.title}} needs you" }
  # - { do: post, to: team-channel, text: "…" }
  # - { do: dm, to: team-manager, text: "…" }      (responsible, team-manager, attendees, watchers)
  # - { do: email, to: customer, subject: "…", body: "…" }   (customer, responsible, watchers)
  # - { do: set, field: priority, value: high }
  # - { do: add-watchers, people: [ana@example.com] }
  # - { do: follow-up, kind: call, title: "Call back", in: { amount: 2, unit: days } }   (call, meeting, todo)
  # - { do: webhook, url: "https://example.com/hook" }
# timeZone: Europe/Berlin   (days and months are counted there; default UTC)
`;

const TIME_NOTE = "A time rule fires at each record's moment from now on: moments already past when the rule is saved do not fire retroactively.";

export function ruleForm(opts: { text: string; context: Record<string, string>; reference?: string; isTimeRule?: boolean; errors?: Record<string, string> }): Form<typeof ruleFormSchema> {
  const intro = opts.reference
    ? `Editing ${opts.reference}. Saving makes a new version; a pending moment is re-checked against it. ${opts.isTimeRule ? TIME_NOTE : ""}`
    : `A rule in YAML: the record type, the trigger, conditions and actions. ${TIME_NOTE}`;
  return {
    id: RULE_FORM_ID,
    title: opts.reference ? `Edit ${opts.reference}` : "New automation rule",
    submitLabel: "Save rule",
    schema: ruleFormSchema,
    context: opts.context,
    intro: intro.trim(),
    ...(opts.errors ? { errors: opts.errors } : {}),
    fields: [
      {
        id: "rule",
        label: "Rule (YAML)",
        kind: "textarea",
        initial: opts.text,
        maxLength: RULE_TEXT_MAX,
        hint: `Placeholders like {{case.ref}}, {{partner.name}}, {{responsible.name}} are checked when you save. At most ${RULE_TEXT_MAX} characters here; longer rules go through the file import (npm run admin -- rule import).`,
      },
    ],
  };
}

export const dryRunFormSchema = z.object({
  record: requiredText("Name a record, e.g. CASE-42.").max(40, "Name a record by its reference, e.g. CASE-42."),
});

export function dryRunForm(reference: string, context: Record<string, string>): Form<typeof dryRunFormSchema> {
  return {
    id: RULE_DRY_RUN_FORM_ID,
    title: `Dry run ${reference}`,
    submitLabel: "Try it",
    schema: dryRunFormSchema,
    context,
    intro: `What would ${reference} do to a record right now? Nothing is changed or sent.`,
    fields: [{ id: "record", label: "Record", kind: "text", placeholder: "CASE-42, LEAD-7, MTG-3… or a partner's name", maxLength: 40 }],
  };
}

/** Problems of the YAML as one field error: "line N: message", at most 10, then how many more. */
export function problemsText(problems: { line: number; message: string; path?: string }[], max = 10): string {
  const lines = problems.slice(0, max).map((p) => `line ${p.line}: ${p.path ? `${p.path}: ` : ""}${p.message}`);
  if (problems.length > max) lines.push(`…and ${problems.length - max} more`);
  return lines.join("\n");
}
