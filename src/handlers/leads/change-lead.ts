// One change to a lead or opportunity from a button or a small form: policy, stale-card check, a versioned update,
// the timeline entry, the channel card update and the salesperson's DM, in one transaction (as change-case.ts).
import { leadCard } from "../../bot/views/lead-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Prisma } from "../../db/generated/client.js";
import type { Tx } from "../../db/outbox.js";
import { leadReference } from "../../domain/leads.js";
import type { Actor, Decision, LeadFacts } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { watchRecord } from "../automation/events.js";
import type { Who } from "../resolve-actor.js";
import { notifySalesperson, publishLeadCard, withLine } from "./lead-notify.js";
import { leadCardData, leadFacts, loadLead, parseLeadButton, type LoadedLead } from "./load-lead.js";

export type { Who };

export interface LeadPlan {
  data: Prisma.LeadUncheckedUpdateManyInput;
  /** Timeline entry kind and summary. */
  kind: string;
  summary: string;
  /** Extra timeline data (e.g. the lost reason). */
  details?: Prisma.InputJsonValue;
  /** Teams whose channel should see the card too (the team a lead left). */
  extraTeamIds?: string[];
  /** DM the (new) salesperson with this reason (not sent when they made the change themselves). */
  notifySalesperson?: string;
  /** A line shown above the card in the answer to the person who acted. */
  done: string;
  /** Runs inside the transaction after the update and the card's republishing (e.g. a celebration post). */
  after?(tx: Tx, lead: LoadedLead): Promise<void>;
}

export interface LeadChange {
  check(actor: Actor, facts: LeadFacts, lead: LoadedLead): Decision;
  /** Already in the wanted state (a double click): answered with this, nothing changes. */
  alreadyDone?(lead: LoadedLead): string | undefined;
  /** Refused for a reason of state, not of person (e.g. "won opportunities cannot be converted"). */
  refuse?(lead: LoadedLead): string | undefined;
  plan(tx: Tx, lead: LoadedLead): Promise<LeadPlan | { errors: Record<string, string> }>;
}

class StaleCard extends Error {}

/** A plan that ends in field errors rolls back whatever it wrote before finding them. */
class PlanErrors extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("field errors");
  }
}

/** `value` is the button's (or the form context's) "<id>:<version>". */
export async function changeLead(deps: Deps, who: Who, value: string, change: LeadChange): Promise<Reply> {
  const ref = parseLeadButton(value);
  if (!ref) return privateMessage(notice("That button is no longer supported. Open the lead again with /crm lead LEAD-…"));
  const lead = await loadLead(deps.db, ref.id);
  if (!lead) return privateMessage(notice("That lead no longer exists."));
  if (lead.mergedInto) return withCard(deps, who, lead, `${leadReference(lead)} was merged into ${leadReference(lead.mergedInto)}; work on that one.`);
  const allowed = change.check(who.actor, leadFacts(lead), lead);
  if (!allowed.ok) return withCard(deps, who, lead, allowed.reason);
  const already = change.alreadyDone?.(lead);
  if (already) return withCard(deps, who, lead, already);
  const refused = change.refuse?.(lead);
  if (refused) return withCard(deps, who, lead, refused);
  if (lead.version !== ref.version) return withCard(deps, who, lead, staleText(lead));
  try {
    const outcome = await deps.db.$transaction(async (tx) => {
      const plan = await change.plan(tx, lead);
      if ("errors" in plan) throw new PlanErrors(plan.errors);
      const watch = await watchRecord(tx, deps, "lead", lead.id, who.actor.id);
      const updated = await tx.lead.updateMany({ where: { id: lead.id, version: ref.version }, data: { ...plan.data, version: { increment: 1 } } });
      if (updated.count === 0) throw new StaleCard();
      await tx.timelineEntry.create({ data: { recordType: "lead", recordId: lead.id, kind: plan.kind, actorId: who.actor.id, summary: plan.summary.slice(0, 500), data: plan.details } });
      await watch.done();
      const now = (await loadLead(tx, lead.id))!;
      // The card first: the outbox delivers a channel's messages in order, and the card is what people act on.
      await publishLeadCard(tx, deps, lead.id, { extraTeamIds: plan.extraTeamIds });
      await plan.after?.(tx, now);
      if (plan.notifySalesperson && now.salespersonId && now.salespersonId !== who.actor.id) await notifySalesperson(tx, deps, lead.id, plan.notifySalesperson);
      return { view: withLine(leadCard(await leadCardData(tx, now), who.user.timeZone, deps.now()), plan.done) };
    });
    return { kind: "done", view: outcome.view };
  } catch (error) {
    if (error instanceof PlanErrors) return { kind: "errors", errors: error.errors };
    if (!(error instanceof StaleCard)) throw error;
    const now = await loadLead(deps.db, lead.id);
    return now ? withCard(deps, who, now, staleText(now)) : privateMessage(notice("That lead no longer exists."));
  }
}

/** Opening a form from a card button: the same checks as the change itself, without changing anything. */
export async function leadForButton(
  deps: Deps,
  who: Who,
  value: string,
  check: (actor: Actor, facts: LeadFacts) => Decision,
  refuse?: (lead: LoadedLead) => string | undefined,
): Promise<{ ok: true; lead: LoadedLead; version: number } | { ok: false; reply: Reply }> {
  const ref = parseLeadButton(value);
  if (!ref) return { ok: false, reply: privateMessage(notice("That button is no longer supported. Open the lead again with /crm lead LEAD-…")) };
  const lead = await loadLead(deps.db, ref.id);
  if (!lead) return { ok: false, reply: privateMessage(notice("That lead no longer exists.")) };
  if (lead.mergedInto) return { ok: false, reply: await withCard(deps, who, lead, `${leadReference(lead)} was merged into ${leadReference(lead.mergedInto)}; work on that one.`) };
  const allowed = check(who.actor, leadFacts(lead));
  if (!allowed.ok) return { ok: false, reply: await withCard(deps, who, lead, allowed.reason) };
  const refused = refuse?.(lead);
  if (refused) return { ok: false, reply: await withCard(deps, who, lead, refused) };
  if (lead.version !== ref.version) return { ok: false, reply: await withCard(deps, who, lead, staleText(lead)) };
  return { ok: true, lead, version: ref.version };
}

function staleText(lead: { number: number; type: "lead" | "opportunity" }): string {
  return `${leadReference(lead)} changed since this card was shown, so nothing was done. Here it is as it is now; try again if still needed.`;
}

/** A short answer above the lead's current card (on Teams the answer replaces the clicker's card, so it stays a card). */
export async function withCard(deps: Deps, who: Who, lead: LoadedLead, line: string): Promise<Reply> {
  return privateMessage(withLine(leadCard(await leadCardData(deps.db, lead), who.user.timeZone, deps.now()), line));
}
