// Views of the personal calendar feed (the subscription link) and of importing meetings from an .ics file.
import { z } from "zod";
import type { Action, Form, MessageView } from "./view.js";
import { escapeMarkup, truncate } from "./view.js";

export const CALENDAR_NEW_LINK = "calendar.new-link";
export const CALENDAR_TURN_OFF = "calendar.turn-off";
/** Slack message shortcut callback_id and Teams message-action command id. */
export const MEETING_IMPORT_FROM_MESSAGE = "meeting.import-from-message";
export const MEETING_IMPORT_FORM_ID = "meeting.import";

const HOW_TO_SUBSCRIBE =
  "Add it in Google Calendar (Other calendars → From URL), Outlook (Add calendar → Subscribe from web) or Apple Calendar (File → New Calendar Subscription). Calendars refresh it every few hours.";

function feedButtons(tokenId: string): Action[] {
  return [
    { id: CALENDAR_NEW_LINK, label: "New link (revokes the old one)", value: tokenId },
    { id: CALENDAR_TURN_OFF, label: "Turn off", value: tokenId, style: "danger" },
  ];
}

/** The link itself, shown once when it is made: only its fingerprint is stored, so it cannot be shown again. */
export function calendarFeedLinkView(url: string, tokenId: string, opts: { isRenewal: boolean }): MessageView {
  const lead = opts.isRenewal ? "Here is your new calendar feed link. The old link no longer works." : "Here is your personal calendar feed link.";
  return {
    text: `${lead} ${url}`,
    blocks: [
      { type: "header", text: "Your calendar feed" },
      { type: "text", text: `${lead}\n\`${url}\`` },
      { type: "context", text: `${HOW_TO_SUBSCRIBE} Anyone with this link can read your meetings: keep it to yourself. Switchboard shows it only now; copy it before you close this message.` },
      { type: "actions", actions: feedButtons(tokenId) },
    ],
  };
}

/** The feed is on, but its link cannot be shown again (only a hash is kept). */
export function calendarFeedStatusView(facts: { tokenId: string; createdAt: string; lastUsedAt?: string }): MessageView {
  const used = facts.lastUsedAt ? `last read by a calendar ${facts.lastUsedAt}` : "not read by any calendar yet";
  const text = `Your calendar feed is on (link made ${facts.createdAt}; ${used}).`;
  return {
    text,
    blocks: [
      { type: "header", text: "Your calendar feed" },
      { type: "text", text },
      { type: "context", text: "Switchboard keeps only a fingerprint of the link, so it cannot show it again. If you lost it, make a new link: the old one stops working." },
      { type: "actions", actions: feedButtons(facts.tokenId) },
    ],
  };
}

export const calendarFeedOffText = "Your calendar feed is off: its link now answers “not found”. Run `/crm calendar` to make a new link.";
export const calendarFeedStaleText = "That link was already replaced or turned off. Run `/crm calendar` to see your feed.";

/** "Import meetings from .ics" on a message: a confirmation, so the files' references ride in the form's context. */
export function importCalendarForm(files: string): Form {
  return {
    id: MEETING_IMPORT_FORM_ID,
    title: "Import meetings",
    submitLabel: "Import",
    intro: "Import the meetings of this message's .ics file into Switchboard? Meetings you imported before are updated, not duplicated; no invitations are sent.",
    fields: [],
    schema: z.object({}).passthrough(),
    context: { files },
  };
}

export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
  skipped: string[];
}

/** "Imported 3 meetings (1 updated, 2 new); skipped 1: …". */
export function importSummaryView(outcome: ImportOutcome, references: string[]): MessageView {
  const { created, updated, unchanged, skipped } = outcome;
  const imported = created + updated;
  const parts = [`Imported ${imported} meeting${imported === 1 ? "" : "s"} (${updated} updated, ${created} new)`];
  if (unchanged) parts.push(`${unchanged} unchanged`);
  const head = parts.join("; ");
  const skippedLine = skipped.length ? `; skipped ${skipped.length}: ${skipped.slice(0, 10).join("; ")}${skipped.length > 10 ? ` (and ${skipped.length - 10} more)` : ""}` : "";
  const text = `${head}${skippedLine}.`;
  return {
    text,
    blocks: [{ type: "text", text: escapeMarkup(text) }, ...(references.length ? [{ type: "context" as const, text: escapeMarkup(truncate(references.join(", "), 2000)) }] : [])],
  };
}
