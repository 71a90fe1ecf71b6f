import { describe, expect, it } from "vitest";
import { formatDateTime, fromLocalInput, localDayBounds, offsetMinutes, parseDateTime, toLocalInput } from "../../src/domain/time.js";

describe("time", () => {
  it("knows a zone's offset at an instant, DST included", () => {
    expect(offsetMinutes("Europe/Berlin", new Date("2026-01-15T12:00:00Z"))).toBe(60);
    expect(offsetMinutes("Europe/Berlin", new Date("2026-07-15T12:00:00Z"))).toBe(120);
    expect(offsetMinutes("America/New_York", new Date("2026-07-15T12:00:00Z"))).toBe(-240);
  });

  it("converts local form values to instants and back", () => {
    expect(fromLocalInput("2026-07-15T10:00", "Europe/Berlin")).toEqual(new Date("2026-07-15T08:00:00Z"));
    expect(fromLocalInput("2026-01-15 10:00", "Europe/Berlin")).toEqual(new Date("2026-01-15T09:00:00Z"));
    expect(toLocalInput(new Date("2026-07-15T08:00:00Z"), "Europe/Berlin")).toBe("2026-07-15T10:00");
    expect(fromLocalInput("tomorrow", "UTC")).toBeUndefined();
  });

  it("parses plain words relative to now and passes ISO instants through", () => {
    const now = new Date("2026-11-23T09:00:00Z");
    expect(parseDateTime("tomorrow 3pm", now, "Europe/Berlin")).toEqual(new Date("2026-11-24T14:00:00Z"));
    expect(parseDateTime("2026-12-01T10:00:00Z", now, "Europe/Berlin")).toEqual(new Date("2026-12-01T10:00:00Z"));
    expect(parseDateTime("no date here", now, "UTC")).toBeUndefined();
  });

  it("formats for a person in their zone, with the year only when it differs", () => {
    const now = new Date("2026-11-23T09:00:00Z");
    expect(formatDateTime(new Date("2026-11-24T09:00:00Z"), "Europe/Berlin", now)).toBe("Tue 24 Nov, 10:00");
    expect(formatDateTime(new Date("2027-01-05T09:00:00Z"), "Europe/Berlin", now)).toBe("Tue 5 Jan 2027, 10:00");
  });

  it("gives the bounds of the person's local day", () => {
    const { start, end } = localDayBounds(new Date("2026-11-23T23:30:00Z"), "Europe/Berlin");
    expect(start).toEqual(new Date("2026-11-23T23:00:00Z"));
    expect(end).toEqual(new Date("2026-11-24T23:00:00Z"));
  });
});
