// The partner card's line of categories, each with a short "why".
import { escapeMarkup, truncate, type Block, type MessageView } from "./view.js";

export interface PartnerCategoryLine {
  name: string;
  source: "manual" | "criteria";
  reason: string;
}

/** Adds "Categories: GOLD (won 48,000 …), Reseller (assigned by Ana Ruiz)" above the card's buttons. */
export function withCategories(card: MessageView, categories: PartnerCategoryLine[]): MessageView {
  if (!categories.length) return card;
  const line: Block = { type: "context", text: `Categories: ${categories.map((c) => `*${escapeMarkup(c.name)}* (${escapeMarkup(truncate(c.reason, 80))})`).join(", ")}` };
  const at = card.blocks.findIndex((b) => b.type === "actions");
  const blocks = at < 0 ? [...card.blocks, line] : [...card.blocks.slice(0, at), line, ...card.blocks.slice(at)];
  return { ...card, blocks };
}
