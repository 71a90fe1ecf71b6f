// Opening a case: from the form (blank or from a chat message) and from the one-line quick form.
import { caseCard } from "../../bot/views/case-card.js";
import { caseForm, type CaseFormInput } from "../../bot/views/case-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { caseReference, firstStage, matchCaseType, parseQuickCase, type CasePriority } from "../../domain/cases.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { recordCreated } from "../automation/events.js";
import { channelIdByCode, checkChannelChoice, type ChannelCode } from "../channels/channel-choices.js";
import { createPartner, matchPartner, partnerFromFormValue } from "../resolve-partner.js";
import { notifyAssignee, publishCaseCard } from "./case-notify.js";
import { caseCardData, loadCase, stagesOfTeam } from "./load-case.js";
import { scheduleCaseSla } from "./sla.js";

export interface NewCase {
  subject: string;
  description?: string;
  typeId: string | null;
  teamId: string;
  priority: CasePriority;
  partnerId: string | null;
  /** The person at the partner who reported it (a contact of the company), if known. */
  contactId?: string | null;
  assigneeId: string | null;
  /** A channel chosen in a form (its id), or the one the way in implies (its code: "email" for an email). */
  channel: { id: string | null } | { code: ChannelCode };
  campaignId?: string | null;
  isInternal: boolean;
  plannedCloseAt?: Date;
  sourceLink?: string;
  sourceChannel?: string;
  sourceTs?: string;
  /** Who opened it when no user did (the mail gateway): "Email from jane@acme.com". */
  openedBy?: string;
}

/**
 * Stores the case in its team's first open stage, writes the timeline, posts the card and DMs the assignee.
 * `user` is null when no person opened it (an email to a team alias): then `input.openedBy` says who did.
 */
export async function createCase(tx: Tx, deps: Deps, user: ActorUser | null, input: NewCase): Promise<string> {
  const stage = firstStage(await stagesOfTeam(tx, input.teamId), ["open"]);
  if (!stage) throw new Error(`no open case stage for team ${input.teamId}`);
  const created = await tx.case.create({
    data: {
      subject: input.subject,
      description: input.description ?? null,
      typeId: input.typeId,
      teamId: input.teamId,
      priority: input.priority,
      stageId: stage.id,
      isOpen: true,
      partnerId: input.partnerId,
      contactId: input.contactId ?? null,
      assigneeId: input.assigneeId,
      createdById: user?.id ?? null,
      channelId: "code" in input.channel ? await channelIdByCode(tx, input.channel.code) : input.channel.id,
      campaignId: input.campaignId ?? null,
      isInternal: input.isInternal,
      plannedCloseAt: input.plannedCloseAt ?? null,
      startAt: deps.now(),
      sourceLink: input.sourceLink ?? null,
      sourceChannel: input.sourceChannel ?? null,
      sourceTs: input.sourceTs ?? null,
    },
    select: { id: true, number: true },
  });
  await tx.timelineEntry.create({
    data: { recordType: "case", recordId: created.id, kind: "created", actorId: user?.id ?? null, summary: `${user?.name ?? input.openedBy ?? "Someone"} opened ${caseReference(created.number)}: ${input.subject}`.slice(0, 500) },
  });
  await scheduleCaseSla(tx, deps, created.id);
  await recordCreated(tx, deps, "case", created.id, user?.id ?? null);
  await publishCaseCard(tx, deps, created.id);
  if (input.assigneeId && input.assigneeId !== user?.id) await notifyAssignee(tx, deps, created.id, `${user?.name ?? input.openedBy ?? "Someone"} opened a case and assigned it to you.`);
  return created.id;
}

/** Submit of the case form. The form's context carries the source message (link, Slack channel and ts). */
export async function submitCaseForm(deps: Deps, actor: Actor, user: ActorUser, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const allowed = policy.openCase(actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseForm(caseForm(user.timeZone, { types: [], teams: [], channels: [], campaigns: [] }, {}, { forSubmit: true }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const routed = await routeCase(deps, user, input);
  if (!routed.ok) return { kind: "errors", errors: routed.errors };
  const { teamId, typeId, assigneeId, channelId, campaignId } = routed;
  if (assigneeId && assigneeId !== actor.id) {
    const target = await deps.db.user.findUnique({ where: { id: assigneeId }, select: { id: true, isActive: true } });
    const may = policy.reassignCase(actor, { teamId, assigneeId: null, isInternal: input.internal === "yes" }, target!);
    if (!may.ok) return { kind: "errors", errors: { assignee: may.reason } };
  }
  const view = await deps.db.$transaction(async (tx) => {
    const partnerId = await partnerFromFormValue(tx, deps, input.partner, user.id);
    const id = await createCase(tx, deps, user, {
      subject: input.subject,
      description: input.description,
      typeId,
      teamId,
      priority: input.priority,
      partnerId,
      assigneeId,
      channel: { id: channelId },
      campaignId,
      isInternal: input.internal === "yes",
      plannedCloseAt: input.plannedCloseAt,
      sourceLink: context.sourceLink,
      sourceChannel: context.sourceChannel,
      sourceTs: context.sourceTs,
    });
    return cardFor(tx, deps, user, id);
  });
  return { kind: "done", view };
}

type Routed = { ok: true; teamId: string; typeId: string | null; assigneeId: string | null; channelId: string | null; campaignId: string | null } | { ok: false; errors: Record<string, string> };

/** The type's team wins; else the team chosen; else the person's first team. */
async function routeCase(deps: Deps, user: ActorUser, input: CaseFormInput): Promise<Routed> {
  const errors: Record<string, string> = {};
  let teamId: string | undefined;
  let typeId: string | null = null;
  if (input.type) {
    const type = await deps.db.caseType.findUnique({ where: { id: isUuid(input.type) ? input.type : "00000000-0000-0000-0000-000000000000" }, select: { id: true, teamId: true } });
    if (type) [typeId, teamId] = [type.id, type.teamId];
    else errors.type = "That case type no longer exists; choose another.";
  }
  if (!teamId && input.team) {
    const team = isUuid(input.team) ? await deps.db.team.findUnique({ where: { id: input.team }, select: { id: true } }) : null;
    if (team) teamId = team.id;
    else errors.team = "That team no longer exists; choose another.";
  }
  if (!teamId && !errors.team && !errors.type) teamId = await firstTeamOf(deps, user.id);
  if (!teamId && !errors.team && !errors.type) {
    errors.team = (await deps.db.team.count()) ? "Choose the team that takes the case (you are in no team yet)." : "No teams are set up yet: ask an admin to add one (/crm admin team add).";
  }
  let assigneeId: string | null = null;
  if (input.assignee) {
    const person = isUuid(input.assignee) ? await deps.db.user.findUnique({ where: { id: input.assignee }, select: { id: true, isActive: true } }) : null;
    if (!person) errors.assignee = "Choose the assignee from the list.";
    else if (!person.isActive) errors.assignee = "That person's account is deactivated; choose someone active.";
    else assigneeId = person.id;
  }
  const source = await checkChannelChoice(deps.db, deps.now(), { channel: input.channel, campaign: input.campaign });
  if (!source.ok) Object.assign(errors, source.errors);
  if (Object.keys(errors).length || !teamId || !source.ok) return { ok: false, errors };
  return { ok: true, teamId, typeId, assigneeId, channelId: source.channelId, campaignId: source.campaignId };
}

export async function firstTeamOf(deps: Pick<Deps, "db">, userId: string): Promise<string | undefined> {
  const first = await deps.db.teamMember.findFirst({ where: { userId }, orderBy: [{ joinedAt: "asc" }, { teamId: "asc" }], select: { teamId: true } });
  return first?.teamId;
}

/**
 * `/crm case Acme: printer jams on tray 2 !high #hardware`. The partner is optional (no colon, no partner).
 * `opts.partnerId` comes from the "Use <partner>" button; `opts.createPartner` from "Create <partner>".
 */
export async function quickOpenCase(deps: Deps, actor: Actor, user: ActorUser, text: string, opts: { partnerId?: string; createPartner?: boolean } = {}): Promise<Reply> {
  const allowed = policy.openCase(actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseQuickCase(text);
  if (!parsed.ok) return privateMessage(notice(parsed.reason));
  const q = parsed.value;
  let typeId: string | null = null;
  let teamId: string | undefined;
  if (q.typeName) {
    const type = matchCaseType(q.typeName, await deps.db.caseType.findMany({ select: { id: true, name: true, teamId: true } }));
    if (!type.ok) return privateMessage(notice(type.reason));
    [typeId, teamId] = [type.value.id, type.value.teamId];
  }
  teamId ??= await firstTeamOf(deps, user.id);
  if (!teamId) {
    const types = await deps.db.caseType.findMany({ select: { name: true }, orderBy: { name: "asc" } });
    return privateMessage(
      notice(
        "You are in no team yet, so Switchboard cannot tell which team takes the case.",
        types.length ? `Add a case type, e.g. #${types[0]!.name.toLowerCase()} (types: ${types.map((t) => t.name).join(", ")}), or use the form: /crm case` : "Use the form (/crm case) to choose a team, or ask an admin to add you to one.",
      ),
    );
  }
  let partnerId: string | null = opts.partnerId ?? null;
  if (q.partnerName && !partnerId && !opts.createPartner) {
    const match = await matchPartner(deps, q.partnerName);
    if (match.kind !== "found") return privateMessage(partnerChoiceView(q.partnerName, text, match.kind === "several" ? match.candidates : []));
    partnerId = match.id;
  }
  const view = await deps.db.$transaction(async (tx) => {
    if (q.partnerName && !partnerId) partnerId = (await createPartner(tx, deps, { kind: "company", name: q.partnerName, salespersonId: user.id }, user.id)).id;
    const id = await createCase(tx, deps, user, { subject: q.subject, typeId, teamId: teamId!, priority: q.priority ?? "medium", partnerId, assigneeId: null, channel: { code: "chat" }, isInternal: false });
    return cardFor(tx, deps, user, id);
  });
  return privateMessage(view);
}

/** Buttons after an ambiguous or unknown partner in the quick form: the value is "<partnerId>|<original text>". */
export async function quickOpenCaseWithPartner(deps: Deps, actor: Actor, user: ActorUser, value: string): Promise<Reply> {
  const bar = value.indexOf("|");
  const partnerId = value.slice(0, bar);
  const partner = bar > 0 && isUuid(partnerId) ? await deps.db.partner.findUnique({ where: { id: partnerId }, select: { id: true } }) : null;
  if (!partner) return privateMessage(notice("That partner no longer exists. Run the command again."));
  return quickOpenCase(deps, actor, user, value.slice(bar + 1), { partnerId: partner.id });
}

async function cardFor(tx: Tx, deps: Deps, user: ActorUser, id: string): Promise<MessageView> {
  const c = await loadCase(tx, id);
  return caseCard(await caseCardData(tx, c!), user.timeZone, deps.now());
}

function partnerChoiceView(name: string, text: string, candidates: { id: string; name: string }[]): MessageView {
  const value = (id: string) => `${id}|${text}`.slice(0, 1900);
  return {
    text: candidates.length ? `Which partner did you mean by “${name}”?` : `No partner is called “${name}” yet.`,
    blocks: [
      { type: "text", text: candidates.length ? `Which partner did you mean by *${name}*?` : `No partner is called *${name}* yet. Create it and open the case?` },
      {
        type: "actions",
        actions: [
          ...candidates.map((c) => ({ id: "case.quick-with-partner", label: `Use ${c.name}`.slice(0, 70), value: value(c.id) })),
          { id: "case.quick-create-partner", label: `Create “${name}”`.slice(0, 70), value: text.slice(0, 1900), style: "primary" as const },
        ],
      },
    ],
  };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(value);
}
