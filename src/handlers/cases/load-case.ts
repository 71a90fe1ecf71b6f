// Loading a case with what its card and the policy need, by id or by number.
import type { CaseCardData } from "../../bot/views/case-card.js";
import type { Tx } from "../../db/outbox.js";
import type { CaseFacts } from "../../domain/policy.js";
import { readButtonValue } from "../button-value.js";
import { loadEmailSummary } from "../mail/email-summary.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

export const caseInclude = {
  team: { select: { id: true, name: true, managerId: true, slackChannelId: true, teamsConversationId: true } },
  type: { select: { id: true, name: true, teamId: true } },
  stage: { select: { id: true, name: true, kind: true, sequence: true, teamId: true } },
  assignee: { select: { id: true, name: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } },
  partner: { select: { id: true, name: true } },
  coordinator: { select: { id: true, name: true } },
  contact: { select: { id: true, name: true } },
  channel: { select: { code: true, name: true } },
  campaign: { select: { name: true } },
  contract: { select: { number: true } },
} as const;

export async function loadCase(db: Reader, idOrNumber: string | number) {
  if (typeof idOrNumber === "number") return db.case.findUnique({ where: { number: idOrNumber }, include: caseInclude });
  if (!/^[0-9a-f-]{36}$/i.test(idOrNumber)) return null;
  return db.case.findUnique({ where: { id: idOrNumber }, include: caseInclude });
}

export type LoadedCase = NonNullable<Awaited<ReturnType<typeof loadCase>>>;

export function caseFacts(c: { teamId: string; assigneeId: string | null; isInternal: boolean }): CaseFacts {
  return { teamId: c.teamId, assigneeId: c.assigneeId, isInternal: c.isInternal };
}

/** The card's data: the case plus time spent and the latest timeline entries. */
export async function caseCardData(db: Reader, c: LoadedCase): Promise<CaseCardData> {
  // One after the other: inside a transaction the queries share one connection anyway.
  const spent = await db.caseActivity.aggregate({ where: { caseId: c.id }, _sum: { minutes: true } });
  const recent = await db.timelineEntry.findMany({ where: { recordType: "case", recordId: c.id }, orderBy: { createdAt: "desc" }, take: 3, select: { summary: true, createdAt: true } });
  const watchers = await db.caseWatcher.findMany({ where: { caseId: c.id }, select: { email: true, user: { select: { name: true } } } });
  const emails = await loadEmailSummary(db, "case", c.id);
  return { ...c, minutesSpent: spent._sum.minutes ?? 0, recent, watchers, emails };
}

/** Loads a case and its card data in one go (undefined if it is gone). */
export async function loadCaseCard(db: Reader, idOrNumber: string | number): Promise<{ case: LoadedCase; card: CaseCardData } | undefined> {
  const c = await loadCase(db, idOrNumber);
  return c ? { case: c, card: await caseCardData(db, c) } : undefined;
}

/** A button's value "<id>:<version>". */
export function parseCaseButton(value: string): { id: string; version: number } | undefined {
  const ref = readButtonValue(value.trim());
  return ref && ref.extra === undefined && /^[0-9a-f-]{36}$/i.test(ref.id) ? { id: ref.id, version: ref.version } : undefined;
}

/** The stages a case of this team can be in: the team's own, else the shared ones. */
export async function stagesOfTeam(db: Reader, teamId: string) {
  const own = await db.caseStage.findMany({ where: { teamId }, orderBy: { sequence: "asc" } });
  return own.length ? own : db.caseStage.findMany({ where: { teamId: null }, orderBy: { sequence: "asc" } });
}
