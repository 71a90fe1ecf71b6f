// The parts of Teams activities and invoke values Switchboard relies on, parsed with zod at the edge.
import { z } from "zod";

/** Who sent it, where, from which tenant: every activity has these (or it is not one we can serve). */
export const activityParts = z.object({
  type: z.string(),
  serviceUrl: z.string().url(),
  from: z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().min(1).optional() }),
  conversation: z.object({ id: z.string().min(1), conversationType: z.string().optional(), tenantId: z.string().optional() }),
  channelData: z.object({ tenant: z.object({ id: z.string().min(1) }).optional() }).optional(),
  /** IANA time zone of the person's client (sent with messages). */
  localTimezone: z.string().optional(),
});
export type ActivityParts = z.infer<typeof activityParts>;

export function tenantOf(parts: ActivityParts): string | undefined {
  return parts.channelData?.tenant?.id ?? parts.conversation.tenantId;
}

/** How a dialog was opened, so it can be opened again (task/fetch) or rebuilt with errors (submit). */
export const opener = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("action"), verb: z.string().min(1).max(100), value: z.string().max(2000).default("") }),
  z.object({ kind: z.literal("command"), text: z.string().max(2000) }),
  z.object({ kind: z.literal("message"), shortcut: z.string().min(1).max(100), link: z.string().max(2000).optional() }),
]);
export type Opener = z.infer<typeof opener>;

/** `adaptiveCard/action` (Action.Execute): the verb is the button's intent, data.value its argument. */
export const cardActionValue = z.object({
  action: z.object({
    verb: z.string().min(1).max(100),
    data: z.object({ value: z.string().max(2000).optional() }).optional(),
  }),
});

/** `task/fetch` and `task/submit`: the clicked action's data (plus the dialog's inputs on submit). */
export const taskModuleValue = z.object({ data: z.record(z.string(), z.unknown()).optional() });

/** `composeExtension/fetchTask` and `composeExtension/submitAction` on a chat message. */
export const messageActionValue = z.object({
  commandId: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()).optional(),
  messagePayload: z
    .object({
      body: z.object({ content: z.string().max(100_000).optional(), contentType: z.string().optional() }).optional(),
      linkToMessage: z.string().max(2000).optional(),
      /** Files and images of the message (claims keep them: see files.ts). */
      attachments: z.array(z.unknown()).max(50).optional(),
    })
    .optional(),
});

/** `application/search` from an Input.ChoiceSet with Data.Query. */
export const searchValue = z.object({
  queryText: z.string().max(200).default(""),
  dataset: z.string().min(1).max(100),
  queryOptions: z.object({ top: z.number().int().min(1).max(50).optional() }).optional(),
});
