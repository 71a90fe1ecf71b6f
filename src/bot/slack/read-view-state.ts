// A submitted modal as our neutral `{fieldId: string}` map (block_id = field id) plus the form's context.
import { formContext, type ViewStateElement } from "./payloads.js";

export function readViewState(values: Record<string, Record<string, ViewStateElement>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, elements] of Object.entries(values)) {
    const element = Object.values(elements)[0];
    const value = element && readElement(element);
    if (value !== undefined) out[blockId] = value;
  }
  return out;
}

function readElement(element: ViewStateElement): string | undefined {
  if (element.selected_option) return element.selected_option.value;
  // Checkboxes: the checked values joined by "," (what the Teams multi-select ChoiceSet submits too).
  if (element.selected_options) return element.selected_options.map((o) => o.value).join(",");
  const at = element.selected_date_time;
  // datetimepicker gives Unix seconds; the forms read ISO 8601 instants.
  if (typeof at === "number") {
    const instant = new Date(at * 1000);
    return Number.isNaN(instant.getTime()) ? String(at) : instant.toISOString();
  }
  if (typeof at === "string") return at;
  return element.selected_date ?? element.value ?? undefined;
}

/** The form context carried in private_metadata; a missing or foreign value is an empty context. */
export function readFormContext(privateMetadata: string | undefined): Record<string, string> {
  if (!privateMetadata) return {};
  try {
    const parsed = formContext.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
