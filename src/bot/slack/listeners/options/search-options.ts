// Type-ahead for a form's search field: action_id `search:<source>` names the data set, the typed text is the query.
import type { AllMiddlewareArgs, BlockSuggestion, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import { searchOptions } from "../../../dispatch.js";
import { identify } from "../../identity.js";
import { blockSuggestion } from "../../payloads.js";
import { renderOptions, SEARCH_ACTION_PREFIX } from "../../render-block-kit.js";
import type { SlackSurface } from "../../slack-surface.js";

export function searchOptionsListener(surface: SlackSurface) {
  return async ({ ack, body, client, context }: SlackOptionsMiddlewareArgs<"block_suggestion"> & AllMiddlewareArgs): Promise<void> => {
    let isAcked = false;
    await surface.guard.run(
      "options",
      async () => {
        const query = blockSuggestion.parse(body as BlockSuggestion);
        const who = await identify(surface, client, context, query.user.id);
        const found = who.ok ? await searchOptions(surface.deps, who, query.action_id.slice(SEARCH_ACTION_PREFIX.length), query.value) : [];
        isAcked = true;
        await ack(renderOptions(found));
      },
      async () => !isAcked && ack({ options: [] }),
      { isUrgent: true },
    );
  };
}
