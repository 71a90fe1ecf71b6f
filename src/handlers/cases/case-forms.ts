// Opening the case form: blank (`/crm case`) or from a chat message (shortcut / message action).
import { caseForm } from "../../bot/views/case-forms.js";
import { openForm, type Reply } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { channelChoices, channelIdByCode } from "../channels/channel-choices.js";
import { firstTeamOf } from "./open-case.js";

async function formChoices(deps: Deps, user: ActorUser) {
  const [types, teams, teamId, sources, chatId] = [
    await deps.db.caseType.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, team: { select: { name: true } } }, take: 100 }),
    await deps.db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true }, take: 100 }),
    await firstTeamOf(deps, user.id),
    await channelChoices(deps.db, deps.now()),
    await channelIdByCode(deps.db, "chat"),
  ];
  return {
    types: types.map((t) => ({ value: t.id, label: `${t.name} (${t.team.name})`.slice(0, 75) })),
    teams: teams.map((t) => ({ value: t.id, label: t.name.slice(0, 75) })),
    ...sources,
    teamId,
    channelId: chatId,
  };
}

export async function newCaseForm(deps: Deps, user: ActorUser): Promise<Reply> {
  const choices = await formChoices(deps, user);
  return openForm(caseForm(user.timeZone, choices, { teamId: choices.teamId, channelId: choices.channelId }));
}

export interface SourceMessage {
  text: string;
  link?: string;
  /** Slack only: where the message is, so replies in its thread can join the case. */
  channel?: string;
  ts?: string;
}

/** "Open case from message": the message text and a link to it become the description. */
export async function caseFormFromMessage(deps: Deps, user: ActorUser, message: SourceMessage): Promise<Reply> {
  const choices = await formChoices(deps, user);
  const text = message.text.trim().slice(0, 4500);
  const description = message.link ? `${text}\n\nFrom: ${message.link}` : text;
  const firstLine = text.split("\n")[0]?.slice(0, 150) ?? "";
  const context: Record<string, string> = {};
  if (message.link) context.sourceLink = message.link.slice(0, 1000);
  if (message.channel && message.ts) [context.sourceChannel, context.sourceTs] = [message.channel, message.ts];
  return openForm(
    caseForm(user.timeZone, choices, {
      teamId: choices.teamId,
      channelId: choices.channelId,
      subject: firstLine || undefined,
      description: description || undefined,
      title: "Open case from message",
      intro: "Opening a case from a chat message.",
      context,
    }),
  );
}
