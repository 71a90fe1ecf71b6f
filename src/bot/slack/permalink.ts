// The permalink of a message a shortcut was used on: a nicety, so a channel the app cannot see just gives no link.
import type { Logger } from "../../log.js";
import type { WebClient } from "./slack-surface.js";

export async function permalink(client: WebClient, channel: string, ts: string, logger: Logger): Promise<string | undefined> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    return typeof res.permalink === "string" ? res.permalink : undefined;
  } catch (error) {
    logger.warn({ err: error, channel }, "no permalink for the shortcut's message; the form goes on without the link");
    return undefined;
  }
}
