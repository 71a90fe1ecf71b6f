// Capturing a lead: the form (blank or from a chat message) and the one-line quick form. The answer is the new
// lead's card, which already lists its possible duplicates, so the person sees them at once.
import { leadCard } from "../../bot/views/lead-card.js";
import { leadForm, type LeadFormInput } from "../../bot/views/lead-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { parseQuickLead } from "../../domain/lead-quick-form.js";
import { firstOpenStage, leadReference, matchKeys } from "../../domain/leads.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordCreated } from "../automation/events.js";
import { channelChoices, channelIdByCode, checkChannelChoice, type ChannelCode } from "../channels/channel-choices.js";
import type { ActorUser, Who } from "../resolve-actor.js";
import { notifySalesperson, publishLeadCard } from "./lead-notify.js";
import { leadCardData, loadLead, pipelineOfTeam } from "./load-lead.js";

export interface NewLead {
  title: string;
  contactName?: string;
  companyName?: string;
  email?: string;
  phone?: string;
  salespersonId: string | null;
  teamId: string | null;
  tags: string[];
  /** A channel chosen in a form (its id), or the one the way in implies (its code: "email" for an email). */
  channel: { id: string | null } | { code: ChannelCode };
  campaignId?: string | null;
  referredBy?: string;
  notes?: string;
  expectedRevenue?: number;
  priority?: number;
  sourceLink?: string;
}

export type CaptureHow = "quick form" | "form" | "from a message" | "email";

/**
 * Stores the lead in the first open stage of its team's pipeline (Odoo's default stage, notes §1.1) with that stage's
 * probability, writes the timeline, posts the card to the team's channels and DMs a salesperson who is not the captor.
 * `user` is null when no person captured it (an email to a team alias).
 */
export async function createLead(tx: Tx, deps: Deps, user: ActorUser | null, input: NewLead, how: CaptureHow): Promise<string> {
  const stage = firstOpenStage(await pipelineOfTeam(tx, input.teamId));
  if (!stage) throw new Error(`no open lead stage for team ${input.teamId ?? "(shared)"}`);
  const created = await tx.lead.create({
    data: {
      title: input.title,
      contactName: input.contactName ?? null,
      companyName: input.companyName ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      ...matchKeys(input),
      salespersonId: input.salespersonId,
      teamId: input.teamId,
      createdById: user?.id ?? null,
      tags: input.tags,
      channelId: "code" in input.channel ? await channelIdByCode(tx, input.channel.code) : input.channel.id,
      campaignId: input.campaignId ?? null,
      referredBy: input.referredBy ?? null,
      notes: input.notes ?? null,
      expectedRevenue: input.expectedRevenue ?? null,
      priority: input.priority ?? 0,
      stageId: stage.id,
      probability: stage.probability,
      stageChangedAt: deps.now(),
      sourceLink: input.sourceLink ?? null,
    },
    select: { id: true, number: true, type: true },
  });
  await tx.timelineEntry.create({
    data: { recordType: "lead", recordId: created.id, kind: "created", actorId: user?.id ?? null, summary: `Captured ${user ? `by ${user.name} ` : ""}(${how}): ${leadReference(created)} ${input.title}`.slice(0, 500) },
  });
  await recordCreated(tx, deps, "lead", created.id, user?.id ?? null);
  await publishLeadCard(tx, deps, created.id);
  if (input.salespersonId && input.salespersonId !== user?.id) await notifySalesperson(tx, deps, created.id, `${user?.name ?? "An email"} captured a lead for you.`);
  return created.id;
}

/** The person's sales teams, first joined first: the form's choices and the default team. */
async function salesTeamsOf(deps: Deps, userId: string) {
  const [all, mine] = [
    await deps.db.team.findMany({ where: { kind: "sales" }, orderBy: { name: "asc" }, select: { id: true, name: true }, take: 100 }),
    await deps.db.teamMember.findFirst({ where: { userId, team: { kind: "sales" } }, orderBy: [{ joinedAt: "asc" }, { teamId: "asc" }], select: { teamId: true } }),
  ];
  return { options: all.map((t) => ({ value: t.id, label: t.name.slice(0, 75) })), firstTeamId: mine?.teamId };
}

const me = (user: ActorUser) => ({ value: user.id, label: `${user.name} (${user.email})`.slice(0, 75) });

export async function newLeadForm(deps: Deps, who: Who): Promise<Reply> {
  const allowed = policy.captureLead(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const [teams, choices] = await Promise.all([salesTeamsOf(deps, who.user.id), channelChoices(deps.db, deps.now())]);
  return openForm(leadForm({ teams: teams.options, ...choices }, { salesperson: me(who.user), teamId: teams.firstTeamId, channelId: await channelIdByCode(deps.db, "direct") }));
}

/** "Create lead from message": the message text becomes the notes, its first line the title; the link is kept. */
export async function leadFormFromMessage(deps: Deps, who: Who, message: { text: string; link?: string }): Promise<Reply> {
  const allowed = policy.captureLead(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const [teams, choices] = await Promise.all([salesTeamsOf(deps, who.user.id), channelChoices(deps.db, deps.now())]);
  const text = message.text.trim().slice(0, 9000);
  const firstLine = text.split("\n")[0]?.trim().slice(0, 150) ?? "";
  return openForm(
    leadForm({ teams: teams.options, ...choices }, {
      channelId: await channelIdByCode(deps.db, "chat"),
      title: firstLine || undefined,
      notes: text || undefined,
      salesperson: me(who.user),
      teamId: teams.firstTeamId,
      formTitle: "Create lead from message",
      intro: "Capturing a lead from a chat message; a link to it is kept on the lead.",
      context: message.link ? { sourceLink: message.link.slice(0, 1000) } : {},
    }),
  );
}

export async function submitLeadForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const allowed = policy.captureLead(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseForm(leadForm({ teams: [], channels: [], campaigns: [] }, {}, { forSubmit: true }), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const routed = await routeLead(deps, who.user, input);
  if (!routed.ok) return { kind: "errors", errors: routed.errors };
  const sourceLink = /^https?:\/\//i.test(context.sourceLink ?? "") ? context.sourceLink!.slice(0, 1000) : undefined;
  const view = await deps.db.$transaction(async (tx) => {
    const id = await createLead(
      tx,
      deps,
      who.user,
      {
        title: input.title,
        contactName: input.contactName,
        companyName: input.companyName,
        email: input.email,
        phone: input.phone,
        salespersonId: routed.salespersonId,
        teamId: routed.teamId,
        tags: input.tags ?? [],
        channel: { id: routed.channelId },
        campaignId: routed.campaignId,
        referredBy: input.referredBy,
        notes: input.notes,
        expectedRevenue: input.expectedRevenue,
        sourceLink,
      },
      sourceLink ? "from a message" : "form",
    );
    return cardFor(tx, deps, who.user, id);
  });
  return { kind: "done", view };
}

type Routed = { ok: true; salespersonId: string | null; teamId: string | null; channelId: string | null; campaignId: string | null } | { ok: false; errors: Record<string, string> };

/** The salesperson must be active; the team must be a sales team; the channel and campaign in use (a forged or stale id gets a field error). */
async function routeLead(deps: Deps, user: ActorUser, input: LeadFormInput): Promise<Routed> {
  const errors: Record<string, string> = {};
  let salespersonId: string | null = null;
  if (input.salesperson) {
    const person = await deps.db.user.findUnique({ where: { id: input.salesperson }, select: { id: true, isActive: true } });
    if (!person) errors.salesperson = "Choose the salesperson from the list.";
    else if (!person.isActive) errors.salesperson = "That person's account is deactivated; choose someone active.";
    else salespersonId = person.id;
  }
  let teamId: string | null = null;
  if (input.team) {
    const team = await deps.db.team.findUnique({ where: { id: input.team }, select: { id: true, kind: true, name: true } });
    if (!team) errors.team = "That team no longer exists; choose another.";
    else if (team.kind !== "sales") errors.team = `${team.name} is not a sales team; choose a sales team.`;
    else teamId = team.id;
  } else {
    teamId = (await salesTeamsOf(deps, salespersonId ?? user.id)).firstTeamId ?? null;
  }
  const source = await checkChannelChoice(deps.db, deps.now(), { channel: input.channel, campaign: input.campaign });
  if (!source.ok) Object.assign(errors, source.errors);
  return Object.keys(errors).length || !source.ok ? { ok: false, errors } : { ok: true, salespersonId, teamId, channelId: source.channelId, campaignId: source.campaignId };
}

/** `/crm lead Jane Roe, Globex, jane@globex.com: wants 40 seats #saas`: the person is the salesperson, their first sales team the team. */
export async function quickCaptureLead(deps: Deps, who: Who, text: string): Promise<Reply> {
  const allowed = policy.captureLead(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const parsed = parseQuickLead(text);
  if (!parsed.ok) return privateMessage(notice(parsed.reason));
  const q = parsed.value;
  const teamId = (await salesTeamsOf(deps, who.user.id)).firstTeamId ?? null;
  const view = await deps.db.$transaction(async (tx) => {
    const id = await createLead(tx, deps, who.user, { ...q, salespersonId: who.user.id, teamId, channel: { code: "direct" } }, "quick form");
    return cardFor(tx, deps, who.user, id);
  });
  return privateMessage(view);
}

async function cardFor(tx: Tx, deps: Deps, user: ActorUser, id: string): Promise<MessageView> {
  const lead = await loadLead(tx, id);
  return leadCard(await leadCardData(tx, lead!), user.timeZone, deps.now());
}
