// Keeps the files of the chat message a claim was opened from: downloaded after the claim is saved, capped in size.
import { AttachmentTooLarge, formatBytes, MAX_ATTACHMENT_BYTES, planAttachments } from "../../domain/claims.js";
import type { Deps } from "../deps.js";
import { addTimeline, publishClaimCard } from "./claim-notify.js";

/** A file as a chat platform offers it; `fetch` downloads the bytes (with the bot's credentials). */
export interface IncomingAttachment {
  name: string;
  contentType: string;
  size: number;
  /** Where it came from (Slack file id, Teams content URL). */
  sourceRef?: string;
  /** Set when the platform cannot give this file (e.g. a SharePoint file): it is noted, not fetched. */
  skipReason?: string;
  fetch(): Promise<Buffer>;
}

/** Turns the file references a form carried (context.files) back into downloadable files; given by each platform adapter. */
export type FileSource = (refs: string) => Promise<IncomingAttachment[]>;

/**
 * Downloads and stores the files, skipping those over the caps, then refreshes the claim's channel card.
 * Returns a note per file that was not kept (too big, or the download failed).
 */
export async function storeAttachments(deps: Deps, claimId: string, actorId: string, files: IncomingAttachment[]): Promise<string[]> {
  if (!files.length) return [];
  const stored = await deps.db.claimAttachment.aggregate({ where: { claimId }, _sum: { size: true } });
  const unavailable = files.filter((f) => f.skipReason);
  const plan = planAttachments(files.filter((f) => !f.skipReason), stored._sum.size ?? 0);
  const notes = [...unavailable.map((f) => `${f.name} was not kept: ${f.skipReason}.`), ...plan.skipped];
  const kept: { name: string; size: number }[] = [];
  for (const file of plan.keep) {
    try {
      const bytes = await file.fetch();
      const replan = planAttachments([{ name: file.name, size: bytes.length }], (stored._sum.size ?? 0) + kept.reduce((n, k) => n + k.size, 0));
      if (replan.skipped.length) {
        notes.push(...replan.skipped);
        continue;
      }
      await deps.db.claimAttachment.create({
        data: { claimId, fileName: file.name.slice(0, 255), contentType: file.contentType.slice(0, 255) || "application/octet-stream", size: bytes.length, content: new Uint8Array(bytes), sourceRef: file.sourceRef ?? null },
      });
      kept.push({ name: file.name, size: bytes.length });
    } catch (error) {
      if (error instanceof AttachmentTooLarge) {
        notes.push(`${file.name} was not kept: it is over the ${formatBytes(MAX_ATTACHMENT_BYTES)} limit per file.`);
        continue;
      }
      deps.logger.warn({ err: error, claimId, file: file.name }, "could not download a claim's file");
      notes.push(`${file.name} was not kept: it could not be downloaded.`);
    }
  }
  await deps.db.$transaction(async (tx) => {
    // The version is not bumped: files change no button's meaning, and the card just sent must stay usable.
    if (kept.length) {
      await addTimeline(tx, claimId, actorId, "attachments", `Kept ${kept.length} file(s): ${kept.map((k) => k.name).join(", ")}`);
    }
    for (const note of notes) await addTimeline(tx, claimId, actorId, "attachment-skipped", note);
    if (kept.length) await publishClaimCard(tx, deps, claimId);
  });
  return notes;
}
