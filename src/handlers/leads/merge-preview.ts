// What both halves of a merge request share: records as the merge rules read them, the plan and its preview
// lines with names, the request with its records, who decides, and updating every copy of the request card.
import type { MergePreviewLine, MergeRequestCardData } from "../../bot/views/merge-views.js";
import { formatMoney, priorityStars } from "../../bot/views/lead-card.js";
import type { MessageView } from "../../bot/views/view.js";
import { enqueueNotification, type Tx } from "../../db/outbox.js";
import { leadReference, type PipelineStage } from "../../domain/leads.js";
import { MERGE_FIELD_LABELS, planMerge, type MergeField, type MergePlan, type MergeRecord } from "../../domain/merge.js";
import type { MergeRequestFacts } from "../../domain/policy.js";
import { formatDateTime } from "../../domain/time.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

export const mergeSubjectKey = (requestId: string) => `merge:${requestId}`;

export const mergeLeadInclude = { stage: { select: { kind: true, sequence: true } } } as const;

export async function loadMergeLeads(db: Reader, ids: string[]) {
  return db.lead.findMany({ where: { id: { in: ids } }, include: mergeLeadInclude });
}
export type MergeLead = Awaited<ReturnType<typeof loadMergeLeads>>[number];

export function toMergeRecord(l: MergeLead): MergeRecord {
  return { ...l, stageKind: l.stage.kind, stageSequence: l.stage.sequence, expectedRevenue: l.expectedRevenue === null ? null : Number(l.expectedRevenue) };
}

export async function planFor(db: Reader, leads: MergeLead[]): Promise<MergePlan> {
  const stages: PipelineStage[] = await db.leadStage.findMany();
  return planMerge(leads.map(toMergeRecord), stages);
}

/** The merged record field by field, with names instead of ids, for the preview on the cards. */
export async function previewLines(db: Reader, plan: MergePlan): Promise<MergePreviewLine[]> {
  const v = plan.values;
  const name = async (find: Promise<{ name: string } | null>, fallback = "—") => (await find)?.name ?? fallback;
  const shown: Partial<Record<MergeField, string>> = {
    title: v.title,
    contactName: v.contactName ?? "",
    companyName: v.companyName ?? "",
    email: v.email ?? "",
    phone: v.phone ?? "",
    partnerId: v.partnerId ? await name(db.partner.findUnique({ where: { id: v.partnerId }, select: { name: true } })) : "",
    salespersonId: v.salespersonId ? await name(db.user.findUnique({ where: { id: v.salespersonId }, select: { name: true } })) : "",
    teamId: v.teamId ? await name(db.team.findUnique({ where: { id: v.teamId }, select: { name: true } })) : "",
    stageId: await name(db.leadStage.findUnique({ where: { id: v.stageId }, select: { name: true } })),
    expectedRevenue: v.expectedRevenue ? formatMoney(v.expectedRevenue) : "",
    probability: `${v.probability}%`,
    channelId: v.channelId ? await name(db.channel.findUnique({ where: { id: v.channelId }, select: { name: true } })) : "",
    campaignId: v.campaignId ? await name(db.campaign.findUnique({ where: { id: v.campaignId }, select: { name: true } })) : "",
    referredBy: v.referredBy ?? "",
    nextAction: v.nextAction ?? "",
    nextActionAt: v.nextActionAt ? formatDateTime(v.nextActionAt, "UTC", v.nextActionAt) + " UTC" : "",
    expectedCloseAt: v.expectedCloseAt ? formatDateTime(v.expectedCloseAt, "UTC", v.expectedCloseAt) + " UTC" : "",
    notes: v.notes ? v.notes.replace(/\s+/g, " ") : "",
    type: v.type,
    priority: priorityStars(v.priority),
    tags: v.tags.map((t) => `#${t}`).join(" "),
    lostReasonId: v.lostReasonId ? await name(db.lostReason.findUnique({ where: { id: v.lostReasonId }, select: { name: true } })) : "",
    address: [v.street, [v.zip, v.city].filter(Boolean).join(" "), v.country].filter(Boolean).join(", "),
  };
  return (Object.keys(MERGE_FIELD_LABELS) as MergeField[])
    .filter((f) => plan.provenance[f]?.length && shown[f])
    .map((f) => ({ label: MERGE_FIELD_LABELS[f], value: shown[f]!, sources: plan.provenance[f]! }));
}

export const mergeRequestInclude = {
  items: { orderBy: { position: "asc" }, include: { lead: { include: mergeLeadInclude } } },
  team: { select: { id: true, name: true, parentId: true, managerId: true, managersSlackChannelId: true, managersTeamsConversationId: true } },
  requester: { select: { id: true, name: true, timeZone: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } },
  decidedBy: { select: { name: true } },
} as const;

export async function loadMergeRequest(db: Reader, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return db.mergeRequest.findUnique({ where: { id }, include: mergeRequestInclude });
}
export type LoadedMergeRequest = NonNullable<Awaited<ReturnType<typeof loadMergeRequest>>>;

export function mergeRequestFacts(r: LoadedMergeRequest): MergeRequestFacts {
  return { teamId: r.teamId, parentTeamId: r.team?.parentId ?? null, requesterId: r.requesterId };
}

export interface Decider {
  id: string;
  name: string;
  timeZone: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  teamsAadId: string | null;
}

/**
 * Who decides: the team's manager; if that is the requester (or there is none), the parent team's manager;
 * failing both, every admin. Never the requester: a merge is always seen by a second person.
 */
export async function decidersFor(db: Reader, teamId: string | null, requesterId: string): Promise<Decider[]> {
  const select = { id: true, name: true, timeZone: true, isActive: true, slackTeamId: true, slackUserId: true, teamsAadId: true } as const;
  const team = teamId ? await db.team.findUnique({ where: { id: teamId }, select: { manager: { select }, parent: { select: { manager: { select } } } } }) : null;
  const manager = [team?.manager, team?.parent?.manager].find((m) => m && m.isActive && m.id !== requesterId);
  if (manager) return [manager];
  return db.user.findMany({ where: { role: "admin", isActive: true, id: { not: requesterId } }, select, orderBy: { name: "asc" } });
}

/** The card data of a request as it is stored, with a fresh preview of its records. */
export async function requestCardData(db: Reader, r: LoadedMergeRequest, opts: { warning?: string; canApprove?: boolean } = {}): Promise<MergeRequestCardData> {
  const leads = r.items.map((i) => i.lead);
  const plan = await planFor(db, leads);
  const survivor = r.survivorId ? (leads.find((l) => l.id === r.survivorId) ?? plan.survivor) : plan.survivor;
  const others = leads.filter((l) => l.id !== survivor.id);
  const deciders = r.state === "pending" ? await decidersFor(db, r.teamId, r.requesterId) : [];
  const brief = (l: { id: string; number: number; type: "lead" | "opportunity"; title: string }) => ({ id: l.id, ref: leadReference(l), title: l.title });
  return {
    id: r.id,
    number: r.number,
    version: r.version,
    state: r.state,
    requesterName: r.requester.name,
    reason: r.reason,
    teamName: r.team?.name ?? null,
    survivor: brief(survivor),
    others: others.map(brief),
    lines: r.state === "pending" ? await previewLines(db, plan) : [],
    deciderNames: deciders.map((d) => d.name),
    decidedByName: r.decidedBy?.name ?? null,
    decidedAt: r.decidedAt,
    decisionNote: r.decisionNote,
    warning: opts.warning,
    canApprove: opts.canApprove ?? true,
  };
}

/** Every message that showed this request (deciders' DMs, managers' channels) is updated in place with `view`. */
export async function updateRequestCopies(tx: Tx, requestId: string, view: MessageView): Promise<void> {
  const subjectKey = mergeSubjectKey(requestId);
  const copies = await tx.outbox.findMany({ where: { subjectKey }, distinct: ["channel", "scope", "target"], select: { channel: true, scope: true, target: true } });
  // Only chat and email rows carry a merge subject key (webhook rows never have one).
  for (const c of copies) if (c.channel !== "webhook") await enqueueNotification(tx, { channel: c.channel, scope: c.scope, target: c.target, view, subjectKey });
}
