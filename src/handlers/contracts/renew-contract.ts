// Renewing a contract (a new one from the day after the old one's last day; the old one is closed) and closing one.
import { renewForm, renewFormSchema } from "../../bot/views/contract-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { addDays, closeDecision, contractReference, planRenewal } from "../../domain/contracts.js";
import { recordCreated, watchRecord } from "../automation/events.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { contractTimeline } from "./contract-form.js";
import { cardFor, contractToChange, loadContract, readContractButton, type LoadedContract } from "./load-contract.js";

const renewable = (c: LoadedContract) => ({ ...c, unitPrice: c.unitPrice === null ? null : Number(c.unitPrice), hasRenewal: c.renewedBy !== null });

/** A renewal as long as the old contract (the same number of days), as a suggestion. */
function suggestedEnd(c: LoadedContract): Date | undefined {
  if (!c.endsAt) return undefined;
  const days = Math.round((c.endsAt.getTime() - c.startsAt.getTime()) / 86_400_000) + 1;
  return addDays(c.endsAt, days);
}

/** The card's Renew button: value "<id>:<version>". */
export async function openRenewContract(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readContractButton(value);
  const found = await contractToChange(deps, who, ref?.id, ref?.version ?? -1);
  if (!found.ok) return found.reply;
  const c = found.contract;
  // Refused before the form opens when it can never succeed (closed, renewed, no end date).
  const check = planRenewal(renewable(c), addDays(c.endsAt ?? c.startsAt, 366), undefined);
  if (!check.ok) return privateMessage(cardFor(who, c, Object.values(check.errors)[0]));
  return openForm(renewForm({ ...c, unitPrice: c.unitPrice === null ? null : Number(c.unitPrice) }, suggestedEnd(c)));
}

export async function submitRenewContract(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const found = await contractToChange(deps, who, context.contractId, /^\d+$/.test(context.version ?? "") ? Number(context.version) : -1);
  if (!found.ok) return found.reply;
  const old = found.contract;
  const parsed = parseForm({ id: "", title: "", submitLabel: "", schema: renewFormSchema, fields: [{ id: "end", label: "", kind: "text" }, { id: "unitPrice", label: "", kind: "text" }] }, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const plan = planRenewal(renewable(old), parsed.value.end, parsed.value.unitPrice);
  if (!plan.ok) return { kind: "errors", errors: plan.errors };
  const renewalId = await deps.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, deps, "contract", old.id, who.actor.id);
    // Only the version the form was opened on: a double submit or a concurrent renewal closes and renews once.
    const closed = await tx.contract.updateMany({ where: { id: old.id, version: old.version, state: { in: ["open", "draft"] } }, data: { state: "closed", version: { increment: 1 } } });
    if (closed.count === 0) return undefined;
    const renewal = await tx.contract.create({ data: { ...plan.value, state: "open", renewedFromId: old.id }, select: { id: true, number: true } });
    await contractTimeline(tx, old.id, who, `${who.user.name} renewed ${contractReference(old.number)} as ${contractReference(renewal.number)}`, "renewed");
    await contractTimeline(tx, renewal.id, who, `${who.user.name} created ${contractReference(renewal.number)}, renewing ${contractReference(old.number)}`, "created");
    await watch.done();
    await recordCreated(tx, deps, "contract", renewal.id, who.actor.id);
    return renewal.id;
  });
  const shown = await loadContract(deps.db, renewalId ?? old.id);
  if (!shown) return privateMessage(notice("That contract no longer exists."));
  const line = renewalId ? `✅ ${contractReference(old.number)} renewed as ${contractReference(shown.number)}; ${contractReference(old.number)} is closed.` : "This contract changed since the form was opened (renewed or closed already?), so nothing was done. Here it is now.";
  return { kind: "done", view: cardFor(who, shown, line) };
}

/** The card's Close button: value "<id>:<version>"; a double click closes once. */
export async function closeContract(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = readContractButton(value);
  const found = await contractToChange(deps, who, ref?.id, ref?.version ?? -1);
  if (!found.ok) return found.reply;
  const c = found.contract;
  const may = closeDecision(c);
  if (!may.ok) return privateMessage(cardFor(who, c, may.reason));
  const closed = await deps.db.$transaction(async (tx) => {
    const watch = await watchRecord(tx, deps, "contract", c.id, who.actor.id);
    const updated = await tx.contract.updateMany({ where: { id: c.id, version: c.version }, data: { state: "closed", version: { increment: 1 } } });
    if (updated.count === 0) return false;
    await contractTimeline(tx, c.id, who, `${who.user.name} closed ${contractReference(c.number)}`, "closed");
    await watch.done();
    return true;
  });
  const now = await loadContract(deps.db, c.id);
  if (!now) return privateMessage(notice("That contract no longer exists."));
  return privateMessage(cardFor(who, now, closed ? `${contractReference(c.number)} is closed.` : "This contract changed since it was shown, so nothing was done. Here it is now."));
}
