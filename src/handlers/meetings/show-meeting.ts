// `/crm meeting MTG-0042`: the organizer's card for the organizer (and admins), the invitation for an invited colleague.
import { invitationCard, meetingCard } from "../../bot/views/meeting-card.js";
import { notice, privateMessage, type Reply } from "../../bot/views/view.js";
import { parseMeetingReference } from "../../domain/meetings.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { cardContext, cardData, loadMeeting, meetingFacts } from "./load-meeting.js";

export async function showMeeting(deps: Deps, who: Who, reference: string): Promise<Reply> {
  const number = parseMeetingReference(reference);
  const m = number !== undefined ? await loadMeeting(deps.db, number) : await loadMeeting(deps.db, reference.trim());
  if (!m) return privateMessage(notice(`There is no meeting ${reference.trim().slice(0, 40)}. Write it like MTG-0042.`));
  const allowed = policy.viewMeeting(who.actor, meetingFacts(m));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const ctx = cardContext(m, who.user.timeZone, deps.now());
  const mine = m.attendees.find((a) => a.userId === who.user.id);
  const isOrganizerView = policy.editMeeting(who.actor, m).ok || !mine;
  return privateMessage(isOrganizerView ? meetingCard(cardData(m), ctx) : invitationCard(cardData(m), mine.id, ctx));
}

/** An agenda line's "Open": value "<meetingId>:<occurrence original start, ms>" shows that occurrence. */
export async function showMeetingOccurrence(deps: Deps, who: Who, value: string): Promise<Reply> {
  const [id, at] = value.split(":");
  const m = id ? await loadMeeting(deps.db, id) : null;
  if (!m) return privateMessage(notice("That meeting no longer exists."));
  const allowed = policy.viewMeeting(who.actor, meetingFacts(m));
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const ctx = cardContext(m, who.user.timeZone, deps.now(), at && /^\d{1,15}$/.test(at) ? new Date(Number(at)) : undefined);
  const mine = m.attendees.find((a) => a.userId === who.user.id);
  return privateMessage(policy.editMeeting(who.actor, m).ok || !mine ? meetingCard(cardData(m), ctx) : invitationCard(cardData(m), mine.id, ctx));
}
