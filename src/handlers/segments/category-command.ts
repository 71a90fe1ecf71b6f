// `/crm category`: the categories with their counts, one category's members and why, and adding or removing by hand.
import { CATEGORY_BUTTONS, categoryCardView, categoryListView, evaluatedView, MEMBERS_SHOWN } from "../../bot/views/category-list.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { matchPartner } from "../resolve-partner.js";
import { categoryNames, findCategoryById, findCategoryByName, listCategories, membersOf, type CategoryRow } from "./category-store.js";
import { evaluateCategory } from "./evaluate.js";
import { addMemberByHand, removeMemberByHand } from "./manual-membership.js";

export { CATEGORY_BUTTONS };

const DEFAULT_PREFIX = "/crm ";

/** "GOLD", "GOLD add Acme Corp", "\"Key accounts\" remove Acme": the category, and the change if any. */
export function parseCategoryArgs(args: string): { name: string; change?: { verb: "add" | "remove"; partner: string } } {
  const text = args.trim();
  const quoted = /^"([^"]+)"\s*(.*)$/.exec(text);
  const [name, rest] = quoted ? [quoted[1]!.trim(), quoted[2]!.trim()] : splitChange(text);
  const change = /^(add|remove)(?:\s+(.*))?$/i.exec(rest);
  if (!change) return { name: rest ? `${name} ${rest}`.trim() : name };
  return { name, change: { verb: change[1]!.toLowerCase() as "add" | "remove", partner: (change[2] ?? "").trim() } };
}

function splitChange(text: string): [string, string] {
  const at = /\s(add|remove)(\s|$)/i.exec(text);
  return at ? [text.slice(0, at.index).trim(), text.slice(at.index).trim()] : [text, ""];
}

export async function runCategoryCommand(deps: Deps, who: Who, args: string, prefix = DEFAULT_PREFIX): Promise<Reply> {
  const viewing = policy.viewCategory(who.actor);
  if (!viewing.ok) return privateMessage(notice(viewing.reason));
  if (!args.trim()) return showCategoryList(deps, who, prefix);
  const { name, change } = parseCategoryArgs(args);
  const category = await findCategoryByName(deps.db, name);
  if (!category) return privateMessage(await unknownCategory(deps, name, prefix));
  if (!change) return privateMessage(await categoryCard(deps, who, category, prefix));
  return changeByHand(deps, who, category, change, prefix);
}

async function showCategoryList(deps: Deps, who: Who, prefix: string): Promise<Reply> {
  const categories = await listCategories(deps.db);
  return privateMessage(categoryListView(categories, { canManage: policy.manageCategories(who.actor).ok, prefix }));
}

async function unknownCategory(deps: Deps, name: string, prefix: string) {
  const names = await categoryNames(deps.db);
  return notice(`There is no category named “${name}”.`, names.length ? `Categories: ${names.join(", ")}. See them all with \`${prefix}category\`.` : "There are no categories yet.");
}

async function categoryCard(deps: Deps, who: Who, category: CategoryRow, prefix: string) {
  const { members, total } = await membersOf(deps.db, category.id, MEMBERS_SHOWN);
  return categoryCardView({ ...category, members, total }, { canManage: policy.manageCategories(who.actor).ok, prefix, timeZone: who.user.timeZone, now: deps.now() });
}

/** The "show" button of the list. */
export async function showCategoryById(deps: Deps, who: Who, categoryId: string): Promise<Reply> {
  const category = await findCategoryById(deps.db, categoryId);
  if (!category) return privateMessage(notice("That category no longer exists."));
  return privateMessage(await categoryCard(deps, who, category, DEFAULT_PREFIX));
}

/** The "Re-evaluate now" button: every partner against the criteria, answered with what changed. */
export async function reevaluateCategoryNow(deps: Deps, who: Who, categoryId: string): Promise<Reply> {
  const allowed = policy.manageCategories(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const outcome = await evaluateCategory(deps, categoryId);
  if (!outcome) return privateMessage(notice("That category no longer exists."));
  return privateMessage(evaluatedView(outcome.category, outcome));
}

async function changeByHand(deps: Deps, who: Who, category: CategoryRow, change: { verb: "add" | "remove"; partner: string }, prefix: string): Promise<Reply> {
  const allowed = policy.manageCategories(who.actor);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  if (!change.partner) return privateMessage(notice(`Say which partner, e.g. \`${prefix}category ${category.name} ${change.verb} Acme\`.`));
  const match = await matchPartner(deps, change.partner);
  if (match.kind === "none") return privateMessage(notice(`No partner is called “${change.partner}”.`, "Check the spelling, or type the start of the name."));
  if (match.kind === "several") return privateMessage(notice(`Several partners match “${change.partner}”: ${match.candidates.map((c) => c.name).join(", ")}.`, "Type the full name."));
  if (change.verb === "add") {
    const outcome = await addMemberByHand(deps, category, match.id, who.user.name);
    if (outcome.kind === "already") return privateMessage(notice(`${match.name} is already in ${category.name} (added by hand).`));
    if (outcome.kind === "made manual") return privateMessage(notice(`${match.name} was in ${category.name} by its criteria; it now stays there even when they stop matching.`));
    return privateMessage(notice(`${match.name} added to ${category.name}.`));
  }
  const outcome = await removeMemberByHand(deps, category, match.id);
  if (outcome.kind === "not a member") return privateMessage(notice(`${match.name} is not in ${category.name}.`));
  if (outcome.kind === "by criteria") return privateMessage(notice(`${match.name} is in ${category.name} by its criteria (${outcome.reason}), so it cannot be removed by hand.`, "Change the category's criteria to leave it out."));
  if (outcome.kind === "kept by criteria") return privateMessage(notice(`${match.name} is no longer in ${category.name} by hand, but stays by its criteria: ${outcome.reason}.`));
  return privateMessage(notice(`${match.name} removed from ${category.name}.`));
}
