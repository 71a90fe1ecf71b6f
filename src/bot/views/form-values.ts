// Turns a submitted `{fieldId: value}` map into typed input or field errors, the same for both platforms.
import { z } from "zod";
import type { Form } from "./view.js";

/** A text the person must give: the same message whether it is missing or empty. */
export const requiredText = (message: string) => z.string({ message }).min(1, message);

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

export function parseForm<S extends z.ZodTypeAny>(form: Form<S>, values: Record<string, unknown>): FormResult<z.infer<S>> {
  const known = Object.fromEntries(form.fields.map((f) => [f.id, normalise(values[f.id])]));
  const result = form.schema.safeParse(known);
  if (result.success) return { ok: true, value: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? form.fields[0]?.id ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

function normalise(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}
