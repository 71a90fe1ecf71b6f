// Opening the claim form (blank or from a chat message) and the small forms behind the card's buttons.
import { claimForm, closeForm, noteForm, reassignForm, repairForm, rootCauseForm } from "../../bot/views/claim-forms.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { claimFor, readClaimButton, type LoadedClaim } from "./load-claim.js";
import { cardFor, listCategories } from "./open-claim.js";

export async function newClaimForm(deps: Deps, who: Who): Promise<Reply> {
  return openForm(claimForm(who.user.timeZone, who.user, await listCategories(deps.db)));
}

/**
 * "Open claim from message": the message text and a link to it become the description; `files` are the
 * platform's references to the message's files, kept through the form and downloaded once the claim is saved.
 */
export async function claimFormFromMessage(deps: Deps, who: Who, message: { text: string; link?: string; files?: string }): Promise<Reply> {
  const text = message.text.trim().slice(0, 4500);
  const description = message.link ? `${text}\n\nFrom: ${message.link}` : text;
  const subject = text.split("\n")[0]?.slice(0, 120) || undefined;
  const intro = message.files ? "Opening a claim from a chat message. Its files are kept with the claim." : "Opening a claim from a chat message.";
  return openForm(
    claimForm(who.user.timeZone, who.user, await listCategories(deps.db), { subject, description, sourceLink: message.link, files: message.files, intro, title: "Claim from message" }),
  );
}

type ButtonForm = "note" | "root-cause" | "repair" | "close" | "reassign";

/** A card button that opens a form: refused when the person may not change the claim, or the card is out of date. */
export async function claimButtonForm(deps: Deps, who: Who, which: ButtonForm, value: string): Promise<Reply> {
  const found = await claimOfButton(deps, who, value, "change", { checkVersion: true });
  if (!found.ok) return found.reply;
  const { claim } = found;
  if (which === "close" && (claim.state === "settled" || claim.state === "rejected")) return privateMessage(notice("The claim is already closed."));
  switch (which) {
    case "note":
      return openForm(noteForm(claim.id, claim.version));
    case "root-cause":
      return openForm(rootCauseForm(claim.id, claim.version, claim.rootCause));
    case "repair":
      return openForm(repairForm(claim.id, claim.version));
    case "close":
      return openForm(closeForm(claim.id, claim.version, claim.rootCause));
    case "reassign":
      return openForm(reassignForm(claim.id, claim.version));
  }
}

/**
 * The claim a card button names ("<id>:<version>"), if the person may see it (`view`) or change it (`change`).
 * Otherwise the reply to give: the button is malformed, the claim is hidden or gone, or (with `checkVersion`)
 * the card is out of date, answered with the claim's current card.
 */
export async function claimOfButton(
  deps: Deps,
  who: Who,
  value: string,
  mode: "view" | "change",
  opts: { checkVersion?: boolean } = {},
): Promise<{ ok: true; claim: LoadedClaim } | { ok: false; reply: Reply }> {
  const button = readClaimButton(value);
  if (!button) return { ok: false, reply: privateMessage(notice("That button is out of date. Run /crm claims again.")) };
  const found = await claimFor(deps.db, who.actor, { id: button.id }, mode);
  if (!found.ok) return { ok: false, reply: privateMessage(notice(found.reason)) };
  if (opts.checkVersion && found.claim.version !== button.version) {
    return { ok: false, reply: privateMessage(await cardFor(deps, found.claim.id, who.user, ["The card was out of date; this is the claim now."])) };
  }
  return found;
}
