// Opening a claim: from the form (also prefilled from a chat message) and from the one-line quick form.
import { claimCard } from "../../bot/views/claim-card.js";
import { claimForm } from "../../bot/views/claim-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, privateMessage, type MessageView, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { claimReference, findCategory, parseQuickClaim, type ClaimKind, type ClaimPriority } from "../../domain/claims.js";
import { policy } from "../../domain/policy.js";
import { recordCreated } from "../automation/events.js";
import type { Deps } from "../deps.js";
import { notifyUser } from "../notify-user.js";
import type { ActorUser, Who } from "../resolve-actor.js";
import { createPartner, matchPartner, partnerFromFormValue } from "../resolve-partner.js";
import { storeAttachments, type FileSource } from "./attachments.js";
import { addTimeline, notifyResponsible, publishClaimCard } from "./claim-notify.js";
import { loadClaim, purchasingTeamIds } from "./load-claim.js";

export interface NewClaim {
  kind: ClaimKind;
  subject: string;
  partnerId: string | null;
  categoryId: string | null;
  sourceDocument?: string;
  responsibleId: string | null;
  deadline?: Date;
  priority: ClaimPriority;
  description?: string;
  sourceLink?: string;
  /** The team, when the caller knows it (the alias an email came to); else the category's or the creator's. */
  teamId?: string;
  /** Who opened it when no user did (the mail gateway): "Email from jane@acme.com". */
  openedBy?: string;
}

export function listCategories(db: Deps["db"] | Tx) {
  return db.claimCategory.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, teamId: true } });
}

/** Submit of the claim form. Files of the source message (context.files) are downloaded after the claim is saved. */
export async function submitClaimForm(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>, files?: FileSource): Promise<Reply> {
  const form = claimForm(who.user.timeZone, who.user, []);
  const parsed = parseForm(form, values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const allowed = policy.openClaim(who.actor, input.kind, await purchasingTeamIds(deps.db));
  if (!allowed.ok) return { kind: "errors", errors: { kind: allowed.reason } };
  if (input.category && !(await deps.db.claimCategory.findUnique({ where: { id: input.category } }))) return { kind: "errors", errors: { category: "That category no longer exists. Choose another." } };
  if (input.responsible) {
    const person = await deps.db.user.findUnique({ where: { id: input.responsible }, select: { isActive: true } });
    if (!person?.isActive) return { kind: "errors", errors: { responsible: "That person is not an active Switchboard user. Choose another." } };
  }
  const claimId = await deps.db.$transaction(async (tx) => {
    const partnerId = await partnerFromFormValue(tx, deps, input.partner, who.user.id);
    return createClaim(tx, deps, who, {
      kind: input.kind,
      subject: input.subject,
      partnerId,
      categoryId: input.category ?? null,
      sourceDocument: input.sourceDocument,
      responsibleId: input.responsible ?? who.user.id,
      deadline: input.deadline,
      priority: input.priority,
      description: input.description,
      sourceLink: context.sourceLink,
    });
  });
  if (context.files && files) void keepFiles(deps, claimId, who, files, context.files);
  return { kind: "done", view: await cardFor(deps, claimId, who.user) };
}

/** `/crm claim [supplier] Acme: 3 units arrived broken #shipment !high ref:INV-2026-0042`. */
export async function quickOpenClaim(deps: Deps, who: Who, text: string, opts: { createPartner?: boolean } = {}): Promise<Reply> {
  const parsed = parseQuickClaim(text);
  if (!parsed.ok) return privateMessage(notice(parsed.reason));
  const q = parsed.value;
  const allowed = policy.openClaim(who.actor, q.kind, await purchasingTeamIds(deps.db));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const categories = await listCategories(deps.db);
  const category = q.categoryName === undefined ? undefined : findCategory(categories, q.categoryName);
  if (q.categoryName !== undefined && !category) {
    const names = categories.map((c) => `#${c.name.toLowerCase().replace(/\s+/g, "-")}`).join(", ");
    return privateMessage(notice(`There is no claim category “${q.categoryName}”.`, `Categories: ${names || "none yet"}.`));
  }
  const match = opts.createPartner ? ({ kind: "none" } as const) : await matchPartner(deps, q.partnerName);
  if (match.kind === "several" || (match.kind === "none" && !opts.createPartner)) {
    return privateMessage(partnerChoiceView(q.partnerName, text, match.kind === "several" ? match.candidates : []));
  }
  const claimId = await deps.db.$transaction(async (tx) => {
    const partnerId =
      match.kind === "found" ? match.id : (await createPartner(tx, deps, { kind: "company", name: q.partnerName, isSupplier: q.kind === "supplier", salespersonId: who.user.id }, who.user.id)).id;
    return createClaim(tx, deps, who, {
      kind: q.kind,
      subject: q.subject,
      partnerId,
      categoryId: category?.id ?? null,
      sourceDocument: q.sourceDocument,
      responsibleId: who.user.id,
      priority: q.priority ?? "medium",
    });
  });
  return privateMessage(await cardFor(deps, claimId, who.user));
}

/** Button "Use <partner>" after an ambiguous quick form: the value is "<partnerId>|<original text>". */
export async function quickOpenClaimWithPartner(deps: Deps, who: Who, value: string): Promise<Reply> {
  const bar = value.indexOf("|");
  const partner = bar > 0 ? await deps.db.partner.findUnique({ where: { id: value.slice(0, bar) }, select: { name: true } }).catch(() => null) : null;
  if (!partner) return privateMessage(notice("That partner no longer exists. Run the command again."));
  const text = value.slice(bar + 1);
  const supplier = /^\s*supplier\s+/i.test(text) ? "supplier " : "";
  return quickOpenClaim(deps, who, `${supplier}${partner.name}:${text.slice(text.indexOf(":") + 1)}`);
}

/**
 * Saves the claim, routed to its category's team (OCA: the category sets the team) or else the creator's first team,
 * writes the timeline, posts the channel card and DMs the responsible. Returns the claim id.
 * `who` is null when no person opened it (an email to a team alias): then `input.teamId` and `input.openedBy` are used.
 */
export async function createClaim(tx: Tx, deps: Deps, who: Who | null, input: NewClaim): Promise<string> {
  const category = input.categoryId ? await tx.claimCategory.findUnique({ where: { id: input.categoryId } }) : null;
  const firstTeam = who ? await tx.teamMember.findFirst({ where: { userId: who.user.id }, orderBy: { joinedAt: "asc" }, select: { teamId: true } }) : null;
  const teamId = input.teamId ?? category?.teamId ?? firstTeam?.teamId ?? null;
  const claim = await tx.claim.create({
    data: {
      kind: input.kind,
      subject: input.subject,
      partnerId: input.partnerId,
      categoryId: input.categoryId,
      teamId,
      sourceDocument: input.sourceDocument ?? null,
      responsibleId: input.responsibleId,
      createdById: who?.user.id ?? null,
      deadline: input.deadline ?? null,
      priority: input.priority,
      description: input.description ?? null,
      sourceLink: input.sourceLink ?? null,
    },
  });
  const summary = `Opened ${input.kind} claim ${claimReference(claim.number)}: ${input.subject}`;
  if (who) await addTimeline(tx, claim.id, who.user.id, "created", summary);
  else await tx.timelineEntry.create({ data: { recordType: "claim", recordId: claim.id, kind: "created", actorId: null, summary: `${input.openedBy ?? "Someone"}: ${summary}`.slice(0, 500) } });
  await recordCreated(tx, deps, "claim", claim.id, who?.user.id ?? null);
  const isPosted = await publishClaimCard(tx, deps, claim.id);
  // A supplier claim routed to a team outside purchasing is not posted there: only the responsible hears of it.
  if (!isPosted) deps.logger.debug({ claimId: claim.id, kind: input.kind }, "claim card not posted to a channel");
  await notifyResponsible(tx, deps, claim.id, `${who?.user.name ?? input.openedBy ?? "Someone"} made you responsible for a claim.`, who?.user.id ?? "");
  return claim.id;
}

async function keepFiles(deps: Deps, claimId: string, who: Who, files: FileSource, refs: string): Promise<void> {
  try {
    const notes = await storeAttachments(deps, claimId, who.user.id, await files(refs));
    if (notes.length) {
      const person = await deps.db.user.findUniqueOrThrow({ where: { id: who.user.id } });
      await deps.db.$transaction((tx) => notifyUser(tx, person, notice(`Some files were not kept with the claim.`, notes.join(" "))));
    }
  } catch (error) {
    deps.logger.error({ err: error, claimId }, "could not keep the files of a claim's message");
    await reportFilesLost(deps, claimId, who).catch((err: unknown) => deps.logger.error({ err, claimId }, "could not record that a claim's files were not kept"));
  }
}

/** After an unexpected failure keeping the files: the claim's timeline and the person who opened it say so. */
async function reportFilesLost(deps: Deps, claimId: string, who: Who): Promise<void> {
  const text = "An error stopped the files of the message from being kept with the claim: some or all are missing. Attach them again if they are needed.";
  await deps.db.$transaction(async (tx) => {
    await addTimeline(tx, claimId, who.user.id, "attachment-skipped", text);
    const person = await tx.user.findUnique({ where: { id: who.user.id } });
    if (person) await notifyUser(tx, person, notice("Some files were not kept with the claim.", text), { dedupeKey: `claim-files-lost:${claimId}` });
  });
}

export async function cardFor(deps: Deps, claimId: string, user: ActorUser, notes: string[] = []): Promise<MessageView> {
  const claim = await loadClaim(deps.db, { id: claimId });
  if (!claim) return notice("That claim no longer exists.");
  return claimCard(claim, user.timeZone, deps.now(), notes);
}

function partnerChoiceView(name: string, text: string, candidates: { id: string; name: string }[]): MessageView {
  const value = (id: string) => `${id}|${text}`.slice(0, 1900);
  return {
    text: candidates.length ? `Which partner did you mean by “${name}”?` : `No partner is called “${name}” yet.`,
    blocks: [
      { type: "text", text: candidates.length ? `Which partner did you mean by *${name}*?` : `No partner is called *${name}* yet. Create it and open the claim?` },
      {
        type: "actions",
        actions: [
          ...candidates.map((c) => ({ id: "claim.quick-with-partner", label: `Use ${c.name}`.slice(0, 70), value: value(c.id) })),
          { id: "claim.quick-create-partner", label: `Create “${name}”`.slice(0, 70), value: text.slice(0, 1900), style: "primary" as const },
        ],
      },
    ],
  };
}
