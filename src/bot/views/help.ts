// Help and "who am I" views.
import { COMMANDS } from "../commands.js";
import type { Block, MessageView } from "./view.js";

/** `prefix` is "/crm " on Slack and "" on Teams, where commands are typed as messages. */
export function helpView(prefix: string, opts: { isAdmin: boolean; unknown?: string; suggestion?: string }): MessageView {
  const blocks: Block[] = [];
  if (opts.unknown !== undefined) {
    const hint = opts.suggestion ? ` Did you mean \`${prefix}${opts.suggestion}\`?` : "";
    blocks.push({ type: "text", text: `I don't know \`${opts.unknown}\`.${hint}` });
  }
  blocks.push({ type: "header", text: "Switchboard commands" });
  for (const c of COMMANDS.filter((c) => !c.isAdmin || opts.isAdmin)) {
    blocks.push({ type: "text", text: `*${prefix}${c.name}* — ${c.summary}\n${c.examples.map((e) => `\`${prefix}${e}\``).join("\n")}` });
  }
  const text = opts.unknown !== undefined ? `Unknown command “${opts.unknown}”.${opts.suggestion ? ` Did you mean ${prefix}${opts.suggestion}?` : ""}` : "Switchboard commands";
  return { text, blocks };
}

export function whoamiView(user: { name: string; email: string; role: string; timeZone: string }, teams: { name: string; isManager: boolean }[]): MessageView {
  const teamText = teams.length ? teams.map((t) => (t.isManager ? `${t.name} (manager)` : t.name)).join(", ") : "none yet";
  return {
    text: `You are ${user.name} <${user.email}>, ${user.role}`,
    blocks: [
      { type: "header", text: user.name },
      {
        type: "fields",
        fields: [
          { label: "Email", value: user.email },
          { label: "Role", value: user.role },
          { label: "Teams", value: teamText },
          { label: "Time zone", value: user.timeZone },
        ],
      },
    ],
  };
}
