// Creating a contract (`/crm contract`, or "New contract" on a partner's list) and editing one from its card.
import { randomBytes } from "node:crypto";
import { contractEditForm, contractForm, type ContractFormValue } from "../../bot/views/contract-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { contractReference, percentUsed } from "../../domain/contracts.js";
import { policy } from "../../domain/policy.js";
import { recordCreated, watchRecord } from "../automation/events.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { partnerFromFormValue } from "../resolve-partner.js";
import { cardFor, contractToChange, isUuid, loadContract, readContractButton, salesTeamIds, teamOptions } from "./load-contract.js";

const SUBMIT_ID = /^[0-9a-f]{32}$/;

/** `partnerId`: from a partner's contract list, so the customer is filled in. */
export async function newContractForm(deps: Deps, who: Who, partnerId?: string): Promise<Reply> {
  const allowed = policy.createContract(who.actor, await salesTeamIds(deps.db));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const partner = partnerId && isUuid(partnerId) ? await deps.db.partner.findUnique({ where: { id: partnerId }, select: { id: true, name: true } }) : null;
  const teamId = await firstSalesTeamOf(deps, who);
  const form = contractForm(await teamOptions(deps.db), { ...(partner ? { partner: { value: partner.id, label: partner.name } } : {}), ...(teamId ? { teamId } : {}), startsAt: startOfDay(deps.now()) }, randomBytes(16).toString("hex"));
  return openForm(form);
}

const startOfDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

async function firstSalesTeamOf(deps: Deps, who: Who): Promise<string | undefined> {
  const sales = await salesTeamIds(deps.db);
  return [...who.actor.teamIds, ...who.actor.managedTeamIds].find((t) => sales.includes(t));
}

type People = { ok: true; salespersonId: string | null; teamId: string | null } | { ok: false; errors: Record<string, string> };

/** The salesperson (an active user; `fallback` when empty) and the team (null when empty) a form names. */
async function resolvePeople(deps: Deps, value: ContractFormValue, fallback: string | null): Promise<People> {
  const errors: Record<string, string> = {};
  let salespersonId = fallback;
  if (value.salesperson) {
    const person = isUuid(value.salesperson) ? await deps.db.user.findUnique({ where: { id: value.salesperson }, select: { id: true, isActive: true } }) : null;
    if (!person) errors.salesperson = "Choose the salesperson from the list.";
    else if (!person.isActive) errors.salesperson = "That person's account is deactivated; choose someone active.";
    else salespersonId = person.id;
  }
  let teamId: string | null = null;
  if (value.team) {
    const team = isUuid(value.team) ? await deps.db.team.findUnique({ where: { id: value.team }, select: { id: true } }) : null;
    if (!team) errors.team = "That team no longer exists; choose another.";
    else teamId = team.id;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, salespersonId, teamId };
}

/** Submit of the create form; its context's submitId makes a double submit create one contract. */
export async function submitContractForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const allowed = policy.createContract(who.actor, await salesTeamIds(deps.db));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const submitId = context.submitId ?? "";
  if (!SUBMIT_ID.test(submitId)) return privateMessage(notice("That form is no longer supported. Open it again with /crm contract."));
  const parsed = parseForm(contractForm([], {}, submitId, { forSubmit: true }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const people = await resolvePeople(deps, parsed.value, who.actor.id);
  if (!people.ok) return { kind: "errors", errors: people.errors };
  const { terms } = parsed.value;
  const outcome = await deps.db.$transaction(async (tx) => {
    // The same form submitted twice (a double click, a retried request) waits here for the first, then finds it.
    await tx.$executeRaw`SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext(${`contract-form:${submitId}`}))) AS locked`;
    const earlier = await tx.timelineEntry.findFirst({ where: { recordType: "contract", kind: "created", data: { path: ["submitId"], equals: submitId } }, select: { recordId: true } });
    if (earlier) return { id: earlier.recordId, isDuplicate: true };
    const partnerId = (await partnerFromFormValue(tx, deps, parsed.value.partner, who.actor.id))!;
    const created = await tx.contract.create({ data: { ...terms, partnerId, salespersonId: people.salespersonId, teamId: people.teamId, state: "open" }, select: { id: true, number: true } });
    await tx.timelineEntry.create({
      data: { recordType: "contract", recordId: created.id, kind: "created", actorId: who.actor.id, summary: `${who.user.name} created ${contractReference(created.number)}: ${terms.name}`.slice(0, 500), data: { submitId } },
    });
    await recordCreated(tx, deps, "contract", created.id, who.actor.id);
    return { id: created.id, isDuplicate: false };
  });
  const c = await loadContract(deps.db, outcome.id);
  if (!c) return privateMessage(notice("That contract no longer exists."));
  return { kind: "done", view: cardFor(who, c, outcome.isDuplicate ? `${contractReference(c.number)} was already created from this form.` : `✅ ${contractReference(c.number)} created.`) };
}

/** The card's Edit button: value "<id>:<version>". */
export async function openEditContract(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readContractButton(value);
  const found = await contractToChange(deps, who, ref?.id, ref?.version ?? -1);
  if (!found.ok) return found.reply;
  const c = found.contract;
  const prefill = {
    name: c.name,
    ...(c.salesperson ? { salesperson: { value: c.salesperson.id, label: c.salesperson.name } } : {}),
    ...(c.teamId ? { teamId: c.teamId } : {}),
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    billing: c.billing,
    unitPrice: c.unitPrice === null ? null : Number(c.unitPrice),
    prepaidUnits: c.prepaidUnits,
  };
  return openForm(contractEditForm(c, await teamOptions(deps.db), prefill));
}

export async function submitEditContract(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const found = await contractToChange(deps, who, context.contractId, /^\d+$/.test(context.version ?? "") ? Number(context.version) : -1);
  if (!found.ok) return found.reply;
  const c = found.contract;
  const parsed = parseForm(contractEditForm(c, [], {}, { forSubmit: true }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const people = await resolvePeople(deps, parsed.value, c.salespersonId);
  if (!people.ok) return { kind: "errors", errors: people.errors };
  const { terms } = parsed.value;
  // Warnings already sent stay sent only while still true: more prepaid hours re-arm them.
  const percent = percentUsed({ prepaidUnits: terms.prepaidUnits, unitsUsed: c.unitsUsed }) ?? 0;
  const usageWarned = c.usageWarned.filter((w) => percent >= Number(w));
  const saved = await deps.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, deps, "contract", c.id, who.actor.id);
    const updated = await tx.contract.updateMany({ where: { id: c.id, version: c.version }, data: { ...terms, salespersonId: people.salespersonId, teamId: people.teamId, usageWarned, version: { increment: 1 } } });
    if (updated.count === 0) return false;
    await contractTimeline(tx, c.id, who, `${who.user.name} edited ${contractReference(c.number)}`);
    await watch.done();
    return true;
  });
  const now = await loadContract(deps.db, c.id);
  if (!now) return privateMessage(notice("That contract no longer exists."));
  return { kind: "done", view: cardFor(who, now, saved ? `✅ ${contractReference(c.number)} saved.` : "This contract changed since the form was opened, so nothing was saved. Here it is now.") };
}

export async function contractTimeline(tx: Tx, contractId: string, who: Who, summary: string, kind = "edited"): Promise<void> {
  await tx.timelineEntry.create({ data: { recordType: "contract", recordId: contractId, kind, actorId: who.actor.id, summary: summary.slice(0, 500) } });
}
