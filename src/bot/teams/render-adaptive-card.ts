// The neutral message view as an Adaptive Card 1.5 for Teams: text, facts, context, dividers and buttons.
import type { Action, Block, MessageView } from "../views/view.js";
import type { Opener } from "./activity-parts.js";
import { toTeamsMarkdown } from "./teams-markdown.js";

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  fallbackText?: string;
  body: CardElement[];
  actions?: CardElement[];
}

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
const CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
/** Teams refuses bigger cards (and messages over ~28 KB of card JSON render badly on mobile). */
export const MAX_CARD_BYTES = 28 * 1024;

export function renderMessageCard(view: MessageView): AdaptiveCard {
  return capCardSize(card(renderBlocks(view.blocks), view.text));
}

export function card(body: CardElement[], fallbackText?: string, actions?: CardElement[]): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: CARD_SCHEMA,
    version: "1.5",
    ...(fallbackText ? { fallbackText } : {}),
    body,
    ...(actions?.length ? { actions } : {}),
  };
}

/** A divider marks the next element with a separator line (Adaptive Cards have no divider element). */
function renderBlocks(blocks: Block[]): CardElement[] {
  const out: CardElement[] = [];
  let isSeparated = false;
  for (const block of blocks) {
    if (block.type === "divider") {
      isSeparated = out.length > 0;
      continue;
    }
    const element = renderBlock(block);
    if (!element) continue;
    out.push(isSeparated ? { ...element, separator: true, spacing: "Medium" } : element);
    isSeparated = false;
  }
  return out;
}

function renderBlock(block: Exclude<Block, { type: "divider" }>): CardElement | undefined {
  switch (block.type) {
    case "header":
      return block.text.trim() ? { type: "TextBlock", text: block.text, size: "Large", weight: "Bolder", wrap: true } : undefined;
    case "text":
      return { type: "TextBlock", text: toTeamsMarkdown(block.text), wrap: true };
    case "fields":
      return block.fields.length ? { type: "FactSet", facts: block.fields.map((f) => ({ title: f.label, value: f.value })) } : undefined;
    case "context":
      return { type: "TextBlock", text: toTeamsMarkdown(block.text), size: "Small", isSubtle: true, wrap: true };
    case "actions":
      return block.actions.length ? { type: "ActionSet", actions: block.actions.map(renderAction) } : undefined;
  }
}

/**
 * Buttons that act at once are Universal Actions (Action.Execute → `adaptiveCard/action`, verb = intent).
 * Buttons that open a form must be task/fetch submits: Teams opens a dialog only from a click on one.
 */
export function renderAction(action: Action): CardElement {
  const style = action.style === "primary" ? { style: "positive" } : action.style === "danger" ? { style: "destructive" } : {};
  if (action.url) return { type: "Action.OpenUrl", title: action.label, url: action.url, ...style };
  if (action.opensForm) {
    const from: Opener = { kind: "action", verb: action.id, value: action.value ?? "" };
    return { type: "Action.Submit", title: action.label, data: taskFetchData(from), ...style };
  }
  return { type: "Action.Execute", title: action.label, verb: action.id, data: { value: action.value ?? "" }, ...style };
}

/** The data of a button that opens a dialog: Teams sends it back in the `task/fetch` invoke. */
export function taskFetchData(from: Opener): Record<string, unknown> {
  return { msteams: { type: "task/fetch" }, opener: from };
}

/** Drops trailing elements (with a note) until the card fits; a card over the limit is refused outright. */
export function capCardSize(c: AdaptiveCard): AdaptiveCard {
  if (byteSize(c) <= MAX_CARD_BYTES) return c;
  const note: CardElement = { type: "TextBlock", text: "…shortened to fit Teams. Ask Switchboard for the rest.", size: "Small", isSubtle: true, wrap: true };
  const body = [...c.body];
  while (body.length > 0 && byteSize({ ...c, body: [...body, note] }) > MAX_CARD_BYTES) body.pop();
  return { ...c, body: [...body, note] };
}

function byteSize(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}
