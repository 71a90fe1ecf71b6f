// "Email me the .ics": exports one meeting as an iCalendar file to the person's own address, for any calendar client
// (chat platforms cannot hand a file to a calendar; email can, and Outlook and Gmail show Add / Accept on it).
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { meetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import { enqueueEmail } from "../../mail/outgoing.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { loadMeeting, meetingFacts } from "./load-meeting.js";
import { meetingIcs } from "./meeting-ics.js";

/** `value` is the meeting id. One email per meeting, person and meeting version: a double click sends one. */
export async function emailMeetingIcs(deps: Deps, who: Who, value: string): Promise<Reply> {
  const m = await loadMeeting(deps.db, value.trim());
  if (!m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.viewMeeting(who.actor, meetingFacts(m));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const ref = meetingReference(m.number);
  const method = m.status === "cancelled" ? "CANCEL" : "PUBLISH";
  const ics = await meetingIcs(deps.db, m.id, method, deps.now());
  if (!ics) return privateMessage(notice("That meeting no longer exists."));
  await deps.db.$transaction((tx) =>
    enqueueEmail(tx, {
      to: who.user.email,
      subject: `${ref}: ${m.title} (calendar file)`,
      text: `The calendar file of ${ref} "${m.title}" is attached. Open it to add the meeting to your calendar.`,
      ics: { method, content: ics },
      dedupeKey: `meeting-ics:${m.id}:${m.version}:${who.user.id}`,
    }),
  );
  return privateMessage(notice(`📧 The .ics of ${ref} is on its way to ${who.user.email}.`));
}
