// Admin views: people and teams (saved, listed, members), refusals and the help for each admin subcommand.
import { defaultRecordKind } from "../../domain/mail-rules.js";
import { escapeMarkup, type Block, type Field, type MessageView } from "./view.js";

export interface TeamSummary {
  id: string;
  name: string;
  kind: string;
  emailAlias: string | null;
  /** What an email to the alias creates; null: by the team's kind. */
  emailCreates: "case" | "claim" | "lead" | null;
  /** Who may write to the alias. */
  emailContact: "everyone" | "partners" | "watchers";
  /** Whether a new thread is acknowledged by email. */
  emailAck: boolean;
  manager: { name: string; email: string } | null;
  parent: string | null;
  slackChannelId: string | null;
  teamsConversationId: string | null;
  members: { name: string; email: string }[];
}

export interface PersonSummary {
  id: string;
  name: string;
  email: string;
  role: string;
  timeZone: string;
  isActive: boolean;
  teams: string[];
  manages: string[];
  /** Linked chat identities: Switchboard has seen this person in Slack and/or Teams. */
  chat: ("slack" | "teams")[];
}

/** Slack allows 50 blocks per message and 3,000 characters per text block. */
const MAX_LINES = 200;
const MAX_BLOCK_CHARS = 2800;

export function teamSavedView(title: string, team: TeamSummary, notes: string[] = []): MessageView {
  const fields: Field[] = [
    { label: "Kind", value: team.kind },
    { label: "Manager", value: team.manager ? personLabel(team.manager) : "none" },
    { label: "Parent team", value: team.parent ? escapeMarkup(team.parent) : "none" },
    { label: "Email alias", value: team.emailAlias ?? "none" },
    ...(team.emailAlias ? aliasFields(team) : []),
    { label: "Slack channel", value: team.slackChannelId ? `\`${team.slackChannelId}\`` : "none" },
    { label: "Teams conversation", value: team.teamsConversationId ? `\`${team.teamsConversationId}\`` : "none" },
    { label: "Members", value: team.members.length ? escapeMarkup(team.members.map((m) => m.name).join(", ")) : "none yet" },
  ];
  return { text: `${title}: ${team.name}`, blocks: [{ type: "header", text: `${title}: ${team.name}` }, { type: "fields", fields }, ...noteBlocks(notes)] };
}

const CONTACT_TEXT: Record<TeamSummary["emailContact"], string> = { everyone: "everyone", partners: "known partners only", watchers: "watchers only" };

/** What the alias does: what a new email creates, who may write, whether it is acknowledged. */
function aliasFields(team: TeamSummary): Field[] {
  const creates = team.emailCreates ? `a ${team.emailCreates}` : `a ${defaultRecordKind(team.kind)} (by the team's kind)`;
  return [
    { label: "A new email creates", value: creates },
    { label: "Who may write", value: CONTACT_TEXT[team.emailContact] },
    { label: "Acknowledgement", value: team.emailAck ? "on: a new thread gets an email with its reference" : "off" },
  ];
}

export function personSavedView(title: string, person: PersonSummary, notes: string[] = []): MessageView {
  const fields: Field[] = [
    { label: "Email", value: person.email },
    { label: "Role", value: person.role },
    { label: "Teams", value: person.teams.length ? escapeMarkup(person.teams.join(", ")) : "none" },
    { label: "Manages", value: person.manages.length ? escapeMarkup(person.manages.join(", ")) : "none" },
    { label: "Time zone", value: person.timeZone },
    { label: "Status", value: person.isActive ? "active" : "deactivated" },
  ];
  return { text: `${title}: ${person.name} (${person.email})`, blocks: [{ type: "header", text: `${title}: ${person.name}` }, { type: "fields", fields }, ...noteBlocks(notes)] };
}

export function teamsListView(teams: TeamSummary[], hint: string): MessageView {
  if (teams.length === 0) return emptyList("Teams", hint);
  const lines = teams.map((t) => {
    const first = [`*${escapeMarkup(t.name)}* (${t.kind})`, t.manager ? `manager ${escapeMarkup(t.manager.name)}` : "no manager", t.emailAlias ? `${t.emailAlias} (${t.emailCreates ?? defaultRecordKind(t.kind)}, ${CONTACT_TEXT[t.emailContact]}${t.emailAck ? "" : ", no acknowledgement"})` : "no alias"];
    const second = [
      ...(t.parent ? [`under ${escapeMarkup(t.parent)}`] : []),
      `Slack ${t.slackChannelId ? `\`${t.slackChannelId}\`` : "none"}`,
      `Teams ${t.teamsConversationId ? `\`${t.teamsConversationId}\`` : "none"}`,
      `${t.members.length} member${t.members.length === 1 ? "" : "s"}`,
    ];
    return `${first.join(" · ")}\n      ${second.join(" · ")}`;
  });
  return listView(`Teams (${teams.length})`, lines);
}

export function peopleListView(people: PersonSummary[], hint: string): MessageView {
  if (people.length === 0) return emptyList("Users", hint);
  const lines = people.map((p) => {
    const teams = p.teams.length ? `teams ${escapeMarkup(p.teams.join(", "))}` : "no team";
    const manages = p.manages.length ? ` · manages ${escapeMarkup(p.manages.join(", "))}` : "";
    const chat = p.chat.length ? ` · ${p.chat.join(" and ")}` : " · not seen in chat yet";
    return `*${escapeMarkup(p.name)}* (${p.email}) · ${p.role}${p.isActive ? "" : " · *deactivated*"} · ${teams}${manages}${chat}`;
  });
  return listView(`Users (${people.length})`, lines);
}

export function teamMembersView(team: TeamSummary, notes: string[] = []): MessageView {
  const lines = team.members.map((m) => `${personLabel(m)}${team.manager?.email === m.email ? " · manager" : ""}`);
  const manager = team.manager && !team.members.some((m) => m.email === team.manager!.email) ? [`Manager (not a member): ${personLabel(team.manager)}`] : [];
  const body = lines.length ? listView(`${team.name}: ${lines.length} member${lines.length === 1 ? "" : "s"}`, lines) : emptyList(`${team.name}: members`, "No members yet.");
  return { text: body.text, blocks: [...body.blocks, ...noteBlocks([...manager, ...notes])] };
}

export interface CommandHelp {
  usage: string;
  summary: string;
  options: { label: string; help: string }[];
  examples: string[];
}

export function commandHelpView(help: CommandHelp): MessageView {
  const options = help.options.map((o) => `\`${o.label}\` — ${o.help}`).join("\n");
  const blocks: Block[] = [
    { type: "header", text: help.usage },
    { type: "text", text: help.summary },
    ...(options ? [{ type: "text" as const, text: `*Options*\n${options}` }] : []),
    { type: "text", text: `*Examples*\n${help.examples.map((e) => `\`${e}\``).join("\n")}` },
  ];
  return { text: `${help.usage} — ${help.summary}`, blocks };
}

export function adminHelpView(title: string, commands: { usage: string; summary: string }[], footer: string): MessageView {
  const lines = commands.map((c) => `\`${c.usage}\` — ${c.summary}`);
  return { text: title, blocks: [{ type: "header", text: title }, ...chunk(lines).map((text) => ({ type: "text" as const, text })), { type: "context", text: footer }] };
}

function listView(title: string, lines: string[]): MessageView {
  const shown = lines.slice(0, MAX_LINES);
  const blocks: Block[] = [{ type: "header", text: title }, ...chunk(shown).map((text) => ({ type: "text" as const, text }))];
  if (lines.length > shown.length) blocks.push({ type: "context", text: `…and ${lines.length - shown.length} more: narrow the list, or use the command line with --json.` });
  return { text: title, blocks };
}

function emptyList(title: string, text: string): MessageView {
  return { text: `${title}: none`, blocks: [{ type: "header", text: title }, { type: "text", text }] };
}

function noteBlocks(notes: string[]): Block[] {
  return notes.map((text) => ({ type: "context", text }));
}

function personLabel(p: { name: string; email: string }): string {
  return `${escapeMarkup(p.name)} (${p.email})`;
}

/** Packs lines into text blocks under Slack's per-block limit. */
function chunk(lines: string[]): string[] {
  const blocks: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current && current.length + line.length + 1 > MAX_BLOCK_CHARS) {
      blocks.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push(current);
  return blocks;
}
