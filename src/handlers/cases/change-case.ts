// One change to a case from a button or a small form: policy, stale-card check, a versioned update,
// the timeline entry, SLA re-scheduling, the channel card update and the assignee's DM, in one transaction.
import { caseCard } from "../../bot/views/case-card.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { caseReference } from "../../domain/cases.js";
import { policy, type Actor, type CaseFacts, type Decision } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { watchRecord } from "../automation/events.js";
import { notifyAssignee, publishCaseCard } from "./case-notify.js";
import { caseCardData, caseFacts, loadCase, parseCaseButton, type LoadedCase } from "./load-case.js";
import { scheduleCaseSla } from "./sla.js";
import { notifyCaseWatchers } from "./watchers.js";

export type { Who };

export interface CasePlan {
  data: Prisma.CaseUncheckedUpdateManyInput;
  /** Timeline entry kind and summary. */
  kind: string;
  summary: string;
  /** Team, priority, stage or closing changed: the SLA deadlines are scheduled again. */
  touchesSla?: boolean;
  /** Teams whose channel should see the card too (the team a case left). */
  extraTeamIds?: string[];
  /** DM the (new) assignee with this reason. */
  notifyAssignee?: string;
  /** A line shown above the card in the answer to the person who acted. */
  done: string;
}

export interface CaseChange {
  check(actor: Actor, facts: CaseFacts, c: LoadedCase): Decision;
  /** Already in the wanted state (a double click): answered with this, nothing changes. */
  alreadyDone?(c: LoadedCase): string | undefined;
  /** Notes do not conflict with other changes, so they skip the stale-card check. */
  ignoreVersion?: boolean;
  plan(tx: Tx, c: LoadedCase): Promise<CasePlan | { errors: Record<string, string> }>;
}

class StaleCard extends Error {}

/** `value` is the button's (or the form context's) "<id>:<version>". */
export async function changeCase(deps: Deps, who: Who, value: string, change: CaseChange): Promise<Reply> {
  const ref = parseCaseButton(value);
  if (!ref) return privateMessage(notice("That button is no longer supported. Open the case again with /crm case CASE-…"));
  const c = await loadCase(deps.db, ref.id);
  if (!c) return privateMessage(notice("That case no longer exists."));
  const visible = policy.viewCase(who.actor, caseFacts(c));
  if (!visible.ok) return privateMessage(notice(visible.reason));
  const allowed = change.check(who.actor, caseFacts(c), c);
  if (!allowed.ok) return withCard(deps, who, c, allowed.reason);
  const already = change.alreadyDone?.(c);
  if (already) return withCard(deps, who, c, already);
  if (!change.ignoreVersion && c.version !== ref.version) return withCard(deps, who, c, staleText(c.number));
  try {
    const outcome = await deps.db.$transaction(async (tx) => {
      const plan = await change.plan(tx, c);
      if ("errors" in plan) return plan;
      const firstResponse = c.firstResponseAt === null && c.createdById !== who.actor.id ? { firstResponseAt: deps.now() } : {};
      // A note changes no field, so rules about saving the case do not see it.
      const watch = plan.kind === "note" ? null : await watchRecord(tx, deps, "case", c.id, who.actor.id);
      const updated = await tx.case.updateMany({
        where: { id: c.id, ...(change.ignoreVersion ? {} : { version: ref.version }) },
        data: { ...firstResponse, ...plan.data, version: { increment: 1 } },
      });
      if (updated.count === 0) throw new StaleCard();
      await tx.timelineEntry.create({ data: { recordType: "case", recordId: c.id, kind: plan.kind, actorId: who.actor.id, summary: plan.summary.slice(0, 500) } });
      if (plan.touchesSla) await scheduleCaseSla(tx, deps, c.id);
      await watch?.done();
      await publishCaseCard(tx, deps, c.id, { extraTeamIds: plan.extraTeamIds });
      if (plan.notifyAssignee) await notifyAssignee(tx, deps, c.id, plan.notifyAssignee);
      await notifyCaseWatchers(tx, deps, c.id, { kind: plan.kind, actorId: who.actor.id, summary: plan.summary, assigneeTold: Boolean(plan.notifyAssignee) });
      const now = await loadCase(tx, c.id);
      return { view: cardWithLine(caseCard(await caseCardData(tx, now!), who.user.timeZone, deps.now()), plan.done) };
    });
    if ("errors" in outcome) return { kind: "errors", errors: outcome.errors };
    return { kind: "done", view: outcome.view };
  } catch (error) {
    if (!(error instanceof StaleCard)) throw error;
    const now = await loadCase(deps.db, c.id);
    return now ? withCard(deps, who, now, staleText(c.number)) : privateMessage(notice("That case no longer exists."));
  }
}

/** Opening a form from a card button: the same checks as the change itself, without changing anything. */
export async function caseForButton(
  deps: Deps,
  who: Who,
  value: string,
  check: (actor: Actor, facts: CaseFacts) => Decision,
  opts: { ignoreVersion?: boolean } = {},
): Promise<{ ok: true; case: LoadedCase; version: number } | { ok: false; reply: Reply }> {
  const ref = parseCaseButton(value);
  if (!ref) return { ok: false, reply: privateMessage(notice("That button is no longer supported. Open the case again with /crm case CASE-…")) };
  const c = await loadCase(deps.db, ref.id);
  if (!c) return { ok: false, reply: privateMessage(notice("That case no longer exists.")) };
  const visible = policy.viewCase(who.actor, caseFacts(c));
  if (!visible.ok) return { ok: false, reply: privateMessage(notice(visible.reason)) };
  const allowed = check(who.actor, caseFacts(c));
  if (!allowed.ok) return { ok: false, reply: await withCard(deps, who, c, allowed.reason) };
  if (!opts.ignoreVersion && c.version !== ref.version) return { ok: false, reply: await withCard(deps, who, c, staleText(c.number)) };
  return { ok: true, case: c, version: ref.version };
}

function staleText(number: number): string {
  return `${caseReference(number)} changed since this card was shown, so nothing was done. Here is the case as it is now; try again if still needed.`;
}

/** A short answer above the case's current card (on Teams the answer replaces the card, so it stays a card). */
async function withCard(deps: Deps, who: Who, c: LoadedCase, line: string): Promise<Reply> {
  return privateMessage(cardWithLine(caseCard(await caseCardData(deps.db, c), who.user.timeZone, deps.now()), line));
}

function cardWithLine(card: MessageView, line: string): MessageView {
  return { text: `${line} ${card.text}`, blocks: [{ type: "text", text: line }, ...card.blocks] };
}
