// Registers the options load listener for search fields.
import type { App } from "@slack/bolt";
import { SEARCH_ACTION_PREFIX } from "../../render-block-kit.js";
import type { SlackSurface } from "../../slack-surface.js";
import { searchOptionsListener } from "./search-options.js";

export function registerOptions(app: App, surface: SlackSurface): void {
  app.options<"block_suggestion">({ type: "block_suggestion", action_id: new RegExp(`^${SEARCH_ACTION_PREFIX}`) }, searchOptionsListener(surface));
}
