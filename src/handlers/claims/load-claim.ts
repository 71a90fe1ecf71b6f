// Reads a claim with what the policy needs (kind, responsible, team) and the ids of the purchasing teams.
import { claimCardInclude } from "../../bot/views/claim-card.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import { readButtonValue, readFormVersion } from "../button-value.js";
import { loadEmailSummary } from "../mail/email-summary.js";
import { CLAIM_NOT_FOUND, policy, type Actor, type Decision } from "../../domain/policy.js";

type Reader = Db | Tx;

/** Supplier claims are visible to purchasing teams: their ids are what the policy checks membership against. */
export async function purchasingTeamIds(db: Reader): Promise<string[]> {
  const teams = await db.team.findMany({ where: { kind: "purchasing" }, select: { id: true } });
  return teams.map((t) => t.id);
}

/** The claim with what its card shows, its email summary included. */
export async function loadClaim(db: Reader, where: { id: string } | { number: number }) {
  const claim = await db.claim.findUnique({ where, include: claimCardInclude });
  return claim && { ...claim, emails: await loadEmailSummary(db, "claim", claim.id) };
}

export type LoadedClaim = NonNullable<Awaited<ReturnType<typeof loadClaim>>>;

/** The claim if the actor may see it (and, with `change`, change it); a refusal never tells a supplier claim exists. */
export async function claimFor(db: Reader, actor: Actor, where: { id: string } | { number: number }, mode: "view" | "change"): Promise<{ ok: true; claim: LoadedClaim } | { ok: false; reason: string }> {
  const isUuid = "id" in where ? /^[0-9a-f-]{36}$/i.test(where.id) : true;
  const claim = isUuid ? await loadClaim(db, where) : null;
  if (!claim) return { ok: false, reason: CLAIM_NOT_FOUND };
  const purchasing = await purchasingTeamIds(db);
  const decision: Decision = mode === "view" ? policy.viewClaim(actor, claim, purchasing) : policy.changeClaim(actor, claim, purchasing);
  return decision.ok ? { ok: true, claim } : { ok: false, reason: decision.reason };
}

/** A button's value "<id>:<version>[:<extra>]". */
export const readClaimButton = readButtonValue;

/** The claim id and version a claim form carries in its context (claimId, version). */
export function readClaimForm(context: Record<string, string>): { id: string; version: number } | undefined {
  return readFormVersion(context, "claimId");
}
