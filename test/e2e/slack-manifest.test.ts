import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_SCOPES, EVENTS_PATH, REDIRECT_PATH } from "../../src/bot/slack/create-bolt-app.js";
import { CALL_FROM_MESSAGE, LEAD_FROM_MESSAGE } from "../../src/bot/slack/listeners/shortcuts/call-from-message.js";

const manifests = { http: readFileSync("manifest/slack.yaml", "utf8"), socket: readFileSync("manifest/slack-socket.yaml", "utf8") };

/** The list items under a `key:` line (plain YAML, two-space indents, as our manifests are written). */
function listUnder(yaml: string, key: string): string[] {
  const lines = yaml.split("\n");
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+- (.+)$/.exec(line);
    if (!m) break;
    items.push(m[1]!.trim());
  }
  return items;
}

describe("the Slack app manifests match what the code listens for", () => {
  for (const [name, yaml] of Object.entries(manifests)) {
    it(`${name}: asks for exactly the bot scopes OAuth installs request`, () => {
      expect(listUnder(yaml, "bot")).toEqual(BOT_SCOPES);
    });

    it(`${name}: declares /crm, the message shortcut and the events the listeners handle`, () => {
      expect(yaml).toMatch(/- command: \/crm\n/);
      expect(yaml).toContain(`callback_id: ${CALL_FROM_MESSAGE}\n`);
      expect(yaml).toContain(`callback_id: ${LEAD_FROM_MESSAGE}\n`);
      expect(listUnder(yaml, "bot_events")).toEqual(["app_home_opened", "app_uninstalled", "tokens_revoked", "message.channels", "message.groups"]);
      expect(yaml).toContain("home_tab_enabled: true");
    });
  }

  it("http: points commands, events, interactivity and options at one URL, and OAuth at the redirect path", () => {
    const urls = [...manifests.http.matchAll(/(?:url|request_url|message_menu_options_url): (\S+)/g)].map((m) => m[1]);
    expect(urls).toEqual(Array(4).fill(`https://switchboard.example.com${EVENTS_PATH}`));
    expect(listUnder(manifests.http, "redirect_urls")).toEqual([`https://switchboard.example.com${REDIRECT_PATH}`]);
    expect(manifests.http).toContain("socket_mode_enabled: false");
  });

  it("socket: enables Socket Mode and has no URLs", () => {
    expect(manifests.socket).toContain("socket_mode_enabled: true");
    expect(manifests.socket).not.toMatch(/https?:\/\//);
  });
});
