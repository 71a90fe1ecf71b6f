// The spec's example rules (OpenERP's shipped automated actions), ready to switch on; all start switched off.
import type { RuleDefinition } from "./definition.js";

export const EXAMPLE_RULES: RuleDefinition[] = [
  {
    name: "Lead converted: tell the salesperson",
    record: "lead",
    enabled: false,
    trigger: { kind: "field-set", field: "type", value: "opportunity" },
    actions: [
      { do: "dm", to: "responsible", text: "{{lead.ref}} {{lead.title}} is now an opportunity ({{partner.name}}). Expected revenue: {{lead.expected-revenue}}." },
      {
        do: "email",
        to: "responsible",
        subject: "{{lead.ref}} {{lead.title}} is now an opportunity",
        body: "{{lead.ref}} {{lead.title}} is now an opportunity, and it is yours.\n\nCustomer: {{partner.name}}\nTeam: {{team.name}}\nExpected revenue: {{lead.expected-revenue}}\nExpected close: {{lead.expected-close}}\n\n(Sent by the rule \"{{rule.name}}\".)",
      },
    ],
    timeZone: "UTC",
  },
  {
    name: "Merge requested: tell the team manager",
    record: "merge-request",
    enabled: false,
    trigger: { kind: "created" },
    actions: [
      { do: "dm", to: "team-manager", text: "{{responsible.name}} asks to merge opportunities: {{merge-request.ref}} {{merge-request.title}}. Reason: {{merge-request.reason}}" },
    ],
    timeZone: "UTC",
  },
  {
    name: "Meeting in 5 minutes: remind attendees",
    record: "meeting",
    enabled: false,
    trigger: { kind: "time", field: "next-start", offset: { amount: -5, unit: "minutes" } },
    conditions: { field: "status", op: "=", value: "confirmed" },
    actions: [{ do: "dm", to: "attendees", text: "{{meeting.title}} starts in 5 minutes ({{meeting.next-start}}), at {{meeting.location}}." }],
    timeZone: "UTC",
  },
  {
    name: "New case for a customer: acknowledge by email",
    record: "case",
    enabled: false,
    trigger: { kind: "created" },
    conditions: { field: "partner", op: "is-set" },
    actions: [
      {
        do: "email",
        to: "customer",
        subject: "We have your request: {{case.title}} [{{case.ref}}]",
        body: "Hello,\n\nThank you for contacting us. Your request \"{{case.title}}\" is registered as {{case.ref}}, and {{team.name}} is on it.\nReply to this email to add anything; your reply joins the case.\n\nKind regards,\n{{team.name}}",
      },
    ],
    timeZone: "UTC",
  },
  {
    name: "Contract ends in 30 days: tell its salesperson",
    record: "contract",
    enabled: false,
    trigger: { kind: "time", field: "end", offset: { amount: -30, unit: "days" } },
    conditions: { field: "state", op: "=", value: "open" },
    actions: [{ do: "dm", to: "responsible", text: "{{contract.ref}} {{contract.title}} ({{partner.name}}) ends on {{contract.end}}: time to talk renewal." }],
    timeZone: "UTC",
  },
  {
    name: "Partner joins GOLD: tell its salesperson",
    record: "partner",
    enabled: false,
    // Joining a category (by hand or by its criteria) changes the partner's categories: a field-set on a tag.
    trigger: { kind: "field-set", field: "categories", value: "GOLD" },
    actions: [{ do: "dm", to: "responsible", text: "{{partner.name}} is now a GOLD partner (categories: {{partner.categories}}). A good moment to get in touch." }],
    timeZone: "UTC",
  },
];
