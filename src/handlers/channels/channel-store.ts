// Reading and changing channels: the list with its counts (grouped queries), one channel by name or code, adding one
// and switching it on or off. Chat and the command line share these, so both refuse the same things the same way.
import type { Tx } from "../../db/outbox.js";
import { isUuid } from "../button-value.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR } from "../admin/audit.js";
import { isUniqueViolation } from "../admin/command.js";
import { CHANNEL_NAME_MAX, channelCode } from "../../domain/campaigns.js";

type Reader = Deps["db"] | Tx;

export interface ChannelRow {
  id: string;
  code: string;
  name: string;
  isActive: boolean;
}

export interface ChannelCounts {
  leads: number;
  opportunities: number;
  cases: number;
}

const select = { id: true, code: true, name: true, isActive: true } as const;

/** Every channel by name with its leads, opportunities (not merged away) and cases; `none`: records without a channel. */
export async function listChannels(db: Reader): Promise<{ channels: (ChannelRow & { counts: ChannelCounts })[]; none: ChannelCounts }> {
  // One after the other: `db` may be a transaction, whose queries share one connection.
  const rows = await db.channel.findMany({ select, orderBy: { name: "asc" } });
  const leads = await db.lead.groupBy({ by: ["channelId", "type"], where: { mergedIntoId: null }, _count: { _all: true } });
  const cases = await db.case.groupBy({ by: ["channelId"], _count: { _all: true } });
  const counts = new Map<string | null, ChannelCounts>();
  const of = (id: string | null) => counts.get(id) ?? counts.set(id, { leads: 0, opportunities: 0, cases: 0 }).get(id)!;
  for (const g of leads) of(g.channelId)[g.type === "lead" ? "leads" : "opportunities"] += g._count._all;
  for (const g of cases) of(g.channelId).cases += g._count._all;
  return { channels: rows.map((r) => ({ ...r, counts: of(r.id) })), none: of(null) };
}

/** By name (any case) or code ("Trade fair" and "trade-fair" both find it). */
export function findChannel(db: Reader, text: string): Promise<ChannelRow | null> {
  const name = text.trim();
  return db.channel.findFirst({ where: { OR: [{ name: { equals: name, mode: "insensitive" } }, { code: name.toLowerCase() }, { code: channelCode(name) || name }] }, select });
}

export async function findChannelById(db: Reader, id: string): Promise<ChannelRow | null> {
  return isUuid(id) ? db.channel.findUnique({ where: { id }, select }) : null;
}

export async function channelNames(db: Reader): Promise<string[]> {
  return (await db.channel.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((c) => c.name);
}

export type Added = { ok: true; channel: ChannelRow } | { ok: false; message: string };

/** A new channel, switched on, its code the slug of its name; a name or code already used (in any case) is refused. */
export async function addChannel(db: Deps["db"], actorId: string, typed: string): Promise<Added> {
  const name = typed.trim().replace(/\s+/g, " ");
  if (!name) return { ok: false, message: "Give the channel a name, e.g. Trade fair." };
  if (name.length > CHANNEL_NAME_MAX) return { ok: false, message: `A channel name has at most ${CHANNEL_NAME_MAX} characters.` };
  const code = channelCode(name);
  if (!code) return { ok: false, message: "A channel name needs at least one letter or digit (a-z, 0-9)." };
  try {
    return await db.$transaction(async (tx) => {
      const same = await tx.channel.findFirst({ where: { OR: [{ name: { equals: name, mode: "insensitive" } }, { code }] }, select });
      if (same) return { ok: false as const, message: alreadyThere(same, name, code) };
      const channel = await tx.channel.create({ data: { name, code }, select });
      await audit(tx, actorId, channel.id, `Channel ${channel.name} added`);
      return { ok: true as const, channel };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: `A channel named ${name} (code ${code}) was just added by someone else.` };
    throw error;
  }
}

function alreadyThere(same: ChannelRow, name: string, code: string): string {
  const state = same.isActive ? "" : " It is switched off: switch it on instead.";
  if (same.name.toLowerCase() === name.toLowerCase()) return `A channel named ${same.name} already exists.${state}`;
  return `The channel ${same.name} already has the code ${code}; choose a name that differs in more than punctuation or case.${state}`;
}

export type Switched = { kind: "switched" | "already"; channel: ChannelRow } | { kind: "missing" };

/** Only a channel in the other state changes, so a second click (or a stale button) is told it already was. */
export async function switchChannel(db: Deps["db"], actorId: string, id: string, isActive: boolean): Promise<Switched> {
  if (!isUuid(id)) return { kind: "missing" };
  return db.$transaction(async (tx) => {
    const changed = await tx.channel.updateMany({ where: { id, isActive: !isActive }, data: { isActive } });
    const channel = await tx.channel.findUnique({ where: { id }, select });
    if (!channel) return { kind: "missing" as const };
    if (changed.count !== 1) return { kind: "already" as const, channel };
    await audit(tx, actorId, id, `Channel ${channel.name} switched ${isActive ? "on" : "off"}`);
    return { kind: "switched" as const, channel };
  });
}

async function audit(tx: Tx, actorId: string, channelId: string, summary: string): Promise<void> {
  const isCli = actorId === COMMAND_LINE_ACTOR.id;
  await tx.timelineEntry.create({ data: { recordType: "channel", recordId: channelId, kind: "admin", actorId: isCli ? null : actorId, summary: isCli ? `${summary} (from the command line)` : summary } });
}
