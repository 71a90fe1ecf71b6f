// What /crm category shows: every category with its member count and criteria in words, and one category's members with why.
import { describeCriteria, type Criterion } from "../../domain/segments/criteria.js";
import { formatDateTime } from "../../domain/time.js";
import { escapeMarkup, truncate, type Action, type Block, type MessageView } from "./view.js";

export const CATEGORY_BUTTONS = {
  show: "category.show",
  edit: "category.edit",
  evaluate: "category.evaluate",
} as const;

/** Members shown on a category's card; the count says how many more. */
export const MEMBERS_SHOWN = 30;
/** Slack allows 50 blocks per message: 25 categories of one block each, plus their buttons in rows of 5. */
const CATEGORIES_SHOWN = 25;

export interface CategoryListItem {
  id: string;
  name: string;
  description: string | null;
  criteria: Criterion | null;
  hasUnreadableCriteria: boolean;
  members: number;
}

export function criteriaWords(c: { criteria: Criterion | null; hasUnreadableCriteria: boolean }): string {
  if (c.hasUnreadableCriteria) return "criteria unreadable (evaluated as none): edit them";
  return c.criteria ? describeCriteria(c.criteria) : "assigned by hand";
}

export function categoryListView(categories: CategoryListItem[], opts: { canManage: boolean; prefix: string }): MessageView {
  const blocks: Block[] = [{ type: "header", text: "Partner categories" }];
  if (!categories.length) {
    const how = opts.canManage ? ` Add one with \`${opts.prefix}admin category add GOLD --criteria "{ won-revenue: { days: 365, at-least: 40000 } }"\`.` : "";
    blocks.push({ type: "text", text: `No categories yet.${how}` });
    return { text: "No partner categories yet.", blocks };
  }
  for (const c of categories.slice(0, CATEGORIES_SHOWN)) {
    const description = c.description ? ` — ${escapeMarkup(truncate(c.description, 100))}` : "";
    blocks.push({ type: "text", text: `*${escapeMarkup(c.name)}* · ${c.members} partner${c.members === 1 ? "" : "s"}${description}\n${escapeMarkup(truncate(criteriaWords(c), 300))}` });
  }
  if (categories.length > CATEGORIES_SHOWN) blocks.push({ type: "context", text: `…and ${categories.length - CATEGORIES_SHOWN} more: name one, e.g. \`${opts.prefix}category ${categories[CATEGORIES_SHOWN]!.name}\`.` });
  const buttons: Action[] = categories.slice(0, CATEGORIES_SHOWN).map((c) => ({ id: CATEGORY_BUTTONS.show, label: truncate(c.name, 70), value: c.id }));
  for (let i = 0; i < buttons.length; i += 5) blocks.push({ type: "actions", actions: buttons.slice(i, i + 5) });
  return { text: `Partner categories: ${categories.map((c) => `${c.name} (${c.members})`).join(", ")}`, blocks };
}

export interface CategoryCard {
  id: string;
  name: string;
  description: string | null;
  criteria: Criterion | null;
  hasUnreadableCriteria: boolean;
  evaluatedAt: Date | null;
  updatedAt: Date;
  members: { name: string; source: "manual" | "criteria"; reason: string }[];
  total: number;
}

export function categoryCardView(c: CategoryCard, opts: { canManage: boolean; prefix: string; timeZone: string; now: Date }): MessageView {
  const blocks: Block[] = [{ type: "header", text: `${c.name} · ${c.total} partner${c.total === 1 ? "" : "s"}` }];
  if (c.description) blocks.push({ type: "text", text: escapeMarkup(c.description) });
  const evaluated = c.evaluatedAt ? `last evaluated ${formatDateTime(c.evaluatedAt, opts.timeZone, opts.now)}` : "not evaluated yet";
  blocks.push({ type: "context", text: `Criteria: ${escapeMarkup(truncate(criteriaWords(c), 500))}${c.criteria ? ` (${evaluated})` : ""}` });
  const lines = c.members.map((m) => `*${escapeMarkup(m.name)}* — ${m.source === "manual" ? "" : "criteria: "}${escapeMarkup(truncate(m.reason, 200))}`);
  for (let i = 0; i < lines.length; i += 10) blocks.push({ type: "text", text: lines.slice(i, i + 10).join("\n") });
  if (!lines.length) blocks.push({ type: "text", text: "No partners in this category." });
  if (c.total > c.members.length) blocks.push({ type: "context", text: `Showing ${c.members.length} of ${c.total}, by name.` });
  if (opts.canManage) {
    blocks.push({ type: "context", text: `Add or remove by hand: \`${opts.prefix}category ${c.name} add Acme\`, \`${opts.prefix}category ${c.name} remove Acme\`.` });
    blocks.push({
      type: "actions",
      actions: [
        { id: CATEGORY_BUTTONS.edit, label: "Edit criteria", value: `${c.id}:${c.updatedAt.getTime()}`, opensForm: true },
        { id: CATEGORY_BUTTONS.evaluate, label: "Re-evaluate now", value: c.id },
      ],
    });
  }
  return { text: `${c.name}: ${c.total} partners — ${criteriaWords(c)}`, blocks };
}

/** `title`: what was just changed (the command line's "Category GOLD saved: …"), shown above the counts. */
export function evaluatedView(name: string, outcome: { joined: number; left: number; members: number }, title?: string): MessageView {
  const text = `${name} re-evaluated: ${outcome.joined} joined, ${outcome.left} left, ${outcome.members} partner${outcome.members === 1 ? "" : "s"} now.`;
  const counts = { type: "text" as const, text: escapeMarkup(text) };
  return title ? { text: `${title} ${text}`, blocks: [{ type: "text", text: title }, counts] } : { text, blocks: [counts] };
}
