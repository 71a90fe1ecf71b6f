// Loading contracts with what their card and the policy need, and the answers every contract button shares.
import { contractCard, type ContractCardData } from "../../bot/views/contract-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import type { ContractFacts } from "../../domain/policy.js";
import { policy } from "../../domain/policy.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";

type Reader = Deps["db"] | Tx;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

export const contractInclude = {
  partner: { select: { id: true, name: true } },
  salesperson: { select: { id: true, name: true, email: true } },
  team: { select: { id: true, name: true } },
  renewedBy: { select: { number: true } },
  renewedFrom: { select: { number: true } },
} as const;

export async function loadContract(db: Reader, idOrNumber: string | number) {
  if (typeof idOrNumber === "number") return db.contract.findUnique({ where: { number: idOrNumber }, include: contractInclude });
  return isUuid(idOrNumber) ? db.contract.findUnique({ where: { id: idOrNumber }, include: contractInclude }) : null;
}

export type LoadedContract = NonNullable<Awaited<ReturnType<typeof loadContract>>>;

export const contractFacts = (c: { salespersonId: string | null; teamId: string | null }): ContractFacts => ({ salespersonId: c.salespersonId, teamId: c.teamId });

/** Prisma's Decimal price as a number (two decimals; far below a float's precision). */
export function cardData(c: LoadedContract): ContractCardData {
  return { ...c, unitPrice: c.unitPrice === null ? null : Number(c.unitPrice) };
}

export function cardFor(who: Who, c: LoadedContract, line?: string) {
  return contractCard(cardData(c), policy.editContract(who.actor, contractFacts(c)).ok, line);
}

/** The ids of every sales team: their members may create contracts. */
export async function salesTeamIds(db: Reader): Promise<string[]> {
  return (await db.team.findMany({ where: { kind: "sales" }, select: { id: true } })).map((t) => t.id);
}

export async function teamOptions(db: Reader) {
  const teams = await db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true }, take: 100 });
  return teams.map((t) => ({ value: t.id, label: t.name.slice(0, 75) }));
}

/**
 * A contract named by a button ("<id>:<version>") or a form's context, that the person may change, at the version
 * they saw. Not found and not allowed answer the same to those who may not see it.
 */
export async function contractToChange(deps: Deps, who: Who, id: string | undefined, version: number | undefined): Promise<{ ok: true; contract: LoadedContract } | { ok: false; reply: Reply }> {
  const c = id ? await loadContract(deps.db, id) : null;
  if (!c || !policy.viewContract(who.actor, contractFacts(c)).ok) return { ok: false, reply: privateMessage(notice("That contract no longer exists, or you may not see it.")) };
  const allowed = policy.editContract(who.actor, contractFacts(c));
  if (!allowed.ok) return { ok: false, reply: privateMessage(notice(allowed.reason)) };
  if (version !== undefined && c.version !== version) return { ok: false, reply: privateMessage(cardFor(who, c, "This contract changed since it was shown, so nothing was done. Here it is now.")) };
  return { ok: true, contract: c };
}

export function readContractButton(value: string): { id: string; version: number } | undefined {
  const ref = readButtonValue(value.trim());
  return ref && isUuid(ref.id) ? { id: ref.id, version: ref.version } : undefined;
}
