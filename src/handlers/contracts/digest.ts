// The weekly contract digest (OpenERP's "contract expiration reminder" cron): each salesperson and each team manager
// gets one DM a week listing, in three parts, the contracts they may see that just expired, expired and are still
// open, or expire within 30 days. It is due from Monday 08:00 in the reader's time zone; nobody gets an empty one;
// the outbox dedupe key (reader and local ISO week) sends it once.
import { contractDigestView, type DigestLine } from "../../bot/views/contract-digest.js";
import { addDays, digestParts, EXPIRING_DAYS, isEmptyDigest, localDigestMoment, localIsoWeek } from "../../domain/contracts.js";
import { policy } from "../../domain/policy.js";
import { actorOfUser } from "../cases/watchers.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";

export interface DigestOutcome {
  readers: number;
  sent: number;
  alreadySent: number;
  /** Readers on no chat platform yet. */
  unreachable: number;
  /** Readers whose Monday 08:00 has not come yet in their time zone. */
  notYet: number;
}

export const digestKey = (week: string, userId: string) => `contract-digest:${week}:${userId}`;

/**
 * Sends the digests due as of now: to each reader whose local Monday 08:00 has passed and who has not had this local
 * week's. Run every hour, so each reader gets it within the hour after their Monday 08:00 (or, after downtime, at the
 * first run after it); a later run in the same local week sends nothing more to them.
 */
export async function sendContractDigests(deps: Deps): Promise<DigestOutcome> {
  const now = deps.now();
  // Every contract that can be in a digest: live, not renewed, ending before the 30-day horizon.
  const contracts = await deps.db.contract.findMany({
    where: { state: { in: ["open", "draft"] }, renewedBy: { is: null }, endsAt: { not: null, lt: addDays(now, EXPIRING_DAYS + 1) } },
    orderBy: { endsAt: "asc" },
    include: { partner: { select: { id: true, name: true } }, salesperson: { select: { name: true } }, team: { select: { managerId: true } } },
  });
  const lines = contracts.map((c) => ({ ...c, hasRenewal: false }));
  const readerIds = new Set(lines.flatMap((c) => [c.salespersonId, c.team?.managerId].filter((id): id is string => Boolean(id))));
  const outcome: DigestOutcome = { readers: 0, sent: 0, alreadySent: 0, unreachable: 0, notYet: 0 };
  for (const userId of readerIds) {
    const user = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, isActive: true, timeZone: true, slackTeamId: true, slackUserId: true, teamsAadId: true } });
    if (!user?.isActive) continue;
    if (now < localDigestMoment(now, user.timeZone)) {
      outcome.notYet++;
      continue;
    }
    const week = localIsoWeek(now, user.timeZone);
    const key = digestKey(week, user.id);
    if (await deps.db.outbox.findFirst({ where: { dedupeKey: { startsWith: `${key}:` } }, select: { id: true } })) {
      outcome.alreadySent++;
      continue;
    }
    const actor = await actorOfUser(deps.db, user);
    // Theirs as salesperson or as the team's manager, and only what the policy lets them open.
    const theirs = lines.filter((c) => (c.salespersonId === user.id || (c.teamId !== null && actor.managedTeamIds.includes(c.teamId))) && policy.viewContract(actor, c).ok);
    const parts = digestParts<DigestLine & (typeof lines)[number]>(theirs, now);
    if (isEmptyDigest(parts)) continue;
    outcome.readers++;
    const result = await deps.db.$transaction(async (tx) => {
      if (await tx.outbox.findFirst({ where: { dedupeKey: { startsWith: `${key}:` } }, select: { id: true } })) return "alreadySent" as const;
      return (await notifyUser(tx, user, contractDigestView(parts, week), { dedupeKey: key })) > 0 ? ("sent" as const) : ("unreachable" as const);
    });
    outcome[result]++;
  }
  return outcome;
}
