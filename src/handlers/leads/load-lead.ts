// Loading a lead or opportunity with what its card and the policy need, by id or by number.
import type { LeadCardData } from "../../bot/views/lead-card.js";
import type { Tx } from "../../db/outbox.js";
import type { LeadFacts } from "../../domain/policy.js";
import { readButtonValue } from "../button-value.js";
import type { Deps } from "../deps.js";
import { loadEmailSummary } from "../mail/email-summary.js";
import { findDuplicates } from "./find-duplicates.js";

type Reader = Deps["db"] | Tx;

export const leadInclude = {
  team: { select: { id: true, name: true, managerId: true, parentId: true, slackChannelId: true, teamsConversationId: true } },
  stage: { select: { id: true, name: true, kind: true, sequence: true, probability: true, teamId: true } },
  salesperson: { select: { id: true, name: true, isActive: true, timeZone: true, slackTeamId: true, slackUserId: true, teamsAadId: true } },
  partner: { select: { id: true, name: true } },
  lostReason: { select: { id: true, name: true } },
  mergedInto: { select: { id: true, number: true, type: true, title: true } },
  channel: { select: { code: true, name: true } },
  campaign: { select: { name: true } },
} as const;

export async function loadLead(db: Reader, idOrNumber: string | number) {
  if (typeof idOrNumber === "number") return db.lead.findUnique({ where: { number: idOrNumber }, include: leadInclude });
  if (!/^[0-9a-f-]{36}$/i.test(idOrNumber)) return null;
  return db.lead.findUnique({ where: { id: idOrNumber }, include: leadInclude });
}

export type LoadedLead = NonNullable<Awaited<ReturnType<typeof loadLead>>>;

export function leadFacts(lead: { salespersonId: string | null; teamId: string | null }): LeadFacts {
  return { salespersonId: lead.salespersonId, teamId: lead.teamId };
}

/** The card's data: the lead, its latest timeline entries, and its open duplicates. */
export async function leadCardData(db: Reader, lead: LoadedLead): Promise<LeadCardData> {
  // One after the other: inside a transaction the queries share one connection anyway.
  const recent = await db.timelineEntry.findMany({ where: { recordType: "lead", recordId: lead.id }, orderBy: { createdAt: "desc" }, take: 3, select: { summary: true, createdAt: true } });
  const duplicates = lead.isOpen ? await findDuplicates(db, lead) : [];
  const emails = await loadEmailSummary(db, "lead", lead.id);
  return { ...lead, expectedRevenue: lead.expectedRevenue === null ? null : Number(lead.expectedRevenue), recent, duplicates, emails };
}

/** Loads a lead and its card data in one go (undefined if it is gone). */
export async function loadLeadCard(db: Reader, idOrNumber: string | number): Promise<{ lead: LoadedLead; card: LeadCardData } | undefined> {
  const lead = await loadLead(db, idOrNumber);
  return lead ? { lead, card: await leadCardData(db, lead) } : undefined;
}

/** A button's value "<id>:<version>". */
export function parseLeadButton(value: string): { id: string; version: number } | undefined {
  const ref = readButtonValue(value.trim());
  return ref && ref.extra === undefined && /^[0-9a-f-]{36}$/i.test(ref.id) ? { id: ref.id, version: ref.version } : undefined;
}

/** The pipeline of a team: its own stages, else the shared ones, in sequence order. */
export async function pipelineOfTeam(db: Reader, teamId: string | null) {
  const own = teamId ? await db.leadStage.findMany({ where: { teamId }, orderBy: { sequence: "asc" } }) : [];
  return own.length ? own : db.leadStage.findMany({ where: { teamId: null }, orderBy: { sequence: "asc" } });
}
