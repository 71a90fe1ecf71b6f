// Teams conversation references in the database (TeamsConversation), so any replica can post into them later.
import { TurnContext, type ConversationReference } from "botbuilder";
import { z } from "zod";
import { deleteTeamsConversation, findTeamsConversation, saveTeamsConversation } from "../../db/chat-state.js";
import type { Deps } from "../../handlers/deps.js";
import { tenantOf, type ActivityParts } from "./activity-parts.js";

const KINDS = ["personal", "channel", "groupChat"] as const;

/** Stores or refreshes the reference of the activity's conversation (serviceUrl is regional: keep it as sent). */
export async function rememberConversation(deps: Pick<Deps, "db">, ctx: TurnContext, parts: ActivityParts): Promise<void> {
  // Without the activity id: a proactive message is a new message, not a reply to whatever came last.
  const { activityId: _lastActivity, ...reference } = JSON.parse(JSON.stringify(TurnContext.getConversationReference(ctx.activity)));
  const kind = KINDS.find((k) => k === parts.conversation.conversationType) ?? "personal";
  const data = {
    tenantId: tenantOf(parts) ?? null,
    serviceUrl: parts.serviceUrl,
    kind,
    userAadId: kind === "personal" ? (parts.from.aadObjectId ?? null) : null,
    reference,
  };
  await saveTeamsConversation(deps.db, parts.conversation.id, data);
}

export async function forgetConversation(deps: Pick<Deps, "db">, conversationId: string): Promise<void> {
  await deleteTeamsConversation(deps.db, conversationId);
}

const storedReference = z.object({
  serviceUrl: z.string().url(),
  channelId: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }).loose(),
  bot: z.object({ id: z.string() }).loose().optional(),
  user: z.object({ id: z.string() }).loose().optional(),
});

/** Undefined when the conversation is unknown (never seen, or the app was removed from it). */
export async function loadConversation(deps: Pick<Deps, "db">, conversationId: string): Promise<Partial<ConversationReference> | undefined> {
  const row = await findTeamsConversation(deps.db, conversationId);
  if (!row) return undefined;
  if (!storedReference.safeParse(row.reference).success) return undefined;
  return { ...(row.reference as Partial<ConversationReference>), serviceUrl: row.serviceUrl };
}
