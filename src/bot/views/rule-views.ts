// What /crm rules shows: every automation rule (trigger, conditions, actions, on/off, firings) with its buttons, and the answers to them.
import type { Action as RuleAction, RuleDefinition, Trigger } from "../../domain/automation/definition.js";
import { describeCondition } from "../../domain/automation/conditions.js";
import { describeOffset } from "../../domain/automation/moments.js";
import { formatDateTime } from "../../domain/time.js";
import { notice, truncate, type Action, type Block, type MessageView } from "./view.js";

/** Slack allows 50 blocks per message: 3 per rule, 10 per page, leaves room for the header and the buttons below. */
export const RULES_PER_PAGE = 10;

/**
 * Rule text shown as it is written (operators like `>` and `<=` included), except what Slack would read as a
 * link, mention or @channel inside angle brackets (escapeMarkup would turn every `>` into `›`).
 */
export function escapeRuleText(text: string): string {
  return text.replace(/<(?=https?:\/\/|mailto:|[@#!])/gi, "‹");
}

/** A rule as the list shows it. */
export interface RuleSummary {
  id: string;
  reference: string;
  version: number;
  definition: RuleDefinition;
  lastFiredAt: Date | null;
  fireCount: number;
  lastWarning: string | null;
}

export const RULE_BUTTONS = {
  list: "rule.list",
  create: "rule.new",
  edit: "rule.edit",
  toggle: "rule.toggle",
  dryRun: "rule.dry-run",
  delete: "rule.delete",
  confirmDelete: "rule.delete-confirm",
  addExample: "rule.add-example",
} as const;

const RECORD_WORDS: Record<RuleDefinition["record"], string> = {
  case: "case",
  claim: "claim",
  lead: "lead",
  opportunity: "opportunity",
  call: "phone call",
  meeting: "meeting",
  "merge-request": "merge request",
  contract: "contract",
  partner: "partner",
};

/** "when stage becomes Won", "5 minutes before start", "on creation". */
export function describeTrigger(trigger: Trigger): string {
  switch (trigger.kind) {
    case "created":
      return "on creation";
    case "saved":
      return trigger.fields?.length ? `when ${trigger.fields.join(" or ")} changes` : "on any change";
    case "field-set":
      return `when ${trigger.field} becomes ${String(trigger.value)}`;
    case "email-received":
      return "when an email is received";
    case "email-sent":
      return "when an email is sent";
    case "time":
      return trigger.offset.amount === 0 ? `at ${trigger.field}` : `${describeOffset(trigger.offset)} ${trigger.field}`;
    case "after-created":
      return `${describeOffset(trigger.offset)} creation`;
    case "after-updated":
      return `${describeOffset(trigger.offset)} the last change, if nothing changed since`;
  }
}

const DM_WORDS: Record<string, string> = { responsible: "the responsible person", "team-manager": "the team manager", attendees: "the attendees", watchers: "the watchers" };
const EMAIL_WORDS: Record<string, string> = { customer: "the customer", responsible: "the responsible person", watchers: "the watchers" };

/** One short line per action: "DM the team manager: “{{merge-request.ref}} needs…”". */
export function describeAction(action: RuleAction): string {
  const quote = (text: string) => `“${truncate(text.replace(/\s+/g, " "), 60)}”`;
  switch (action.do) {
    case "post":
      return `post to the team channel: ${quote(action.text)}`;
    case "dm":
      return `DM ${DM_WORDS[action.to] ?? action.to}: ${quote(action.text)}`;
    case "email":
      return `email ${EMAIL_WORDS[action.to] ?? action.to}: ${quote(action.subject)}`;
    case "set":
      return `set ${action.field} to ${Array.isArray(action.value) ? action.value.join(", ") : String(action.value)}`;
    case "add-watchers":
      return `add watchers ${action.people.join(", ")}`;
    case "follow-up":
      return `${action.kind === "todo" ? "add a to-do" : `plan a ${action.kind}`} ${quote(action.title)} ${describeOffset(action.in).replace(/ after$/, " later")}`;
    case "webhook":
      return `call the webhook ${truncate(action.url, 80)}`;
  }
}

/** The lines that describe a rule, shared by chat and the command line. */
export function ruleLines(rule: RuleSummary, timeZone: string, now: Date): string[] {
  const d = rule.definition;
  const fired = rule.lastFiredAt ? `last fired ${formatDateTime(rule.lastFiredAt, timeZone, now)}, ${rule.fireCount} time${rule.fireCount === 1 ? "" : "s"} in all` : "never fired";
  return [
    `*${rule.reference}* ${escapeRuleText(truncate(d.name, 120))} · ${RECORD_WORDS[d.record]} · ${d.enabled ? "🟢 on" : "⚪ off"}`,
    `When: ${escapeRuleText(describeTrigger(d.trigger))}${d.timeZone !== "UTC" ? ` (${d.timeZone})` : ""}`,
    ...(d.before ? [`Before the change: ${escapeRuleText(truncate(describeCondition(d.before), 400))}`] : []),
    `If: ${d.conditions ? escapeRuleText(truncate(describeCondition(d.conditions), 400)) : "always"}`,
    ...d.actions.map((a) => `→ ${escapeRuleText(describeAction(a))}`),
    fired,
  ];
}

export function ruleButtons(rule: RuleSummary): Action[] {
  const value = `${rule.id}:${rule.version}`;
  return [
    { id: RULE_BUTTONS.edit, label: "Edit", value, opensForm: true },
    { id: RULE_BUTTONS.toggle, label: rule.definition.enabled ? "Switch off" : "Switch on", value },
    { id: RULE_BUTTONS.dryRun, label: "Dry run", value, opensForm: true },
    { id: RULE_BUTTONS.delete, label: "Delete", value, style: "danger" },
  ];
}

export interface RuleListPage {
  rules: RuleSummary[];
  /** 0-based; the rules given are this page's. */
  page: number;
  total: number;
  /** Names of the shipped examples not in use yet. */
  examples: string[];
  timeZone: string;
  now: Date;
}

export function ruleListView(list: RuleListPage): MessageView {
  const first = list.page * RULES_PER_PAGE;
  const shown = list.total === 0 ? "none yet" : `${first + 1}–${first + list.rules.length} of ${list.total}`;
  const blocks: Block[] = [{ type: "header", text: `Automation rules (${shown})` }];
  for (const rule of list.rules) {
    const lines = ruleLines(rule, list.timeZone, list.now);
    blocks.push({ type: "text", text: truncate(lines.join("\n"), 2900) });
    if (rule.lastWarning) blocks.push({ type: "context", text: `⚠️ ${escapeRuleText(truncate(rule.lastWarning, 500))}` });
    blocks.push({ type: "actions", actions: ruleButtons(rule) });
  }
  if (list.total === 0) blocks.push({ type: "text", text: "No rules yet. Write one, or add one of the shipped examples (it starts switched off)." });
  const more = first + list.rules.length < list.total;
  const actions: Action[] = [
    { id: RULE_BUTTONS.create, label: "New rule", opensForm: true, style: "primary" },
    ...(more ? [{ id: RULE_BUTTONS.list, label: "More", value: String(list.page + 1) }] : []),
    ...list.examples.map((name) => ({ id: RULE_BUTTONS.addExample, label: truncate(`Add example: ${name}`, 75), value: name })),
  ];
  blocks.push({ type: "divider" }, { type: "actions", actions });
  return { text: `Automation rules: ${shown}`, blocks };
}

/** The command line's list: the same lines, and the commands to type instead of buttons. */
export function ruleListTextView(rules: RuleSummary[], timeZone: string, now: Date): MessageView {
  const blocks: Block[] = [{ type: "header", text: `Automation rules (${rules.length})` }];
  for (const rule of rules) {
    blocks.push({ type: "text", text: ruleLines(rule, timeZone, now).join("\n") });
    if (rule.lastWarning) blocks.push({ type: "context", text: `warning: ${rule.lastWarning}` });
  }
  if (rules.length === 0) blocks.push({ type: "text", text: "No rules yet: write them in a file and import it (rule import rules.yaml), or use /crm rules in chat." });
  else blocks.push({ type: "context", text: "Change one with rule on|off|delete <RULE-0007 or name>; keep them in a file with rule export --file rules.yaml and rule import rules.yaml." });
  return { text: `Automation rules: ${rules.length}`, blocks };
}

export function confirmDeleteView(rule: RuleSummary): MessageView {
  const text = `Delete ${rule.reference} “${escapeRuleText(rule.definition.name)}”? Its pending moments will not fire, and its firing count goes with it.`;
  return {
    text,
    blocks: [
      { type: "text", text },
      { type: "actions", actions: [{ id: RULE_BUTTONS.confirmDelete, label: `Yes, delete ${rule.reference}`, value: `${rule.id}:${rule.version}`, style: "danger" }] },
    ],
  };
}

export const STALE_RULE = "This rule changed since the list was shown — run /crm rules again.";
export const MISSING_RULE = "That rule no longer exists — run /crm rules again.";

export function ruleChangedView(reference: string, name: string, change: string, detail?: string): MessageView {
  return notice(`${reference} “${escapeRuleText(name)}” ${change}.`, detail);
}

export interface DryRunOutcome {
  record: string;
  wouldFire: boolean;
  why: string[];
  actions: { action: string; result: string }[];
}

/** "What would this rule do to CASE-42 right now?" — nothing was changed to answer it. */
export function dryRunView(reference: string, name: string, outcome: DryRunOutcome): MessageView {
  const verdict = outcome.wouldFire ? `✅ ${reference} would fire on ${outcome.record} now.` : `⏸️ ${reference} would not fire on ${outcome.record} now.`;
  const blocks: Block[] = [
    { type: "header", text: truncate(`Dry run: ${reference} ${name} on ${outcome.record}`, 150) },
    { type: "text", text: verdict },
  ];
  if (outcome.why.length) blocks.push({ type: "text", text: truncate(`*Why*\n${outcome.why.map(escapeRuleText).join("\n")}`, 2900) });
  if (outcome.actions.length) blocks.push({ type: "text", text: truncate(`*${outcome.wouldFire ? "What it would do" : "What it would do if it fired"}*\n${outcome.actions.map((a) => `→ ${escapeRuleText(a.action)}: ${escapeRuleText(a.result)}`).join("\n")}`, 2900) });
  blocks.push({ type: "context", text: "A dry run changes nothing and sends nothing." });
  return { text: verdict, blocks };
}

/** What a rule's "post" or "dm" sends: the rendered text, which record and rule it comes from, and a button to open the record. */
export function ruleMessageView(text: string, recordRef: string, ruleLabel: string, open: { actionId: string; value: string } | null): MessageView {
  return {
    text,
    blocks: [
      { type: "text", text },
      { type: "context", text: `${recordRef} · automated by ${ruleLabel}` },
      ...(open ? [{ type: "actions" as const, actions: [{ id: open.actionId, label: `Open ${recordRef}`, value: open.value }] }] : []),
    ],
  };
}
