// Asking for a merge: the "Request merge" button and `/crm merge OPP-12 OPP-15` open the form; its submission stores
// the request with each record's version, tells the deciders (DM and managers' channel) and notes it on each record.
import { mergeRequestCard, mergeRequestedView, mergeRequestForm, MERGE_REQUEST_FORM_ID } from "../../bot/views/merge-views.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { leadReference, MAX_MERGE, parseLeadReference } from "../../domain/leads.js";
import { checkMergeable, checkMergeSize, listRefs, mergeRequestReference } from "../../domain/merge.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordCreated } from "../automation/events.js";
import { notifyUser } from "../notify-user.js";
import type { Who } from "../resolve-actor.js";
import { postToTeamChannels } from "../team-channels.js";
import { findDuplicates } from "./find-duplicates.js";
import { leadFacts, loadLead, parseLeadButton, type LoadedLead } from "./load-lead.js";
import { decidersFor, loadMergeLeads, loadMergeRequest, mergeSubjectKey, planFor, requestCardData, type MergeLead } from "./merge-preview.js";

export { MERGE_REQUEST_FORM_ID };

/** Slack shows at most 10 checkboxes. */
const MAX_OPTIONS = 10;

/** "Request merge" on an opportunity card (value "<leadId>:<version>"): the form, this record and its duplicates. */
export async function openMergeForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = parseLeadButton(value);
  if (!ref) return privateMessage(notice("That button is no longer supported. Open the opportunity again."));
  const lead = await loadLead(deps.db, ref.id);
  if (!lead) return privateMessage(notice("That opportunity no longer exists."));
  return mergeForm(deps, who, [lead], { tickDuplicates: true });
}

/** `/crm merge OPP-12 OPP-15 …`: the form with the named records ticked, plus the first one's duplicates. */
export async function mergeFormFromCommand(deps: Deps, who: Who, args: string): Promise<Reply> {
  const words = args.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return privateMessage(notice("Name the records to merge, like: merge OPP-0012 OPP-0015."));
  const notRefs = words.filter((w) => parseLeadReference(w) === undefined);
  if (notRefs.length) return privateMessage(notice(`“${notRefs[0]!.slice(0, 40)}” is not a lead or opportunity reference; write them like OPP-0012.`));
  const numbers = [...new Set(words.map((w) => parseLeadReference(w)!))];
  if (numbers.length > MAX_OPTIONS) return privateMessage(notice(`At most ${MAX_MERGE} records can be merged at once; you named ${numbers.length}.`));
  const leads: LoadedLead[] = [];
  for (const n of numbers) {
    const lead = await loadLead(deps.db, n);
    if (!lead) return privateMessage(notice(`There is no lead or opportunity number ${n} (LEAD-${String(n).padStart(4, "0")} / OPP-${String(n).padStart(4, "0")}).`));
    leads.push(lead);
  }
  return mergeForm(deps, who, leads, { tickDuplicates: false });
}

async function mergeForm(deps: Deps, who: Who, named: LoadedLead[], opts: { tickDuplicates: boolean }): Promise<Reply> {
  const mergeable = checkMergeable(named.map((l) => ({ ...l, stageKind: l.stage.kind })));
  if (!mergeable.ok) return privateMessage(notice(mergeable.reason));
  const allowed = policy.requestMerge(who.actor, named.map(leadFacts));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const anchor = named[0]!;
  const duplicates = (await findDuplicates(deps.db, anchor)).filter((d) => !named.some((l) => l.id === d.id));
  const options = [...named, ...duplicates].slice(0, MAX_OPTIONS).map((l) => ({ value: l.id, label: `${leadReference(l)} ${l.title}`.slice(0, 75) }));
  if (options.length < 2) {
    return privateMessage(notice(`${leadReference(anchor)} has no open duplicates to merge with. To merge it with another record, name both: merge ${leadReference(anchor)} OPP-…`));
  }
  // From a card, strong matches (same email, customer or phone) are ticked; a shared company domain alone is only
  // offered. From the command, the person said which records they mean.
  const strong = opts.tickDuplicates ? duplicates.filter((d) => d.reason !== "domain").map((d) => d.id) : [];
  const checked = [...named.map((l) => l.id), ...strong].slice(0, Math.max(MAX_MERGE, named.length));
  return openForm(mergeRequestForm(options, checked));
}

class Refused extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("refused");
  }
}

export async function submitMergeRequest(deps: Deps, who: Who, values: Record<string, unknown>): Promise<Reply> {
  const parsed = parseForm(mergeRequestForm([], []), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const { leadIds: ids, reason } = parsed.value;
  if (ids.length !== new Set(ids).size) return { kind: "errors", errors: { leadIds: "Choose each record once." } };
  const size = checkMergeSize(ids.length);
  if (!size.ok) return { kind: "errors", errors: { leadIds: size.reason } };
  try {
    const requestId = await deps.db.$transaction(async (tx) => {
      // Locks the records, so two requests submitted at once cannot both claim one of them.
      await tx.$queryRaw`SELECT id FROM "Lead" WHERE id = ANY(${ids}::uuid[]) FOR UPDATE`;
      const leads = await checkedLeads(tx, who, ids);
      const plan = await planFor(tx, leads);
      const teamId = plan.values.teamId;
      const deciders = await decidersFor(tx, teamId, who.actor.id);
      if (deciders.length === 0) throw new Refused({ leadIds: "Nobody can approve this merge: the team has no manager and there is no other admin. Ask an admin to set the team's manager." });
      const ranked = [plan.survivor, ...plan.others];
      const request = await tx.mergeRequest.create({
        data: {
          teamId,
          requesterId: who.actor.id,
          reason,
          items: { create: ranked.map((r, position) => ({ leadId: r.id, position, version: leads.find((l) => l.id === r.id)!.version })) },
        },
      });
      const mrg = mergeRequestReference(request.number);
      await tx.timelineEntry.createMany({
        data: leads.map((l) => ({ recordType: "lead", recordId: l.id, kind: "merge-requested", actorId: who.actor.id, summary: `Merge requested: ${mrg} by ${who.user.name}: ${reason}`.slice(0, 500), data: { requestId: request.id } })),
      });
      await recordCreated(tx, deps, "merge-request", request.id, who.actor.id);
      await tellDeciders(tx, request.id, deciders);
      return request.id;
    });
    const stored = await loadMergeRequest(deps.db, requestId);
    return { kind: "done", view: mergeRequestedView(await requestCardData(deps.db, stored!)) };
  } catch (error) {
    if (error instanceof Refused) return { kind: "errors", errors: error.errors };
    throw error;
  }
}

/** The records as they are inside the transaction: all there, mergeable, the requester's to change, in no other pending request. */
async function checkedLeads(tx: Tx, who: Who, ids: string[]): Promise<MergeLead[]> {
  const found = await loadMergeLeads(tx, ids);
  if (found.length !== ids.length) throw new Refused({ leadIds: "One of the chosen records no longer exists; open the form again." });
  const leads = ids.map((id) => found.find((l) => l.id === id)!);
  const mergeable = checkMergeable(leads.map((l) => ({ ...l, stageKind: l.stage.kind })));
  if (!mergeable.ok) throw new Refused({ leadIds: mergeable.reason });
  const allowed = policy.requestMerge(who.actor, leads.map(leadFacts));
  if (!allowed.ok) throw new Refused({ leadIds: allowed.reason });
  const pending = await tx.mergeRequestLead.findMany({
    where: { leadId: { in: ids }, request: { state: "pending" } },
    select: { lead: { select: { number: true, type: true } }, request: { select: { number: true } } },
  });
  if (pending.length) {
    const refs = listRefs([...new Set(pending.map((p) => leadReference(p.lead)))]);
    const requests = listRefs([...new Set(pending.map((p) => mergeRequestReference(p.request.number)))]);
    throw new Refused({ leadIds: `${refs} ${pending.length === 1 ? "is" : "are"} already in ${requests}, waiting for a decision. Wait for it, or withdraw it first.` });
  }
  return leads;
}

/** A DM to each decider (in their time zone) and a post in the team's managers' channel; one subjectKey for every copy. */
async function tellDeciders(tx: Tx, requestId: string, deciders: { id: string; timeZone: string; slackTeamId: string | null; slackUserId: string | null; teamsAadId: string | null }[]): Promise<void> {
  const request = (await loadMergeRequest(tx, requestId))!;
  const view = mergeRequestCard(await requestCardData(tx, request));
  const subjectKey = mergeSubjectKey(requestId);
  for (const decider of deciders) await notifyUser(tx, decider, view, { subjectKey, dedupeKey: `${subjectKey}:request:${decider.id}` });
  const team = request.team;
  if (team) {
    const managersChannels = { id: team.id, slackChannelId: team.managersSlackChannelId, teamsConversationId: team.managersTeamsConversationId, managerId: team.managerId };
    await postToTeamChannels(tx, managersChannels, view, { subjectKey, dedupeKey: `${subjectKey}:request:managers` });
  }
}
