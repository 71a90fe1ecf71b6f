// The reminder card and email text: "⏰ Standup in 15 min (09:00–09:15, Room 2)", in the reader's time zone.
import { describe, expect, it } from "vitest";
import { reminderCard, reminderEmail, startsIn } from "../../src/bot/views/reminder-card.js";

const standup = {
  number: 42,
  title: "Standup",
  location: "Room 2",
  videoUrl: "https://meet.example.com/s",
  isAllDay: false,
  startAt: new Date("2030-01-07T08:00:00Z"),
  endAt: new Date("2030-01-07T08:15:00Z"),
};
const due = new Date("2030-01-07T07:45:00Z");

describe("reminder card", () => {
  it("says how soon, from when to when in the reader's zone, and where, with Join and two Snooze buttons", () => {
    const card = reminderCard(standup, "d1", "Europe/Berlin", due);
    expect(card.text).toBe("⏰ Standup in 15 min (09:00–09:15, Room 2)");
    expect(reminderCard(standup, "d1", "America/New_York", due).text).toBe("⏰ Standup in 15 min (03:00–03:15, Room 2)");
    const actions = card.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
    expect(actions.map((a) => [a.id, a.label, a.value ?? a.url])).toEqual([
      ["meeting.join", "Join", "https://meet.example.com/s"],
      ["reminder.snooze", "Snooze 5 min", "d1:5"],
      ["reminder.snooze", "Snooze 10 min", "d1:10"],
    ]);
    expect(card.blocks.at(-1)).toEqual({ type: "context", text: "MTG-0042 · times in Europe/Berlin" });
  });

  it("has no Join without a video link and no Snooze once snoozed; shows the date when it is not today", () => {
    const card = reminderCard({ ...standup, videoUrl: null }, "d1", "Europe/Berlin", new Date("2030-01-06T08:00:00Z"), { snoozed: true });
    expect(card.blocks.some((b) => b.type === "actions")).toBe(false);
    expect(card.text).toBe("⏰ Standup in 1 day (Mon 7 Jan, 09:00–09:15, Room 2)");
  });

  it("counts late and long leads in words", () => {
    expect(startsIn(standup.startAt, new Date("2030-01-07T08:03:00Z"))).toBe("started 3 min ago");
    expect(startsIn(standup.startAt, standup.startAt)).toBe("now");
    expect(startsIn(standup.startAt, new Date("2030-01-07T06:30:00Z"))).toBe("in 1 h 30 min");
  });

  it("cuts a huge title and keeps markup out of the card", () => {
    const card = reminderCard({ ...standup, title: `<!channel> ${"x".repeat(5000)}` }, "d1", "UTC", due);
    expect(card.text.length).toBeLessThan(250);
    const text = card.blocks[0]!.type === "text" ? card.blocks[0]!.text : "";
    expect(text).not.toContain("<!channel>");
  });

  it("writes the email for a guest in the meeting's zone, with the link", () => {
    const mail = reminderEmail(standup, "Europe/Berlin", new Date("2030-01-07T07:00:00Z"));
    expect(mail.subject).toBe("Reminder: Standup in 1 h");
    expect(mail.text).toBe("Standup starts Mon 7 Jan, 09:00 (Europe/Berlin).\nWhen: 09:00–09:15\nWhere: Room 2\nJoin: https://meet.example.com/s\n\nMTG-0042");
  });
});
