// The date-and-time field of the case, claim and call forms: a local "2026-11-30 17:00" in the person's time zone, or an ISO time with its offset.
import { z } from "zod";
import { fromLocalInput } from "../../domain/time.js";

/** `message` when the value cannot be read; `missingMessage` (optional) when the value is not a string at all. */
export function dateField(timeZone: string, message: string, missingMessage?: string) {
  return z.string(missingMessage ? { message: missingMessage } : undefined).transform((v, ctx) => {
    const at = /Z$|[+-]\d{2}:\d{2}$/.test(v) ? new Date(v) : fromLocalInput(v, timeZone);
    if (!at || Number.isNaN(at.getTime())) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return at;
  });
}
