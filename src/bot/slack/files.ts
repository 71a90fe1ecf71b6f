// Slack files of a message a claim is opened from: their ids ride through the form; after the claim is saved they are
// looked up (files.info) and downloaded from url_private_download with the bot token.
import { z } from "zod";
import type { FileSource, IncomingAttachment } from "../../handlers/claims/attachments.js";
import type { Logger } from "../../log.js";
import { downloadCapped } from "../download-capped.js";
import type { WebClient } from "./slack-surface.js";

/** The files[] of a message shortcut payload (only what we use). */
export const messageFiles = z.object({ message: z.object({ files: z.array(z.object({ id: z.string().regex(/^F[A-Z0-9]+$/) })).max(20).optional() }) });

/** "F1,F2": the form context carries ids only (its limit is 2 KB), never URLs or tokens. */
export function fileRefsOf(body: unknown): string | undefined {
  const parsed = messageFiles.safeParse(body);
  const ids = parsed.success ? (parsed.data.message.files ?? []).map((f) => f.id) : [];
  return ids.length ? ids.join(",") : undefined;
}

const fileInfo = z.object({
  file: z.object({ id: z.string(), name: z.string().default("file"), mimetype: z.string().default("application/octet-stream"), size: z.number().int().nonnegative(), url_private_download: z.string().url() }),
});

export function slackFileSource(client: WebClient, logger?: Logger): FileSource {
  return async (refs) => {
    const out: IncomingAttachment[] = [];
    for (const id of refs.split(",").filter((r) => /^F[A-Z0-9]+$/.test(r)).slice(0, 20)) {
      let failure: string | undefined;
      let caught: unknown;
      const info = fileInfo.safeParse(
        await client.files.info({ file: id }).catch((error: { data?: { error?: string } }) => {
          caught = error;
          failure = error.data?.error;
        }),
      );
      if (!info.success) {
        logger?.warn({ file: id, err: caught, slackError: failure, issues: caught ? undefined : info.error.issues.slice(0, 3) }, "Slack did not describe a claim's file; it is noted as not kept");
        const skipReason = failure === "missing_scope" ? "Switchboard lacks Slack's files:read permission (an admin must re-install the app)" : "Slack did not describe the file";
        out.push({ name: id, contentType: "application/octet-stream", size: 0, sourceRef: id, skipReason, fetch: () => Promise.reject(new Error(skipReason)) });
        continue;
      }
      const f = info.data.file;
      out.push({ name: f.name, contentType: f.mimetype, size: f.size, sourceRef: f.id, fetch: () => download(client, f.url_private_download) });
    }
    return out;
  };
}

/** The bot token goes only to Slack's own hosts (or the API URL configured for tests); the body is read up to the cap. */
async function download(client: WebClient, url: string): Promise<Buffer> {
  const target = new URL(url);
  const api = new URL(client.slackApiUrl);
  if (!(target.hostname === "files.slack.com" || target.hostname.endsWith(".slack.com") || target.host === api.host)) throw new Error(`refusing to send the bot token to ${target.host}`);
  return downloadCapped(target, { Authorization: `Bearer ${client.token ?? ""}` });
}
