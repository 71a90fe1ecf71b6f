// Merging leads and opportunities: which record survives, which value each field keeps and where it came from
// (Odoo's `_merge_opportunity`, notes §1.3), and which selections may be merged at all.
import { leadReference, lostStageOf, firstOpenStage, matchKeys, MAX_MERGE, pipelineStagesFor, type LeadStageKind, type LeadType, type PipelineStage } from "./leads.js";

/** A record as the merge rules read it (plain data; expectedRevenue already a number). */
export interface MergeRecord {
  id: string;
  number: number;
  type: LeadType;
  isOpen: boolean;
  mergedIntoId: string | null;
  stageId: string;
  stageKind: LeadStageKind;
  stageSequence: number;
  probability: number;
  title: string;
  contactName: string | null;
  companyName: string | null;
  email: string | null;
  phone: string | null;
  partnerId: string | null;
  salespersonId: string | null;
  teamId: string | null;
  expectedRevenue: number | null;
  channelId: string | null;
  campaignId: string | null;
  referredBy: string | null;
  nextAction: string | null;
  nextActionAt: Date | null;
  expectedCloseAt: Date | null;
  notes: string | null;
  priority: number;
  tags: string[];
  lostReasonId: string | null;
  street: string | null;
  city: string | null;
  zip: string | null;
  country: string | null;
}

/** Fields taken from the first record, survivor first, that has a value (Odoo's CRM_LEAD_FIELDS_TO_MERGE). */
export const FIRST_VALUE_FIELDS = [
  "title", "contactName", "companyName", "email", "phone", "partnerId", "salespersonId", "teamId", "stageId", "expectedRevenue",
  "probability", "channelId", "campaignId", "referredBy", "nextAction", "nextActionAt", "expectedCloseAt",
] as const;
export type FirstValueField = (typeof FIRST_VALUE_FIELDS)[number];

const ADDRESS_FIELDS = ["street", "city", "zip", "country"] as const;

/** What provenance is kept for: each first-value field, plus the fields with their own rule. */
export type MergeField = FirstValueField | "notes" | "type" | "priority" | "tags" | "lostReasonId" | "address";

export const MERGE_FIELD_LABELS: Record<MergeField, string> = {
  title: "title", contactName: "contact", companyName: "company", email: "email", phone: "phone", partnerId: "customer",
  salespersonId: "salesperson", teamId: "team", stageId: "stage", expectedRevenue: "expected revenue", probability: "probability",
  channelId: "channel", campaignId: "campaign", referredBy: "referred by", nextAction: "next action", nextActionAt: "next action date",
  expectedCloseAt: "expected closing", notes: "notes", type: "type", priority: "priority", tags: "tags", lostReasonId: "lost reason",
  address: "address",
};

/** The columns the survivor is given (match keys recomputed from the merged email and phone). */
export interface MergedValues {
  title: string;
  contactName: string | null;
  companyName: string | null;
  email: string | null;
  emailNormalized: string | null;
  emailDomain: string | null;
  phone: string | null;
  phoneSanitized: string | null;
  partnerId: string | null;
  salespersonId: string | null;
  teamId: string | null;
  stageId: string;
  expectedRevenue: number | null;
  probability: number;
  channelId: string | null;
  campaignId: string | null;
  referredBy: string | null;
  nextAction: string | null;
  nextActionAt: Date | null;
  expectedCloseAt: Date | null;
  notes: string | null;
  type: LeadType;
  priority: number;
  tags: string[];
  lostReasonId: string | null;
  street: string | null;
  city: string | null;
  zip: string | null;
  country: string | null;
}

export interface MergePlan {
  survivor: MergeRecord;
  /** The records merged into the survivor, in rank order. */
  others: MergeRecord[];
  values: MergedValues;
  /** For each field that has a value, the references of the records it came from (one, except notes and tags). */
  provenance: Partial<Record<MergeField, string[]>>;
}

/**
 * Odoo's `_sort_by_confidence_level`: open (not lost) beats lost, opportunity beats lead, later stage beats earlier,
 * higher probability beats lower. Negative when `a` should survive rather than `b`.
 *
 * Tie-break, decided on purpose: the OLDER record (lower number) survives. Its reference (OPP-0010) is the one
 * already linked from chat threads, emails and calls, so keeping it keeps those links pointing at the live record.
 * It is also what Odoo actually does: its sort key ends in `-id` but the sort is reversed, so ties go to the lower
 * id, whatever its docstring says about newer leads being more reliable (notes §1.3).
 */
export function compareSurvivors(a: MergeRecord, b: MergeRecord): number {
  return (
    Number(b.isOpen) - Number(a.isOpen) ||
    Number(b.type === "opportunity") - Number(a.type === "opportunity") ||
    b.stageSequence - a.stageSequence ||
    b.probability - a.probability ||
    a.number - b.number
  );
}

/** The records in survivor-first order. */
export function rankForMerge<R extends MergeRecord>(records: R[]): R[] {
  return [...records].sort(compareSurvivors);
}

const ref = (r: { number: number; type: LeadType }) => leadReference(r);

/** Odoo keeps the first "truthy" value: an empty string, or a revenue of 0, counts as no value. */
function hasValue(field: FirstValueField, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (field === "expectedRevenue") return value !== 0;
  return true;
}

/**
 * The merged record. `stages` are all lead stages (shared and per team): the merged stage must belong to the merged
 * team's pipeline, else the team's first stage of the same kind is used (Odoo: the team's lowest-sequence stage).
 */
export function planMerge(records: MergeRecord[], stages: PipelineStage[]): MergePlan {
  const ranked = rankForMerge(records);
  const survivor = ranked[0]!;
  const provenance: Partial<Record<MergeField, string[]>> = {};
  const first = <F extends FirstValueField>(field: F): MergeRecord[F] => {
    const source = ranked.find((r) => hasValue(field, r[field]));
    if (!source) return field === "expectedRevenue" ? (survivor[field] as MergeRecord[F]) : (null as MergeRecord[F]);
    provenance[field] = [ref(source)];
    return source[field];
  };

  const picked = Object.fromEntries(FIRST_VALUE_FIELDS.map((f) => [f, first(f)])) as Pick<MergeRecord, FirstValueField>;
  const values: MergedValues = {
    ...picked,
    ...matchKeys({ email: picked.email, phone: picked.phone }),
    stageId: mergedStageId(picked.stageId, picked.teamId, stages),
    notes: mergedNotes(ranked, survivor, provenance),
    type: mergedType(ranked, provenance),
    priority: mergedPriority(ranked, provenance),
    tags: mergedTags(ranked, provenance),
    lostReasonId: mergedLostReason(ranked, survivor, provenance),
    ...mergedAddress(ranked, provenance),
  };
  return { survivor, others: ranked.slice(1), values, provenance };
}

function mergedStageId(stageId: string, teamId: string | null, stages: PipelineStage[]): string {
  const pipeline = pipelineStagesFor(stages, teamId);
  if (pipeline.length === 0 || pipeline.some((s) => s.id === stageId)) return stageId;
  const kind = stages.find((s) => s.id === stageId)?.kind;
  const sameKind = kind === "lost" ? lostStageOf(pipeline) : kind === "won" ? pipeline.find((s) => s.kind === "won") : undefined;
  return (sameKind ?? firstOpenStage(pipeline) ?? pipeline[0]!).id;
}

/** Odoo concatenates descriptions; ours are headed by where they came from, except the survivor's own. */
function mergedNotes(ranked: MergeRecord[], survivor: MergeRecord, provenance: Partial<Record<MergeField, string[]>>): string | null {
  const parts = ranked.filter((r) => r.notes?.trim());
  if (parts.length === 0) return null;
  provenance.notes = parts.map(ref);
  return parts.map((r) => (r === survivor ? r.notes!.trim() : `From ${ref(r)}:\n${r.notes!.trim()}`)).join("\n\n");
}

function mergedType(ranked: MergeRecord[], provenance: Partial<Record<MergeField, string[]>>): LeadType {
  const source = ranked.find((r) => r.type === "opportunity") ?? ranked[0]!;
  provenance.type = [ref(source)];
  return source.type;
}

function mergedPriority(ranked: MergeRecord[], provenance: Partial<Record<MergeField, string[]>>): number {
  const source = ranked.reduce((best, r) => (r.priority > best.priority ? r : best));
  provenance.priority = [ref(source)];
  return source.priority;
}

/** The union in survivor-first order; "SaaS" and "saas" are one tag, spelled as first seen. */
function mergedTags(ranked: MergeRecord[], provenance: Partial<Record<MergeField, string[]>>): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  const sources = new Set<string>();
  for (const r of ranked) {
    for (const tag of r.tags) {
      const key = tag.trim().toLowerCase();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      tags.push(tag.trim());
      sources.add(ref(r));
    }
  }
  if (tags.length) provenance.tags = [...sources];
  return tags;
}

/** Odoo empties the lost reason when the head is still in play; otherwise the first one given is kept. */
function mergedLostReason(ranked: MergeRecord[], survivor: MergeRecord, provenance: Partial<Record<MergeField, string[]>>): string | null {
  if (survivor.isOpen) return null;
  const source = ranked.find((r) => r.lostReasonId);
  if (!source) return null;
  provenance.lostReasonId = [ref(source)];
  return source.lostReasonId;
}

/** The address is one block, from the record that has most of it (the first such, survivor first): never mixed. */
function mergedAddress(ranked: MergeRecord[], provenance: Partial<Record<MergeField, string[]>>): Pick<MergedValues, (typeof ADDRESS_FIELDS)[number]> {
  const filled = (r: MergeRecord) => ADDRESS_FIELDS.filter((f) => r[f]?.trim()).length;
  const source = ranked.reduce((best, r) => (filled(r) > filled(best) ? r : best));
  if (filled(source) > 0) provenance.address = [ref(source)];
  return { street: source.street, city: source.city, zip: source.zip, country: source.country };
}

/** "title from OPP-0010, email from OPP-0015, notes from OPP-0010 + OPP-0015": the history line of a merge. */
export function provenanceSummary(provenance: Partial<Record<MergeField, string[]>>): string {
  return (Object.keys(MERGE_FIELD_LABELS) as MergeField[])
    .filter((f) => provenance[f]?.length)
    .map((f) => `${MERGE_FIELD_LABELS[f]} from ${provenance[f]!.join(" + ")}`)
    .join(", ");
}

export type MergeCheck = { ok: true } | { ok: false; reason: string };

/** What the selection check reads of each record. */
export interface MergeCandidate {
  id: string;
  number: number;
  type: LeadType;
  stageKind: LeadStageKind;
  mergedIntoId: string | null;
}

/**
 * 2 to MAX_MERGE distinct records, none merged away already, none won. Odoo silently drops won records
 * (probability 100) from a merge; we refuse and name them, so nobody believes a won deal was folded in.
 */
export function checkMergeSelection(records: MergeCandidate[]): MergeCheck {
  const ids = new Set(records.map((r) => r.id));
  if (ids.size !== records.length) {
    const twice = records.filter((r, i) => records.findIndex((o) => o.id === r.id) !== i).map(ref);
    return { ok: false, reason: `${listRefs([...new Set(twice)])} is chosen more than once; choose each record once.` };
  }
  const size = checkMergeSize(records.length);
  return size.ok ? checkMergeable(records) : size;
}

/** Odoo's bounds: at least 2, at most MAX_MERGE "to prevent data loss". */
export function checkMergeSize(count: number): MergeCheck {
  if (count < 2) return { ok: false, reason: "Choose at least 2 records to merge." };
  if (count > MAX_MERGE) {
    return { ok: false, reason: `At most ${MAX_MERGE} records can be merged at once (${count} were chosen), so that nothing is lost by mistake; merge them in smaller groups.` };
  }
  return { ok: true };
}

/** None merged away already, none won: also checked again when a request is approved. */
export function checkMergeable(records: MergeCandidate[]): MergeCheck {
  const merged = records.filter((r) => r.mergedIntoId);
  if (merged.length) return { ok: false, reason: `${listRefs(merged.map(ref))} ${merged.length === 1 ? "was" : "were"} already merged into another record.` };
  const won = records.filter((r) => r.stageKind === "won");
  if (won.length) return { ok: false, reason: `${listRefs(won.map(ref))} ${won.length === 1 ? "is" : "are"} won; won opportunities cannot be merged.` };
  return { ok: true };
}

/** MRG-0003: a merge request's human reference. */
export function mergeRequestReference(number: number): string {
  return `MRG-${String(number).padStart(4, "0")}`;
}

/** "OPP-0001", "OPP-0001 and OPP-0002", "OPP-0001, OPP-0002 and OPP-0003". */
export function listRefs(refs: string[]): string {
  return refs.length <= 1 ? (refs[0] ?? "") : `${refs.slice(0, -1).join(", ")} and ${refs.at(-1)}`;
}
