// "Add watcher" on a case or a claim: a Switchboard user or an email address, exactly one.
import { z } from "zod";
import { readWatcherChoice } from "../../domain/cases.js";
import type { Form } from "./view.js";

export const watcherFormSchema = z
  .object({ user: z.string().optional(), email: z.string().max(254, "That email address is too long.").optional() })
  .transform((v, ctx) => {
    const read = readWatcherChoice(v);
    if (!read.ok) {
      for (const [field, message] of Object.entries(read.errors)) ctx.addIssue({ code: "custom", path: [field], message });
      return z.NEVER;
    }
    return read.value;
  });

export function watcherForm(id: string, title: string, context: Record<string, string>): Form<typeof watcherFormSchema> {
  return {
    id,
    title,
    submitLabel: "Add watcher",
    context,
    schema: watcherFormSchema,
    intro: "Watchers hear when it is reassigned, escalated, closed or reopened. Choose a person, or type an email address.",
    fields: [
      { id: "user", label: "Person", kind: "search", searchSource: "users", isOptional: true, placeholder: "Type a name or email" },
      { id: "email", label: "Or an email address", kind: "text", isOptional: true, placeholder: "name@example.com", maxLength: 254 },
    ],
  };
}
