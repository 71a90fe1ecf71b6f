// `admin rule list|export|on|off|delete`: automation rules from the command line (and /crm admin), the same store as /crm rules.
import { writeFile } from "node:fs/promises";
import { z } from "zod";
import { ruleListTextView } from "../../bot/views/rule-views.js";
import { notice } from "../../bot/views/view.js";
import { serializeRules } from "../../domain/automation/rule-file.js";
import { policy, type Actor } from "../../domain/policy.js";
import { scheduleRuleBackfill } from "../automation/engine.js";
import { toSummary } from "../automation/manage-rules.js";
import { deleteRuleAt, findRule, listRules, recordRuleChange, ruleReference, switchRule } from "../automation/rule-store.js";
import type { Deps } from "../deps.js";
import { WEBHOOK_SECRET_NAME } from "../../jobs/webhook-transport.js";
import { appSecret } from "../mail/app-secret.js";
import { defineCommand, refuse, type AdminContext, type AdminResult } from "./command.js";

export function ruleAdminRefusal(actor: Actor): AdminResult | undefined {
  const allowed = policy.manageRules(actor);
  return allowed.ok ? undefined : refuse(allowed.reason);
}

/** Files are read and written where the command line runs; in chat there is no file to give. */
export function cliOnly(ctx: AdminContext, command: string): AdminResult | undefined {
  return ctx.surface === "chat" ? refuse(`rule ${command} works on the command line only (npm run admin -- rule ${command} …); in chat, use /crm rules`) : undefined;
}

export const ruleListCommand = defineCommand({
  path: "rule list",
  isNounDefault: true,
  summary: "List the automation rules: trigger, conditions, actions, on or off, when each last fired",
  flags: [{ name: "json", help: "Print the rules as JSON", isCliOnly: true }],
  examples: ["rule list"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor): Promise<AdminResult> => {
    const refused = ruleAdminRefusal(actor);
    if (refused) return refused;
    const rules = await listRules(deps.db);
    const data = rules.map((r) => ({ reference: ruleReference(r.number), id: r.id, version: r.version, lastFiredAt: r.lastFiredAt, fireCount: r.fireCount, lastWarning: r.lastWarning, definition: r.definition }));
    return { ok: true, view: ruleListTextView(rules.map(toSummary), "UTC", deps.now()), data };
  },
});

export const ruleExportCommand = defineCommand({
  path: "rule export",
  summary: "Write every automation rule (with its on/off state) as YAML, to keep in version control; import it back with rule import",
  flags: [{ name: "file", value: "path", help: "Write to this file instead of printing", isCliOnly: true }],
  examples: ["rule export", "rule export --file rules.yaml"],
  schema: z.object({ file: z.string().trim().min(1).optional() }),
  run: async (deps: Deps, actor: Actor, input: { file?: string }, ctx: AdminContext): Promise<AdminResult> => {
    const refused = ruleAdminRefusal(actor) ?? cliOnly(ctx, "export");
    if (refused) return refused;
    const rules = await listRules(deps.db);
    const yaml = serializeRules(rules.map((r) => r.definition));
    if (!input.file) return { ok: true, view: notice(`${rules.length} rules`), data: yaml };
    await writeFile(input.file, yaml, "utf8");
    return { ok: true, view: notice(`Exported ${rules.length} rule${rules.length === 1 ? "" : "s"} to ${input.file}.`) };
  },
});

const ruleArg = { name: "rule", flag: "rule", help: "RULE-0007, or the rule's name (in quotes when it has spaces)", isRequired: true };
const ruleSchema = z.object({ rule: z.string({ error: "say which rule: RULE-0007 or its name (rule list shows them)" }).trim().min(1) });

function switchCommand(enabled: boolean) {
  const verb = enabled ? "on" : "off";
  return defineCommand({
    path: `rule ${verb}`,
    summary: enabled ? "Switch an automation rule on (time rules: moments already past do not fire retroactively)" : "Switch an automation rule off",
    positional: ruleArg,
    flags: [],
    examples: [`rule ${verb} RULE-0007`, `rule ${verb} "Lead converted: tell the salesperson"`],
    schema: ruleSchema,
    run: async (deps: Deps, actor: Actor, input: { rule: string }, ctx: AdminContext): Promise<AdminResult> => {
      const refused = ruleAdminRefusal(actor);
      if (refused) return refused;
      const rule = await findRule(deps.db, input.rule);
      if (!rule) return refuse(`no rule ${input.rule} (rule list shows them)`);
      const reference = ruleReference(rule.number);
      if (rule.enabled === enabled) return { ok: true, view: notice(`${reference} “${rule.name}” is already ${verb}.`) };
      const switched = await deps.db.$transaction(async (tx) => {
        const changed = await switchRule(tx, actor, rule, enabled);
        if (changed) await recordRuleChange(tx, deps.logger, actor, changed, enabled ? "switched on" : "switched off");
        return changed;
      });
      if (!switched) return refuse(`${reference} changed while this ran: look at rule list and try again`);
      // The command line sends no jobs: the running app schedules any rule whose version is ahead of its schedule.
      if (enabled && ctx.surface === "chat") await scheduleRuleBackfill(deps, switched.id);
      return { ok: true, view: notice(`${reference} “${switched.name}” is ${verb}.`), data: { reference, enabled, version: switched.version } };
    },
  });
}

export const ruleOnCommand = switchCommand(true);
export const ruleOffCommand = switchCommand(false);

export const ruleDeleteCommand = defineCommand({
  path: "rule delete",
  summary: "Delete an automation rule (its pending moments do not fire; the timeline keeps who deleted it)",
  positional: ruleArg,
  flags: [],
  examples: ["rule delete RULE-0007"],
  schema: ruleSchema,
  run: async (deps: Deps, actor: Actor, input: { rule: string }): Promise<AdminResult> => {
    const refused = ruleAdminRefusal(actor);
    if (refused) return refused;
    const rule = await findRule(deps.db, input.rule);
    if (!rule) return refuse(`no rule ${input.rule} (rule list shows them)`);
    const reference = ruleReference(rule.number);
    const deleted = await deps.db.$transaction(async (tx) => {
      if (!(await deleteRuleAt(tx, rule.id, rule.version))) return false;
      await recordRuleChange(tx, deps.logger, actor, rule, "deleted");
      return true;
    });
    if (!deleted) return refuse(`${reference} changed while this ran: look at rule list and try again`);
    return { ok: true, view: notice(`${reference} “${rule.name}” is deleted.`) };
  },
});

export const ruleWebhookSecretCommand = defineCommand({
  path: "rule webhook-secret",
  summary: "Print the key that signs rules' webhooks (X-Switchboard-Signature), to give to the receiver; made once, shared by every replica",
  flags: [],
  examples: ["rule webhook-secret"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor, _input: object, ctx: AdminContext): Promise<AdminResult> => {
    // A secret is not shown in chat, where it would stay in the channel's history.
    const refused = ruleAdminRefusal(actor) ?? cliOnly(ctx, "webhook-secret");
    if (refused) return refused;
    const secret = await appSecret(deps.db, WEBHOOK_SECRET_NAME);
    return { ok: true, view: notice("The webhook signing key"), data: secret };
  },
});
