// Unhappy paths of the bot adapters' helpers: failures are logged and turned into notes, never dropped silently.
import { describe, expect, it, vi } from "vitest";
import type { TurnContext } from "botbuilder";
import type { Logger } from "../../src/log.js";
import { slackFileSource } from "../../src/bot/slack/files.js";
import { permalink } from "../../src/bot/slack/permalink.js";
import type { WebClient } from "../../src/bot/slack/slack-surface.js";
import { teamsFileSource } from "../../src/bot/teams/files.js";
import { callFormSchema } from "../../src/bot/views/calls.js";
import { closeForm, noteForm, reassignForm, stageForm, typeForm } from "../../src/bot/views/case-forms.js";
import { dateField } from "../../src/bot/views/date-field.js";
import { escapeMarkup, formatMinutes, truncate } from "../../src/bot/views/view.js";

function fakeLogger() {
  return { warn: vi.fn(), info: vi.fn(), debug: vi.fn(), error: vi.fn() } as unknown as Logger & { warn: ReturnType<typeof vi.fn> };
}

describe("Slack files of a claim", () => {
  it("notes a file Slack refuses to describe (missing scope) and logs why", async () => {
    const logger = fakeLogger();
    const client = { files: { info: vi.fn().mockRejectedValue({ data: { error: "missing_scope" } }) } } as unknown as WebClient;
    const [file] = await slackFileSource(client, logger)("F1ABC");
    expect(file).toMatchObject({ name: "F1ABC", size: 0, skipReason: expect.stringContaining("files:read") });
    await expect(file!.fetch()).rejects.toThrow("files:read");
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ file: "F1ABC", slackError: "missing_scope" }), expect.any(String));
  });

  it("notes a file whose description is unreadable (network error) with the general reason", async () => {
    const logger = fakeLogger();
    const client = { files: { info: vi.fn().mockRejectedValue(new Error("socket hang up")) } } as unknown as WebClient;
    const [file] = await slackFileSource(client, logger)("F2DEF");
    expect(file?.skipReason).toBe("Slack did not describe the file");
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("ignores refs that are not Slack file ids without asking Slack", async () => {
    const info = vi.fn();
    const files = await slackFileSource({ files: { info } } as unknown as WebClient)("not-an-id,../x");
    expect(files).toEqual([]);
    expect(info).not.toHaveBeenCalled();
  });
});

describe("Teams files of a claim", () => {
  const ctx = { activity: { serviceUrl: "https://smba.trafficmanager.net/emea/" }, adapter: {}, turnState: new Map() } as unknown as TurnContext;

  it("logs when the carried files cannot be read back, and keeps none", async () => {
    const logger = fakeLogger();
    expect(await teamsFileSource(ctx, logger)("{not json")).toEqual([]);
    expect(await teamsFileSource(ctx, logger)(JSON.stringify([{ wrong: 1 }]))).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it("refuses to send the bot token to another host than the Bot Connector", async () => {
    const [file] = await teamsFileSource(ctx)(JSON.stringify([{ n: "a.png", t: "image/png", u: "https://evil.example.com/a.png", b: 1 }]));
    await expect(file!.fetch()).rejects.toThrow("refusing to send the bot token");
  });

  it("keeps the reason of a file that has no link", async () => {
    const [file] = await teamsFileSource(ctx)(JSON.stringify([{ n: "plan.docx", t: "application/octet-stream", x: "it is a SharePoint file" }]));
    expect(file?.skipReason).toBe("it is a SharePoint file");
    await expect(file!.fetch()).rejects.toThrow("plan.docx");
  });
});

describe("permalink of a shortcut's message", () => {
  it("gives the link when Slack has one", async () => {
    const client = { chat: { getPermalink: vi.fn().mockResolvedValue({ permalink: "https://x.slack.com/archives/C1/p1" }) } } as unknown as WebClient;
    expect(await permalink(client, "C1", "1.2", fakeLogger())).toBe("https://x.slack.com/archives/C1/p1");
  });

  it("gives no link, and logs, when the channel is not visible to the app", async () => {
    const logger = fakeLogger();
    const client = { chat: { getPermalink: vi.fn().mockRejectedValue({ data: { error: "channel_not_found" } }) } } as unknown as WebClient;
    expect(await permalink(client, "C1", "1.2", logger)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ channel: "C1" }), expect.any(String));
  });
});

describe("shared view helpers", () => {
  it("reads dates in the person's zone, ISO instants as given, and refuses others with the field's message", () => {
    const field = dateField("Europe/Berlin", "Use a date and time like 2026-11-24 10:00.", "Give the date.");
    expect(field.parse("2026-11-24 10:00")).toEqual(new Date("2026-11-24T09:00:00Z"));
    expect(field.parse("2026-11-24T10:00:00Z")).toEqual(new Date("2026-11-24T10:00:00Z"));
    expect(field.safeParse("next week-ish").error?.issues[0]?.message).toBe("Use a date and time like 2026-11-24 10:00.");
    expect(field.safeParse(undefined).error?.issues[0]?.message).toBe("Give the date.");
  });

  it("the call form asks for the call's date when it is missing and refuses an unreadable one", () => {
    const schema = callFormSchema("Europe/Berlin");
    const missing = schema.safeParse({ subject: "renewal" });
    expect(missing.error?.issues.find((i) => i.path[0] === "callAt")?.message).toBe("Give the date and time of the call.");
    const bad = schema.safeParse({ subject: "renewal", callAt: "soonish" });
    expect(bad.error?.issues.find((i) => i.path[0] === "callAt")?.message).toBe("Use a date and time like 2026-11-24 10:00.");
  });

  it("escapes markup, truncates with an ellipsis and formats minutes", () => {
    expect(escapeMarkup("<@U1> <https://x|y>")).toBe("‹@U1› ‹https://x|y›");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(135)).toBe("2 h 15 min");
  });
});

describe("the small case forms behind the card's buttons", () => {
  const c = { id: "case-1", number: 42, version: 3 };

  it("carry the case and the version the card showed, and an intro only where they have one", () => {
    for (const form of [noteForm(c), closeForm(c), reassignForm(c), stageForm({ ...c, stageId: "s1" }, [{ id: "s1", name: "New" }]), typeForm({ ...c, typeId: null }, [])]) {
      expect(form.context).toEqual({ caseId: "case-1", version: "3" });
    }
    expect(noteForm(c).intro).toMatch(/^\*Internal note — not emailed\.\*/);
    expect("intro" in closeForm(c)).toBe(false);
    expect(stageForm({ ...c, stageId: "s1" }, []).intro).toContain("closes the case");
  });

  it("refuse a missing or blank required value with the same message", () => {
    const form = noteForm(c);
    expect(form.schema.safeParse({}).error?.issues[0]?.message).toBe("Write the note.");
    expect(form.schema.safeParse({ note: "" }).error?.issues[0]?.message).toBe("Write the note.");
    expect(form.schema.safeParse({ note: "x".repeat(3001) }).error?.issues[0]?.message).toBe("A note is limited to 3,000 characters.");
  });
});
