// `/crm admin …` and `npm run admin -- …`: finds the subcommand, checks its flags with zod, runs its handler.
import { adminHelpView, commandHelpView } from "../../bot/views/admin.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import { closestMatch } from "../../domain/admin-rules.js";
import { policy } from "../../domain/policy.js";
import type { ActorUser } from "../resolve-actor.js";
import type { Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { addTeamCommand } from "./add-team.js";
import { claimCategoryAddCommand, claimCategoryListCommand, claimCategorySetCommand } from "./claim-categories.js";
import { addCaseTypeCommand, listCaseTypesCommand } from "./case-types.js";
import { addStageCommand, listStagesCommand, removeStageCommand } from "./case-stages.js";
import { addLeadStageCommand, listLeadStagesCommand, removeLeadStageCommand } from "./lead-stages.js";
import { lostReasonAddCommand, lostReasonListCommand, lostReasonRemoveCommand } from "./lost-reasons.js";
import { addUserCommand } from "./add-user.js";
import type { AdminCommand, AdminContext, AdminResult } from "./command.js";
import { listTeamsCommand } from "./list-teams.js";
import { listUsersCommand } from "./list-users.js";
import { outboxListCommand, outboxRetryCommand } from "./outbox.js";
import { readArgs, tokenize, unwrapChatMarkup } from "./parse.js";
import { listSlaCommand, setSlaCommand } from "./sla.js";
import { ruleImportCommand } from "./rule-import.js";
import { categoryAddCommand, categoryAssignCommand, categoryListCommand, categorySetCommand, categoryUnassignCommand } from "./categories.js";
import { ruleDeleteCommand, ruleExportCommand, ruleListCommand, ruleOffCommand, ruleOnCommand, ruleWebhookSecretCommand } from "./rules.js";
import { teamMembersCommand } from "./team-members.js";
import { channelAddCommand, channelListCommand, channelOffCommand, channelOnCommand } from "./channels.js";
import { campaignAddCommand, campaignCloseCommand, campaignListCommand, campaignReopenCommand } from "./campaigns.js";
import { updateTeamCommand } from "./update-team.js";
import { updateUserCommand } from "./update-user.js";

export { COMMAND_LINE_ACTOR } from "./audit.js";
export type { AdminContext, AdminResult } from "./command.js";

export const ADMIN_COMMANDS: AdminCommand[] = [
  addUserCommand,
  updateUserCommand,
  listUsersCommand,
  addTeamCommand,
  updateTeamCommand,
  listTeamsCommand,
  teamMembersCommand,
  outboxListCommand,
  outboxRetryCommand,
  addCaseTypeCommand,
  listCaseTypesCommand,
  claimCategoryListCommand,
  claimCategoryAddCommand,
  claimCategorySetCommand,
  setSlaCommand,
  listSlaCommand,
  listStagesCommand,
  addStageCommand,
  removeStageCommand,
  listLeadStagesCommand,
  addLeadStageCommand,
  removeLeadStageCommand,
  lostReasonListCommand,
  lostReasonAddCommand,
  lostReasonRemoveCommand,
  ruleListCommand,
  ruleExportCommand,
  ruleWebhookSecretCommand,
  ruleImportCommand,
  ruleOnCommand,
  ruleOffCommand,
  ruleDeleteCommand,
  categoryListCommand,
  categoryAddCommand,
  categorySetCommand,
  categoryAssignCommand,
  categoryUnassignCommand,
  channelListCommand,
  channelAddCommand,
  channelOnCommand,
  channelOffCommand,
  campaignListCommand,
  campaignAddCommand,
  campaignCloseCommand,
  campaignReopenCommand,
];

const NOUNS: Record<string, string> = { user: "user", users: "user", team: "team", teams: "team", outbox: "outbox", casetype: "casetype", casetypes: "casetype", claimcategory: "claimcategory", claimcategories: "claimcategory", sla: "sla", stage: "stage", stages: "stage", leadstage: "leadstage", leadstages: "leadstage", lostreason: "lostreason", lostreasons: "lostreason", rule: "rule", rules: "rule", category: "category", categories: "category", channel: "channel", channels: "channel", campaign: "campaign", campaigns: "campaign" };

export type AdminPlan =
  | { kind: "help"; view: MessageView }
  | { kind: "invalid"; message: string; help: string }
  | { kind: "run"; command: AdminCommand; input: unknown; isJson: boolean };

/** Chat: the whole `/crm admin …` text after "admin". Answers privately: admin work is nobody else's business. */
export async function runAdminCommand(deps: Deps, who: { actor: Actor; user: ActorUser }, args: string, opts: { prefix?: string } = {}): Promise<Reply> {
  const ctx: AdminContext = { surface: "chat", invocation: `${opts.prefix ?? "/crm "}admin` };
  const plan = planAdminCommand(tokenize(unwrapChatMarkup(args)), ctx);
  const allowed = policy.administer(who.actor);
  if (plan.kind !== "run" && !allowed.ok) return privateMessage(notice(allowed.reason));
  if (plan.kind === "help") return privateMessage(plan.view);
  if (plan.kind === "invalid") return privateMessage(notice(plan.message, `See \`${plan.help}\``));
  const result = await performAdminCommand(deps, who.actor, plan, ctx);
  return privateMessage(result.ok ? result.view : notice(result.message));
}

export function performAdminCommand(deps: Deps, actor: Actor, plan: Extract<AdminPlan, { kind: "run" }>, ctx: AdminContext): Promise<AdminResult> {
  return plan.command.run(deps, actor, plan.input, ctx);
}

/** Works without a database, so help and bad input are answered at once (the command line opens nothing). */
export function planAdminCommand(tokens: string[], ctx: AdminContext): AdminPlan {
  const args = readArgs(tokens);
  const wantsHelp = args.flags.has("help");
  const [nounWord, verbWord, ...rest] = args.words;
  if (!nounWord || nounWord.toLowerCase() === "help") return { kind: "help", view: overview(ctx) };
  const noun = NOUNS[nounWord.toLowerCase()];
  if (!noun) return { kind: "invalid", message: `unknown admin command "${nounWord}"${didYouMean(nounWord, ["user", "team", "outbox", "casetype", "claimcategory", "sla", "stage", "leadstage", "lostreason", "rule", "category", "channel", "campaign"])}`, help: `${ctx.invocation} --help` };
  const forNoun = ADMIN_COMMANDS.filter((c) => c.path.startsWith(`${noun} `));
  const verbs = forNoun.map((c) => c.path.split(" ")[1]!);
  const command = verbWord === undefined ? forNoun.find((c) => c.isNounDefault && !wantsHelp) : forNoun.find((c) => c.path === `${noun} ${verbWord.toLowerCase()}`);
  if (!command && verbWord === undefined) return { kind: "help", view: overview(ctx, noun) };
  if (!command) return { kind: "invalid", message: `unknown ${noun} command "${verbWord}"${didYouMean(verbWord!, verbs)}`, help: `${ctx.invocation} ${noun} --help` };
  if (wantsHelp) return { kind: "help", view: commandHelpView(commandHelp(command, ctx)) };
  const help = `${ctx.invocation} ${command.path} --help`;
  const raw = rawInput(command, args.flags, verbWord === undefined ? [] : rest, ctx);
  if (!raw.ok) return { kind: "invalid", message: raw.message, help };
  const parsed = command.schema.safeParse(raw.value);
  if (!parsed.success) return { kind: "invalid", message: [...new Set(parsed.error.issues.map((i) => i.message))].join("; "), help };
  return { kind: "run", command, input: parsed.data, isJson: args.flags.has("json") };
}

/** The flags as the command's zod schema reads them: one string per flag; lists comma-joined; the positional word under its flag. */
function rawInput(command: AdminCommand, flags: Map<string, (string | true)[]>, words: string[], ctx: AdminContext): { ok: true; value: Record<string, string> } | { ok: false; message: string } {
  const specs = flagsFor(command, ctx);
  const value: Record<string, string> = {};
  for (const [name, values] of flags) {
    if (name === "help") continue;
    const spec = specs.find((f) => f.name === name);
    if (!spec) return { ok: false, message: unknownFlag(name, command, ctx) };
    if (!spec.value) continue;
    if (values.includes(true)) return { ok: false, message: `--${name} needs a value: --${name} <${spec.value}>` };
    if (values.length > 1 && !spec.isList) return { ok: false, message: `--${name} is given ${values.length} times: give it once` };
    value[name] = values.join(",");
  }
  const [word, ...extra] = words;
  if (word !== undefined && !command.positional) return { ok: false, message: `unexpected "${word}": ${command.path} takes only --flags` };
  if (word !== undefined && command.positional) {
    const { flag, name } = command.positional;
    if (value[flag] !== undefined && value[flag] !== word) return { ok: false, message: `the ${name} is given twice ("${word}" and --${flag} ${value[flag]}): give it once` };
    value[flag] = word;
  }
  if (extra.length) return { ok: false, message: `unexpected "${extra.join(" ")}": put a value with spaces in quotes, e.g. --name "Ana Ruiz"` };
  return { ok: true, value };
}

function unknownFlag(name: string, command: AdminCommand, ctx: AdminContext): string {
  if (ctx.surface === "chat" && command.flags.some((f) => f.name === name && f.isCliOnly)) return `--${name} works on the command line only (npm run admin -- ${command.path} --${name})`;
  const names = flagsFor(command, ctx).map((f) => f.name);
  const suggestion = closestMatch(name, names);
  if (suggestion) return `unknown flag --${name} for ${command.path} — did you mean --${suggestion}?`;
  return `unknown flag --${name} for ${command.path}${names.length ? ` (it takes ${names.map((n) => `--${n}`).join(", ")})` : ""}`;
}

function flagsFor(command: AdminCommand, ctx: AdminContext) {
  return command.flags.filter((f) => ctx.surface === "cli" || !f.isCliOnly);
}

function didYouMean(word: string, candidates: string[]): string {
  const suggestion = closestMatch(word, candidates);
  return suggestion ? ` — did you mean ${suggestion}?` : ` (try ${candidates.join(", ")})`;
}

function usage(command: AdminCommand, ctx: AdminContext): string {
  const positional = command.positional ? ` <${command.positional.name}>` : "";
  return `${ctx.invocation} ${command.path}${positional}${flagsFor(command, ctx).length ? " [--flags]" : ""}`;
}

function commandHelp(command: AdminCommand, ctx: AdminContext) {
  const positional = command.positional ? [{ label: `<${command.positional.name}>`, help: command.positional.help }] : [];
  return {
    usage: usage(command, ctx),
    summary: command.summary,
    options: [
      ...positional,
      ...flagsFor(command, ctx).map((f) => ({ label: `--${f.name}${f.value ? ` <${f.value}>` : ""}`, help: `${f.help}${f.isRequired ? " (required)" : ""}${f.isList ? "; may be repeated" : ""}` })),
    ],
    examples: command.examples.map((e) => `${ctx.invocation} ${e}`),
  };
}

function overview(ctx: AdminContext, noun?: string): MessageView {
  const commands = ADMIN_COMMANDS.filter((c) => !noun || c.path.startsWith(`${noun} `));
  const title = noun ? `Switchboard administration: ${noun} commands` : "Switchboard administration: users, roles, teams, stages and pipelines, channels and campaigns, undelivered notifications";
  const example = noun ? commands[0]!.path : "user add";
  return adminHelpView(title, commands.map((c) => ({ usage: usage(c, ctx), summary: c.summary })), `Add --help to any of them for its flags and examples, e.g. ${ctx.invocation} ${example} --help`);
}
