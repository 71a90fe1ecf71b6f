// "Edit" on a claim card: subject, category, deadline, priority, source document, description.
// A new category re-routes the claim to the category's team (OCA: the category sets the team); the card the old
// team's channel showed is updated too, and a supplier claim is still only ever posted to a purchasing team's channel.
import { claimCard } from "../../bot/views/claim-card.js";
import { claimEditForm } from "../../bot/views/claim-forms.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { claimEditChanges, claimReference } from "../../domain/claims.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { postToTeamChannels } from "../team-channels.js";
import { changeClaim, done } from "./claim-actions.js";
import { claimSubjectKey } from "./claim-notify.js";
import { claimOfButton } from "./claim-forms.js";
import { claimFor, loadClaim, readClaimForm } from "./load-claim.js";
import { cardFor, listCategories } from "./open-claim.js";

export async function openClaimEditForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const found = await claimOfButton(deps, who, value, "change", { checkVersion: true });
  if (!found.ok) return found.reply;
  const { claim } = found;
  return openForm(claimEditForm(claim, who.user.timeZone, await listCategories(deps.db)));
}

const BLANK = { id: "", version: 0, subject: "", categoryId: null, deadline: null, priority: "medium" as const, sourceDocument: null, description: null };

export async function submitClaimEdit(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const parsed = parseForm(claimEditForm(BLANK, who.user.timeZone, []), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const target = readClaimForm(context);
  if (!target) return privateMessage(notice("That form is out of date. Open it again."));
  const category = input.category ? await deps.db.claimCategory.findUnique({ where: { id: input.category }, include: { team: { select: { id: true, name: true, kind: true } } } }) : null;
  if (input.category && !category) return { kind: "errors", errors: { category: "That category no longer exists. Choose another." } };
  const data = {
    subject: input.subject,
    categoryId: category?.id ?? null,
    deadline: input.deadline ?? null,
    priority: input.priority,
    sourceDocument: input.sourceDocument ?? null,
    description: input.description ?? null,
  };
  // Nothing changed: a field error keeps the form open (checked again on the versioned change below).
  const current = await claimFor(deps.db, who.actor, { id: target.id }, "change");
  if (current.ok && current.claim.version === target.version && !claimEditChanges(current.claim, data).length) return { kind: "errors", errors: { subject: "Nothing was changed." } };
  let notes: string[] = [];
  const reply = await changeClaim(deps, who, target.id, target.version, (claim) => {
    const changes = claimEditChanges(claim, data, category?.name);
    if (!changes.length) return { ok: false, reason: "Nothing was changed." };
    // A category without a team leaves the claim where it is.
    const moves = Boolean(category?.team && category.team.id !== claim.teamId);
    if (moves) changes.push(`moved to ${category!.team!.name}`);
    const hidden = moves && claim.kind === "supplier" && category!.team!.kind !== "purchasing" ? category!.team!.name : undefined;
    const also = async (tx: Tx) => {
      if (moves && claim.teamId) await updateOldTeamCard(tx, deps, claim.id, claim.teamId);
      if (hidden) notes = [`${hidden} is not a purchasing team: this supplier claim is not posted to its channel.`];
      return true;
    };
    return { ok: true, data: { ...data, ...(moves ? { teamId: category!.team!.id } : {}) }, kind: moves ? "team-changed" : "edited", summary: `${who.user.name} changed ${changes.join(", ")}`, also };
  });
  if (notes.length && reply.kind === "message") return { kind: "done", view: await cardFor(deps, target.id, who.user, ["✅ Saved.", ...notes]) };
  return done(reply);
}

/** The team the claim left sees its card change in place (supplier claims only where purchasing may see them). */
async function updateOldTeamCard(tx: Tx, deps: Deps, claimId: string, teamId: string): Promise<void> {
  const claim = await loadClaim(tx, { id: claimId });
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { id: true, kind: true, slackChannelId: true, teamsConversationId: true, managerId: true } });
  if (!claim || !team || (claim.kind === "supplier" && team.kind !== "purchasing")) return;
  const view = claimCard(claim, "UTC", deps.now(), [`Moved to another team (${claimReference(claim.number)}).`]);
  await postToTeamChannels(tx, team, view, { subjectKey: claimSubjectKey(claimId) });
}
