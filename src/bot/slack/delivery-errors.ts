// Slack Web API failures as outbox DeliveryErrors: rate limits carry Retry-After, hopeless ones are permanent.
import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../jobs/transport.js";

/** Slack error codes a retry cannot fix (docs.slack.dev/reference/methods/chat.postMessage#errors). */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "team_access_not_granted",
  "user_not_found",
  "user_disabled",
  "cannot_dm_bot",
  "restricted_action",
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "invalid_arguments",
  "not_allowed_token_type",
]);

export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new DeliveryError(`Slack rate limit: retry after ${e.retryAfter ?? 1} s`, { retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000 });
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? "unknown_error";
      return new DeliveryError(`Slack refused the message: ${code}`, { isPermanent: PERMANENT.has(code) });
    }
    case webApi.ErrorCode.HTTPError:
      return new DeliveryError(`Slack answered HTTP ${e.statusCode ?? "?"}`);
    case webApi.ErrorCode.RequestError:
      return new DeliveryError(`Slack could not be reached: ${e.message ?? "request failed"}`);
    default:
      return error instanceof DeliveryError ? error : new DeliveryError(`Slack delivery failed: ${e.message ?? String(error)}`);
  }
}

/** The message an update pointed at is gone: post a new one instead. */
export function isMessageGone(error: unknown): boolean {
  const code = (error as { code?: string; data?: { error?: string } }).code === webApi.ErrorCode.PlatformError ? (error as { data?: { error?: string } }).data?.error : undefined;
  return code === "message_not_found" || code === "cant_update_message" || code === "edit_window_closed";
}
