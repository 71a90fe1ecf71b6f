// Type-ahead for a form's search field (Input.ChoiceSet with Data.Query → `application/search`).
import type { SearchInvokeResponse, TurnContext } from "botbuilder";
import type { Deps } from "../../../handlers/deps.js";
import { searchOptions } from "../../dispatch.js";
import { searchValue } from "../activity-parts.js";
import { admissionOf } from "../identity.js";

const SEARCH_RESPONSE_TYPE = "application/vnd.microsoft.search.searchResponse";

export async function onSearch(deps: Deps, ctx: TurnContext): Promise<SearchInvokeResponse> {
  const admission = admissionOf(ctx);
  const parsed = searchValue.safeParse(ctx.activity.value);
  if (!admission.ok || !parsed.success) return results([]);
  const { dataset, queryText, queryOptions } = parsed.data;
  const options = await searchOptions(deps, admission.who, dataset, queryText);
  return results(options.slice(0, queryOptions?.top ?? 20).map((o) => ({ title: o.label, value: o.value })));
}

function results(items: { title: string; value: string }[]): SearchInvokeResponse {
  return { statusCode: 200, type: SEARCH_RESPONSE_TYPE, value: { results: items } };
}
