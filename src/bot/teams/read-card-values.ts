// A submitted Teams dialog as our neutral `{fieldId: string}` map, plus the form id, context and opener it carried.
import { z } from "zod";
import { opener, type Opener } from "./activity-parts.js";
import { DATE_SUFFIX, TIME_SUFFIX } from "./render-form-card.js";

export interface CardSubmission {
  formId: string;
  context: Record<string, string>;
  opener?: Opener;
  values: Record<string, string>;
}

const hidden = z.object({
  formId: z.string().min(1).max(100),
  context: z.record(z.string(), z.string().max(2000)).default({}),
  opener: opener.optional().catch(undefined),
});

const RESERVED = new Set(["formId", "context", "opener", "msteams"]);

/** Undefined when the data is not one of our forms (an old card, or someone else's). */
export function readCardSubmission(data: Record<string, unknown> | undefined): CardSubmission | undefined {
  const parsed = hidden.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  return { ...parsed.data, values: readCardValues(data ?? {}) };
}

/** Inputs by id; a datetime field's `<id>__date` and `<id>__time` become `<id>` = "YYYY-MM-DDTHH:mm" (local). */
export function readCardValues(data: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (RESERVED.has(key) || key.endsWith(TIME_SUFFIX)) continue;
    const value = scalar(raw);
    if (key.endsWith(DATE_SUFFIX)) {
      const id = key.slice(0, -DATE_SUFFIX.length);
      const joined = joinDateTime(value, scalar(data[`${id}${TIME_SUFFIX}`]));
      if (joined !== undefined) values[id] = joined;
    } else if (value !== undefined) {
      values[key] = value;
    }
  }
  return values;
}

function scalar(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  return undefined;
}

/** A date without a time means the start of that day; a time without a date is no date. */
function joinDateTime(date: string | undefined, time: string | undefined): string | undefined {
  const d = date?.trim();
  if (!d) return undefined;
  const t = time?.trim().slice(0, 5);
  return `${d}T${t && /^\d{2}:\d{2}$/.test(t) ? t : "00:00"}`;
}
