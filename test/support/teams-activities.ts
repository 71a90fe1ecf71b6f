// Builders for Teams activities as the Teams service sends them, and a poster for /api/messages.
import { randomUUID } from "node:crypto";
import type { FakeBotConnector, FakeMember } from "../fakes/bot-connector.js";

export const TENANT = "tenant-1";
export const BOT = { id: "28:switchboard-bot", name: "Switchboard" };

export interface TeamsPerson extends FakeMember {
  email: string;
}

let counter = 0;

export function aTeamsPerson(over: Partial<TeamsPerson> = {}): TeamsPerson {
  counter += 1;
  const n = `${counter}-${randomUUID().slice(0, 8)}`;
  return { id: `29:user-${n}`, aadObjectId: `aad-${n}`, name: `Person ${counter}`, email: `person-${n}@example.com`, ...over };
}

export interface Conversation {
  id: string;
  conversationType: "personal" | "channel" | "groupChat";
  tenantId: string;
}

export const personalChat = (person: TeamsPerson): Conversation => ({ id: `a:personal-${person.aadObjectId}`, conversationType: "personal", tenantId: TENANT });
export const channel = (name = "general"): Conversation => ({ id: `19:${name}@thread.tacv2`, conversationType: "channel", tenantId: TENANT });

export interface ActivityOptions {
  conversation?: Conversation;
  replyToId?: string;
  timeZone?: string;
}

/** Activities from one fake Teams service (the connector's serviceUrl). */
export function teamsActivities(connector: FakeBotConnector) {
  const base = (type: string, person: TeamsPerson, opts: ActivityOptions = {}) => {
    const conversation = opts.conversation ?? personalChat(person);
    return {
      type,
      id: `incoming-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: connector.serviceUrl,
      from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
      recipient: BOT,
      conversation,
      channelData: { tenant: { id: conversation.tenantId }, ...(conversation.conversationType === "channel" ? { team: { id: `19:team-${conversation.id}` } } : {}) },
      locale: "en-US",
      localTimezone: opts.timeZone ?? "Europe/Berlin",
      ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
    };
  };
  return {
    message: (person: TeamsPerson, text: string, opts?: ActivityOptions) => ({ ...base("message", person, opts), text, textFormat: "plain" }),
    /** "@Switchboard <text>" in a channel, with the mention entity Teams adds. */
    mention: (person: TeamsPerson, text: string, opts?: ActivityOptions) => ({
      ...base("message", person, { conversation: channel(), ...opts }),
      text: `<at>${BOT.name}</at> ${text}`,
      entities: [{ type: "mention", text: `<at>${BOT.name}</at>`, mentioned: BOT }],
    }),
    invoke: (person: TeamsPerson, name: string, value: unknown, opts?: ActivityOptions) => ({ ...base("invoke", person, opts), name, value }),
    installation: (person: TeamsPerson, action: "add" | "remove", opts?: ActivityOptions) => ({ ...base("installationUpdate", person, opts), action }),
    conversationUpdate: (person: TeamsPerson, opts?: ActivityOptions) => ({ ...base("conversationUpdate", person, opts), membersAdded: [{ id: BOT.id }] }),
  };
}

export async function postActivity(appUrl: string, activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${appUrl}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The Adaptive Card of a message the bot posted or updated. */
export function cardOf(call: { body: any }): any {
  const attachment = call.body?.attachments?.[0];
  if (attachment?.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error(`not a card: ${JSON.stringify(call.body)}`);
  return attachment.content;
}

/** Every TextBlock text and FactSet fact in a card, in order, for assertions that read like the card. */
export function textsOf(card: any): string[] {
  const out: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (node.type === "TextBlock") out.push(node.text);
    if (node.type === "FactSet") for (const f of node.facts) out.push(`${f.title}: ${f.value}`);
    for (const key of ["body", "items", "columns"]) if (Array.isArray(node[key])) node[key].forEach(walk);
  };
  walk(card);
  return out;
}

/** Every action in a card (inline ActionSets and the card's own actions). */
export function actionsOf(card: any): any[] {
  const out: any[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (node.type === "ActionSet") out.push(...node.actions);
    for (const key of ["body", "items", "columns"]) if (Array.isArray(node[key])) node[key].forEach(walk);
  };
  walk(card);
  return [...out, ...(card.actions ?? [])];
}

/** Every input in a card, by id. */
export function inputsOf(card: any): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (typeof node.type === "string" && node.type.startsWith("Input.")) out[node.id] = node;
    for (const key of ["body", "items", "columns"]) if (Array.isArray(node[key])) node[key].forEach(walk);
  };
  walk(card);
  return out;
}
