// Signed Slack requests for end-to-end tests: slash commands, interactivity payloads and Events API envelopes.
import { createHmac, randomBytes } from "node:crypto";

export const TEST_SIGNING_SECRET = "test-signing-secret";
export const TEAM_ID = "T1";

export function slackSignature(secret: string, rawBody: string, timestamp: number): Record<string, string> {
  const signature = "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}

export interface SendOptions {
  secret?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  headers?: Record<string, string>;
}

export class SlackRequests {
  constructor(
    private readonly baseUrl: string,
    private readonly secret = TEST_SIGNING_SECRET,
  ) {}

  /** A slash command as Slack sends it (form-encoded). */
  command(fields: Partial<SlashCommand> & { user_id: string; response_url: string }, opts: SendOptions = {}): Promise<Response> {
    return this.post(new URLSearchParams({ ...aSlashCommand(fields) } as Record<string, string>).toString(), "application/x-www-form-urlencoded", opts);
  }

  /** block_actions, view_submission, block_suggestion, message_action: `payload=<json>`, form-encoded. */
  interaction(payload: Record<string, unknown>, opts: SendOptions = {}): Promise<Response> {
    return this.post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, "application/x-www-form-urlencoded", opts);
  }

  /** An Events API envelope (JSON). */
  event(envelope: Record<string, unknown>, opts: SendOptions = {}): Promise<Response> {
    return this.post(JSON.stringify(envelope), "application/json", opts);
  }

  async post(rawBody: string, contentType: string, opts: SendOptions = {}): Promise<Response> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${this.baseUrl}/slack/events`, {
      method: "POST",
      body: rawBody,
      headers: { "content-type": contentType, ...slackSignature(opts.secret ?? this.secret, rawBody, timestamp), ...opts.headers },
    });
  }
}

export interface SlashCommand {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  response_url: string;
  trigger_id: string;
}

export function aSlashCommand(fields: Partial<SlashCommand> & { user_id: string; response_url: string }): SlashCommand {
  return {
    token: "legacy-verification-token",
    team_id: TEAM_ID,
    team_domain: "test",
    channel_id: "C1",
    channel_name: "sales",
    user_name: "someone",
    command: "/crm",
    text: "",
    api_app_id: "A1",
    trigger_id: aTriggerId(),
    ...fields,
  };
}

export function aTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).toString("hex")}`;
}

const team = { id: TEAM_ID, domain: "test" };

/** The fields every interactivity payload carries: the workspace, who acted, the app and the legacy token. */
function interactionFrom(userId: string): Record<string, unknown> {
  return { team, user: { id: userId, name: "someone", team_id: TEAM_ID }, api_app_id: "A1", token: "legacy-verification-token" };
}

export function aBlockAction(opts: { userId: string; actionId: string; value?: string; responseUrl?: string; container?: "message" | "view" }): Record<string, unknown> {
  return {
    type: "block_actions",
    ...interactionFrom(opts.userId),
    trigger_id: aTriggerId(),
    container: opts.container === "view" ? { type: "view", view_id: "V1" } : { type: "message", message_ts: "1700000000.000100", channel_id: "C1", is_ephemeral: true },
    ...(opts.responseUrl ? { response_url: opts.responseUrl, channel: { id: "C1", name: "sales" } } : {}),
    actions: [{ type: "button", block_id: "b1", action_id: opts.actionId, text: { type: "plain_text", text: "Button" }, ...(opts.value !== undefined ? { value: opts.value } : {}), action_ts: "1700000001.000200" }],
  };
}

/** `values` maps block_id → one element's state (as Slack sends it). */
export function aViewSubmission(opts: { userId: string; callbackId: string; values: Record<string, Record<string, unknown>>; privateMetadata?: string }): Record<string, unknown> {
  return {
    type: "view_submission",
    ...interactionFrom(opts.userId),
    trigger_id: aTriggerId(),
    view: {
      id: "V1",
      type: "modal",
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata ?? "{}",
      hash: "h1",
      state: { values: Object.fromEntries(Object.entries(opts.values).map(([blockId, element]) => [blockId, { [blockId]: element }])) },
    },
  };
}

export function aBlockSuggestion(opts: { userId: string; actionId: string; value: string }): Record<string, unknown> {
  return {
    type: "block_suggestion",
    ...interactionFrom(opts.userId),
    block_id: "partner",
    action_id: opts.actionId,
    value: opts.value,
    container: { type: "view", view_id: "V1" },
  };
}

export function aMessageShortcut(opts: { userId: string; callbackId: string; text: string; responseUrl: string; channelId?: string; ts?: string }): Record<string, unknown> {
  return {
    type: "message_action",
    ...interactionFrom(opts.userId),
    callback_id: opts.callbackId,
    trigger_id: aTriggerId(),
    response_url: opts.responseUrl,
    action_ts: "1700000002.000300",
    message_ts: opts.ts ?? "1700000000.000100",
    channel: { id: opts.channelId ?? "C1", name: "sales" },
    message: { type: "message", user: "UOTHER", ts: opts.ts ?? "1700000000.000100", text: opts.text },
  };
}

export function anEventCallback(event: Record<string, unknown>, opts: { eventId?: string; teamId?: string } = {}): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: opts.teamId ?? TEAM_ID,
    api_app_id: "A1",
    type: "event_callback",
    event_id: opts.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: opts.teamId ?? TEAM_ID, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
    event,
  };
}

/** A datetimepicker's submitted state for an instant. */
export function dateTimeState(at: Date | null): Record<string, unknown> {
  return { type: "datetimepicker", selected_date_time: at === null ? null : Math.floor(at.getTime() / 1000) };
}

export function inputState(value: string | null): Record<string, unknown> {
  return { type: "plain_text_input", value };
}

export function optionState(type: "radio_buttons" | "static_select" | "external_select", value: string | null): Record<string, unknown> {
  return { type, selected_option: value === null ? null : { text: { type: "plain_text", text: value }, value } };
}
