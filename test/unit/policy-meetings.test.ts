// Who may act on meetings, invitations, reminders and calendar feeds (src/domain/policy.ts); one describe block per area.
import { describe, expect, it } from "vitest";
import { policy, type Actor } from "../../src/domain/policy.js";

describe("calendar feed policy", () => {
  const ana: Actor = { id: "ana", role: "agent", teamIds: ["sales"], managedTeamIds: [] };
  const mia: Actor = { id: "mia", role: "manager", teamIds: [], managedTeamIds: ["sales"] };
  const admin: Actor = { id: "root", role: "admin", teamIds: [], managedTeamIds: [] };

  it("lets only the person make, renew or turn off their own feed link", () => {
    expect(policy.manageCalendarFeed(ana, "ana")).toEqual({ ok: true });
  });

  it("refuses everyone else, their manager and admins included (the feed shows private meetings)", () => {
    for (const other of [mia, admin]) {
      expect(policy.manageCalendarFeed(other, "ana")).toEqual({ ok: false, reason: "Only the person a calendar feed belongs to can change it." });
    }
  });
});

describe("meeting policy", () => {
  const organizer: Actor = { id: "org", role: "agent", teamIds: ["sales"], managedTeamIds: [] };
  const invited: Actor = { id: "inv", role: "agent", teamIds: ["sales"], managedTeamIds: [] };
  const stranger: Actor = { id: "x", role: "manager", teamIds: [], managedTeamIds: ["sales"] };
  const admin: Actor = { id: "root", role: "admin", teamIds: [], managedTeamIds: [] };
  const meeting = { organizerId: "org", attendeeUserIds: ["org", "inv"] };

  it("shows a meeting to its organizer, its invited colleagues and admins only", () => {
    expect([organizer, invited, admin].map((a) => policy.viewMeeting(a, meeting).ok)).toEqual([true, true, true]);
    expect(policy.viewMeeting(stranger, meeting)).toEqual({ ok: false, reason: "Only the organizer and the people invited can see this meeting." });
  });

  it("lets the organizer or an admin edit and cancel, not an attendee or a manager", () => {
    expect([organizer, admin].map((a) => policy.editMeeting(a, meeting).ok)).toEqual([true, true]);
    for (const a of [invited, stranger]) expect(policy.editMeeting(a, meeting)).toEqual({ ok: false, reason: "Only the organizer (or an admin) can change or cancel this meeting." });
  });

  it("lets only the invited person answer their invitation (not the organizer, not an admin, not a guest's)", () => {
    expect(policy.answerInvitation(invited, { userId: "inv" })).toEqual({ ok: true });
    for (const a of [organizer, admin]) expect(policy.answerInvitation(a, { userId: "inv" }).ok).toBe(false);
    expect(policy.answerInvitation(invited, { userId: null }).ok).toBe(false);
  });
});

describe("reminder snooze policy", () => {
  const ana: Actor = { id: "ana", role: "agent", teamIds: ["sales"], managedTeamIds: [] };
  const organizer: Actor = { id: "org", role: "manager", teamIds: [], managedTeamIds: ["sales"] };
  const admin: Actor = { id: "root", role: "admin", teamIds: [], managedTeamIds: [] };

  it("lets the person reminded snooze their reminder", () => {
    expect(policy.snoozeReminder(ana, "ana")).toEqual({ ok: true });
  });

  it("refuses anyone else, the organizer and admins included, and a reminder of an external guest", () => {
    for (const other of [organizer, admin]) {
      expect(policy.snoozeReminder(other, "ana")).toEqual({ ok: false, reason: "Only the person this reminder was sent to can snooze it." });
    }
    expect(policy.snoozeReminder(ana, null).ok).toBe(false);
  });
});
