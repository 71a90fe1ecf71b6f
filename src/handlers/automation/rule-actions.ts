// What each kind of rule action does to a record (or, in a dry run, would do). Every effect is written in the
// caller's transaction: messages and mail as outbox rows (retried there, never blocking the change), field
// changes as updates. Nobody is told about a record they could not open themselves (policy via canSeeRecord).
import { ruleMessageView } from "../../bot/views/rule-views.js";
import type { MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { enqueueWebhook } from "../../db/webhook-outbox.js";
import type { Action } from "../../domain/automation/definition.js";
import type { RecordSnapshot } from "../../domain/automation/fields.js";
import { addOffset } from "../../domain/automation/moments.js";
import { renderTemplate } from "../../domain/automation/templates.js";
import { normalizeAddress } from "../../domain/mail-rules.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import { addFollowUpTodo, planFollowUpMeeting } from "./follow-ups.js";
import { loadMailRecord, queueRecordEmail } from "../mail/record-mail.js";
import { notifyUser } from "../notify-user.js";
import { postToTeamChannels } from "../team-channels.js";
import type { LoadedRule } from "./rule-cache.js";
import { ruleReference } from "./rule-store.js";
import { addWatchers, applySet, canSeeRecord, openButtonOf, planFollowUpCall, recipientsOf } from "./records.js";

export interface ActionContext {
  tx: Tx;
  deps: Deps;
  rule: LoadedRule;
  snapshot: RecordSnapshot;
  /** Unique per firing and action: outbox dedupe keys derive from it. */
  key: string;
  /** The email that triggered the rule was automatic: no email goes out in answer (loop guard). */
  automaticEmail: boolean;
  /** Describe, write nothing. */
  dry: boolean;
}

export interface ActionOutcome {
  /** One line for the timeline, the dry run and the firing record. */
  result: string;
  /** A "set" changed the record: other rules get to see the change. */
  changedRecord?: boolean;
}

export async function performAction(ctx: ActionContext, action: Action): Promise<ActionOutcome> {
  switch (action.do) {
    case "post":
      return postToTeam(ctx, render(ctx, action.text));
    case "dm":
      return directMessage(ctx, action.to, render(ctx, action.text));
    case "email":
      return sendEmail(ctx, action.to, render(ctx, action.subject), render(ctx, action.body));
    case "set":
      return setField(ctx, action.field, action.value);
    case "add-watchers": {
      if (ctx.dry) return { result: `would add watchers: ${action.people.join(", ")}` };
      const { added, skipped } = await addWatchers(ctx.tx, ctx.snapshot, action.people);
      return { result: [added.length ? `added watchers: ${added.join(", ")}` : "", ...skipped.map((s) => `not added ${s.who}: ${s.reason}`)].filter(Boolean).join("; ") || "no watchers to add" };
    }
    case "follow-up": {
      const title = render(ctx, action.title);
      if (action.kind === "meeting") return planFollowUpMeeting(ctx, action, title, ruleLabel(ctx.rule));
      if (action.kind === "todo") return addFollowUpTodo(ctx, action, title, ruleLabel(ctx.rule));
      const dueAt = addOffset(ctx.deps.now(), action.in, ctx.rule.definition.timeZone);
      if (ctx.dry) return { result: `would plan a call “${title}” for the responsible person, due ${dueAt.toISOString().slice(0, 16).replace("T", " ")} UTC` };
      const planned = await planFollowUpCall(ctx.tx, ctx.deps, ctx.snapshot, title, dueAt);
      return { result: planned.ok ? `planned ${planned.callRef} “${title}”` : `no follow-up: ${planned.reason}` };
    }
    case "webhook":
      return callWebhook(ctx, action.url);
  }
}

function render(ctx: ActionContext, text: string): string {
  return renderTemplate(text, ctx.rule.definition.record, ctx.snapshot, { ruleName: ctx.rule.definition.name, timeZone: ctx.rule.definition.timeZone });
}

function ruleLabel(rule: LoadedRule): string {
  return rule.number ? `${ruleReference(rule.number)} “${rule.definition.name}”` : `rule “${rule.definition.name}”`;
}

function ruleView(ctx: ActionContext, text: string): MessageView {
  return ruleMessageView(text, ctx.snapshot.ref, ruleLabel(ctx.rule), openButtonOf(ctx.snapshot));
}

async function postToTeam(ctx: ActionContext, text: string): Promise<ActionOutcome> {
  if (!ctx.snapshot.teamId) return { result: ctx.snapshot.type === "partner" ? "not posted: a partner has no team" : "not posted: the record has no team" };
  const team = await ctx.tx.team.findUnique({ where: { id: ctx.snapshot.teamId }, select: { id: true, name: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  if (!team) return { result: "not posted: the record's team no longer exists" };
  if (!team.slackChannelId && !team.teamsConversationId) return { result: `not posted: team ${team.name} has no channel` };
  if (ctx.dry) return { result: `would post in team ${team.name}'s channel: “${text.slice(0, 200)}”` };
  await postToTeamChannels(ctx.tx, team, ruleView(ctx, text), { dedupeKey: ctx.key });
  return { result: `posted in team ${team.name}'s channel` };
}

/** The people a "dm" or "email" target names, before the visibility check. */
async function peopleOf(ctx: ActionContext, to: "responsible" | "team-manager" | "attendees" | "watchers"): Promise<string[]> {
  const s = ctx.snapshot;
  if (to === "responsible") return s.responsibleId ? [s.responsibleId] : [];
  if (to === "attendees") return s.attendeeUserIds;
  if (to === "watchers") return s.watcherUserIds;
  if (!s.teamId) return [];
  const team = await ctx.tx.team.findUnique({ where: { id: s.teamId }, select: { managerId: true } });
  return team?.managerId ? [team.managerId] : [];
}

/** Splits people into those who may open the record and those who may not (told by name in the result). */
async function visibleTo(ctx: ActionContext, userIds: string[]): Promise<{ allowed: { id: string; name: string; email: string }[]; refused: string[] }> {
  const users = await ctx.tx.user.findMany({ where: { id: { in: [...new Set(userIds)] }, isActive: true }, select: { id: true, name: true, email: true } });
  const allowed: { id: string; name: string; email: string }[] = [];
  const refused: string[] = [];
  for (const user of users) (await canSeeRecord(ctx.tx, user.id, ctx.snapshot)) ? allowed.push(user) : refused.push(user.name);
  return { allowed, refused };
}

async function directMessage(ctx: ActionContext, to: "responsible" | "team-manager" | "attendees" | "watchers", text: string): Promise<ActionOutcome> {
  const { allowed, refused } = await visibleTo(ctx, await peopleOf(ctx, to));
  const notTold = refused.length ? `; not told (cannot open ${ctx.snapshot.ref}): ${refused.join(", ")}` : "";
  if (allowed.length === 0) return { result: `no DM: nobody as ${to}${notTold}` };
  const names = allowed.map((u) => u.name).join(", ");
  if (ctx.dry) return { result: `would DM ${names} (${to}): “${text.slice(0, 200)}”${notTold}` };
  const view = ruleView(ctx, text);
  const recipients = await recipientsOf(ctx.tx, allowed.map((u) => u.id));
  let queued = 0;
  for (const r of recipients) queued += await notifyUser(ctx.tx, r, view, { dedupeKey: `${ctx.key}:${r.id}` });
  return { result: queued > 0 ? `DM to ${names}${notTold}` : `no DM: ${names} not linked to Slack or Teams yet${notTold}` };
}

async function sendEmail(ctx: ActionContext, to: "customer" | "responsible" | "watchers", subject: string, body: string): Promise<ActionOutcome> {
  if (ctx.automaticEmail) return { result: "no email: the email that triggered the rule was automatic (loop guard)" };
  const addresses = await emailAddresses(ctx, to);
  const bounced = new Set(
    (await ctx.tx.emailAddressStatus.findMany({ where: { address: { in: addresses.map(normalizeAddress) }, bounceCount: { gt: 0 } }, select: { address: true } })).map((b) => b.address),
  );
  const sendable = addresses.filter((a) => !bounced.has(normalizeAddress(a)));
  const skipped = addresses.length > sendable.length ? `; not sent to bouncing ${addresses.filter((a) => bounced.has(normalizeAddress(a))).join(", ")}` : "";
  if (sendable.length === 0) return { result: `no email: no address for ${to}${skipped}` };
  if (ctx.dry) return { result: `would email ${sendable.join(", ")}: “${subject}”${skipped}` };
  const mailRecord = ctx.snapshot.type === "case" || ctx.snapshot.type === "claim" || ctx.snapshot.type === "lead" ? await loadMailRecord(ctx.tx, ctx.snapshot.type, ctx.snapshot.id) : null;
  for (const address of sendable) {
    const dedupeKey = `${ctx.key}:${normalizeAddress(address)}`;
    // Mail about a case, claim or lead threads like the gateway's: answers come back to the record.
    if (mailRecord) await queueRecordEmail(ctx.tx, ctx.deps, mailRecord, { to: address, subject, text: body, autoSubmitted: "auto-generated", dedupeKey });
    else await enqueueEmail(ctx.tx, { to: address, subject, text: body, dedupeKey, headers: { autoSubmitted: "auto-generated" } });
  }
  return { result: `emailed ${sendable.join(", ")}${skipped}` };
}

async function emailAddresses(ctx: ActionContext, to: "customer" | "responsible" | "watchers"): Promise<string[]> {
  if (to === "customer") return ctx.snapshot.customerEmail ? [ctx.snapshot.customerEmail] : [];
  const { allowed } = await visibleTo(ctx, await peopleOf(ctx, to));
  const outside = to === "watchers" ? ctx.snapshot.watcherEmails : [];
  return [...new Set([...allowed.map((u) => u.email), ...outside])];
}

async function setField(ctx: ActionContext, field: string, value: Extract<Action, { do: "set" }>["value"]): Promise<ActionOutcome> {
  const current = ctx.snapshot.fields[field];
  if (ctx.dry) return { result: `would set ${field} to ${Array.isArray(value) ? value.join(", ") : String(value)} (now ${Array.isArray(current) ? current.join(", ") || "—" : current ?? "—"})` };
  const outcome = await applySet(ctx.tx, ctx.snapshot, field, Array.isArray(value) ? value.map(String) : value, ctx.deps.now(), ctx.deps);
  if (!outcome.ok) return { result: `not set: ${outcome.reason}` };
  return { result: outcome.summary, changedRecord: !outcome.summary.startsWith("already") };
}

async function callWebhook(ctx: ActionContext, url: string): Promise<ActionOutcome> {
  if (ctx.dry) return { result: `would POST the record as JSON to ${url}` };
  const s = ctx.snapshot;
  const body = {
    rule: { id: ctx.rule.id, ref: ruleReference(ctx.rule.number), name: ctx.rule.definition.name },
    record: { type: s.type, id: s.id, ref: s.ref, fields: s.fields },
    firedAt: ctx.deps.now().toISOString(),
  };
  await enqueueWebhook(ctx.tx, { url, body, dedupeKey: ctx.key });
  return { result: `webhook queued for ${new URL(url).host}` };
}
