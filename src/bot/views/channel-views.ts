// What /crm channels shows: every channel, on or off, with its leads, opportunities and cases; admins get the switches.
import { escapeMarkup, truncate, type Action, type Block, type MessageView } from "./view.js";

export const CHANNEL_BUTTONS = {
  switchOff: "channel.off",
  switchOn: "channel.on",
} as const;

/** Slack allows 25 buttons per actions block and 50 blocks per message: at most 40 switches, in rows of 5. */
const SWITCHES_SHOWN = 40;
const MAX_BLOCK_CHARS = 2800;

type Counts = { leads: number; opportunities: number; cases: number };

export interface ChannelItem {
  id: string;
  code: string;
  name: string;
  isActive: boolean;
  counts: Counts;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const countsText = (k: Counts) => `${plural(k.leads, "lead")} · ${plural(k.opportunities, "opportunity", "opportunities")} · ${plural(k.cases, "case")}`;

export function channelListView(list: { channels: ChannelItem[]; none: Counts }, opts: { canManage: boolean; prefix: string }): MessageView {
  const blocks: Block[] = [{ type: "header", text: "Channels" }];
  const lines = list.channels.map((c) => `*${escapeMarkup(c.name)}* \`${c.code}\` · ${c.isActive ? "on" : "_off_"} · ${countsText(c.counts)}`);
  for (const text of chunk(lines.length ? lines : ["No channels."])) blocks.push({ type: "text", text });
  const without = list.none.leads + list.none.opportunities + list.none.cases;
  const notes = [
    ...(without ? [`Without a channel: ${countsText(list.none)}.`] : []),
    "Switched-off channels stay on the records that have them; lead and case forms no longer offer them.",
    ...(opts.canManage ? [`Add one with \`${opts.prefix}channels add Trade fair\`.`] : []),
  ];
  blocks.push({ type: "context", text: notes.join(" ") });
  if (opts.canManage) {
    const switches: Action[] = list.channels.slice(0, SWITCHES_SHOWN).map((c) =>
      c.isActive ? { id: CHANNEL_BUTTONS.switchOff, label: `Switch off ${truncate(c.name, 50)}`, value: c.id } : { id: CHANNEL_BUTTONS.switchOn, label: `Switch on ${truncate(c.name, 50)}`, value: c.id },
    );
    for (let i = 0; i < switches.length; i += 5) blocks.push({ type: "actions", actions: switches.slice(i, i + 5) });
  }
  return { text: `Channels: ${list.channels.map((c) => `${c.name}${c.isActive ? "" : " (off)"}`).join(", ") || "none"}`, blocks };
}

/** Packs lines into text blocks under Slack's per-block limit. */
function chunk(lines: string[]): string[] {
  const blocks: string[] = [];
  for (const line of lines) {
    const last = blocks.length - 1;
    if (last >= 0 && blocks[last]!.length + line.length + 1 <= MAX_BLOCK_CHARS) blocks[last] = `${blocks[last]}\n${line}`;
    else blocks.push(line);
  }
  return blocks;
}
