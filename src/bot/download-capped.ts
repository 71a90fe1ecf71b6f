// Downloads a file a claim is opened from, reading the body only up to the per-file cap (the Slack and Teams adapters share it).
import { AttachmentTooLarge, MAX_ATTACHMENT_BYTES } from "../domain/claims.js";

/** `headers` carries the bot token only after the caller has checked that `url` is the platform's own host. */
export async function downloadCapped(url: URL, headers: Record<string, string>): Promise<Buffer> {
  const res = await fetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(30_000) });
  if (!res.ok || !res.body) throw new Error(`download failed: HTTP ${res.status}`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_ATTACHMENT_BYTES) throw new AttachmentTooLarge();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
