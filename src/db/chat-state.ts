// What the chat adapters keep between requests: Slack installations, processed Slack event ids,
// Teams conversation references. The SQL lives here so src/bot/ holds no Prisma calls.
import type { Db, Prisma } from "./client.js";

// ---- Slack Events API deliveries (deduplicated by event_id) ----

/** True when this call recorded the id first (every replica races on the same row). */
export async function recordEventOnce(db: Db, eventId: string): Promise<boolean> {
  const { count } = await db.processedEvent.createMany({ data: [{ id: eventId }], skipDuplicates: true });
  return count > 0;
}

/** Forgets an event that was not processed after all, so Slack's retry runs it. */
export async function forgetEvent(db: Db, eventId: string): Promise<void> {
  await db.processedEvent.deleteMany({ where: { id: eventId } });
}

export async function pruneEvents(db: Db, receivedBefore: Date): Promise<void> {
  await db.processedEvent.deleteMany({ where: { receivedAt: { lt: receivedBefore } } });
}

// ---- Slack OAuth installations ----

export interface SlackInstallationRow {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botToken: string;
  botId: string | null;
  botUserId: string | null;
  /** The installation exactly as Bolt gave it (a JSON value). */
  installation: Prisma.InputJsonValue;
}

export async function saveSlackInstallation(db: Db, id: string, row: SlackInstallationRow): Promise<void> {
  await db.slackInstallation.upsert({ where: { id }, create: { id, ...row }, update: row });
}

/** The stored installation JSON, or undefined. */
export async function findSlackInstallation(db: Db, id: string): Promise<unknown> {
  const row = await db.slackInstallation.findUnique({ where: { id }, select: { installation: true } });
  return row?.installation ?? undefined;
}

export async function deleteSlackInstallation(db: Db, id: string): Promise<void> {
  await db.slackInstallation.deleteMany({ where: { id } });
}

/** The bot token for a workspace (team id) or an org (enterprise id). */
export async function slackBotToken(db: Db, scope: string): Promise<string | undefined> {
  const row = await db.slackInstallation.findFirst({ where: { OR: [{ id: scope }, { teamId: scope }] }, select: { botToken: true } });
  return row?.botToken;
}

// ---- Teams conversation references ----

export interface TeamsConversationRow {
  tenantId: string | null;
  serviceUrl: string;
  kind: string;
  userAadId: string | null;
  /** The ConversationReference as botbuilder produces it (a JSON value). */
  reference: Prisma.InputJsonValue;
}

export async function saveTeamsConversation(db: Db, id: string, row: TeamsConversationRow): Promise<void> {
  await db.teamsConversation.upsert({ where: { id }, create: { id, ...row }, update: row });
}

export async function deleteTeamsConversation(db: Db, id: string): Promise<void> {
  await db.teamsConversation.deleteMany({ where: { id } });
}

export async function findTeamsConversation(db: Db, id: string): Promise<{ serviceUrl: string; reference: unknown } | undefined> {
  const row = await db.teamsConversation.findUnique({ where: { id }, select: { serviceUrl: true, reference: true } });
  return row ?? undefined;
}
