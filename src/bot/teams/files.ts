// Teams files of a message a claim is opened from. Inline images live on the Bot Connector (contentUrl, bot token);
// files in a personal chat carry a pre-authenticated content.downloadUrl; channel files are SharePoint references
// that need Microsoft Graph permissions, which Switchboard does not ask for, so those are noted as not kept.
import type { TurnContext } from "botbuilder";
import { z } from "zod";
import type { FileSource, IncomingAttachment } from "../../handlers/claims/attachments.js";
import type { Logger } from "../../log.js";
import { downloadCapped } from "../download-capped.js";

/** messagePayload.attachments of a message action (only what we use). */
export const messageAttachments = z
  .array(
    z.object({
      contentType: z.string().max(200),
      contentUrl: z.string().max(2000).optional(),
      name: z.string().max(300).optional(),
      content: z.unknown().optional(),
    }),
  )
  .max(20)
  .optional();
export type MessageAttachments = z.infer<typeof messageAttachments>;

/** One carried file: name, type, url, whether it needs the bot token, or why it cannot be downloaded. */
const carried = z.array(z.object({ n: z.string(), t: z.string(), u: z.string().optional(), b: z.literal(1).optional(), x: z.string().optional() }));
type Carried = z.infer<typeof carried>[number];

/** Form context values are limited (2 KB on Teams cards): files whose URL does not fit are carried as "not kept". */
const CONTEXT_BUDGET = 1900;
const NOTE_RESERVE = 140;

export function teamsFileRefs(attachments: MessageAttachments): string | undefined {
  const items = (attachments ?? []).map(toCarried).filter((c): c is Carried => c !== undefined);
  const out: Carried[] = [];
  // Room is kept for a short note about each file still to come, so none is dropped silently.
  const fits = (list: Carried[], left: number) => JSON.stringify(list).length + left * NOTE_RESERVE <= CONTEXT_BUDGET;
  for (const [i, item] of items.entries()) {
    const left = items.length - i - 1;
    if (fits([...out, item], left)) out.push(item);
    else {
      const note: Carried = { n: item.n.slice(0, 60), t: item.t, x: "its link is too long to keep through the form" };
      if (!fits([...out, note], left)) break;
      out.push(note);
    }
  }
  return out.length ? JSON.stringify(out) : undefined;
}

function toCarried(a: NonNullable<MessageAttachments>[number], index: number): Carried | undefined {
  const name = a.name?.trim() || `file-${index + 1}`;
  if (a.contentType === "application/vnd.microsoft.teams.file.download.info") {
    const info = z.object({ downloadUrl: z.string().url(), fileType: z.string().optional() }).safeParse(a.content);
    return info.success ? { n: name, t: "application/octet-stream", u: info.data.downloadUrl } : { n: name, t: "application/octet-stream", x: "Teams gave no download link" };
  }
  if (a.contentType === "reference") return { n: name, t: "application/octet-stream", x: "it is a SharePoint file (Switchboard has no Graph permission)" };
  if (a.contentUrl && /^(image|video|audio|application)\//.test(a.contentType)) return { n: name === `file-${index + 1}` ? `image-${index + 1}` : name, t: a.contentType, u: a.contentUrl, b: 1 };
  return undefined; // cards, mentions and other non-file attachments
}

/** Downloads carried files; the bot token is sent only to the Bot Connector this activity came from. */
export function teamsFileSource(ctx: TurnContext, logger?: Logger): FileSource {
  return async (refs) => {
    const parsed = carried.safeParse(safeJson(refs));
    if (!parsed.success) {
      // The form carried files we cannot read back: the claim is saved without them.
      logger?.warn({ refsLength: refs.length }, "the claim form carried Teams files Switchboard cannot read; none were kept");
      return [];
    }
    const service = new URL(ctx.activity.serviceUrl);
    return parsed.data.map(
      (f): IncomingAttachment => ({
        name: f.n,
        contentType: f.t,
        size: 0,
        sourceRef: f.u?.slice(0, 500),
        skipReason: f.u ? undefined : (f.x ?? "Teams gave no link to it"),
        fetch: async () => {
          if (!f.u) throw new Error(`${f.n}: ${f.x ?? "no link"}`);
          const url = new URL(f.u);
          const headers: Record<string, string> = {};
          if (f.b) {
            if (url.host !== service.host) throw new Error(`refusing to send the bot token to ${url.host}`);
            const token = await botToken(ctx, logger);
            if (token) headers.Authorization = `Bearer ${token}`;
          }
          return downloadCapped(url, headers);
        },
      }),
    );
  };
}

/** The connector client's app token; none when Teams authentication is disabled (local tests). */
async function botToken(ctx: TurnContext, logger?: Logger): Promise<string | undefined> {
  const key = (ctx.adapter as unknown as { ConnectorClientKey?: symbol }).ConnectorClientKey;
  const client = key ? (ctx.turnState.get(key) as { credentials?: { getToken?: () => Promise<string> } } | undefined) : undefined;
  try {
    return (await client?.credentials?.getToken?.()) || undefined;
  } catch (error) {
    logger?.warn({ err: error }, "could not get the bot token for a Teams file; downloading it without one");
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
