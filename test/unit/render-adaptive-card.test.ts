// The Teams renderer: exact Adaptive Card 1.5 JSON for the call card and the call form, markup, limits, and reading dialogs back.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { htmlToText } from "../../src/bot/teams/html-to-text.js";
import { readCardValues } from "../../src/bot/teams/read-card-values.js";
import { MAX_CARD_BYTES, renderMessageCard } from "../../src/bot/teams/render-adaptive-card.js";
import { renderFormCard, renderOpenFormCard } from "../../src/bot/teams/render-form-card.js";
import { toTeamsMarkdown } from "../../src/bot/teams/teams-markdown.js";
import { callCard, callForm } from "../../src/bot/views/calls.js";

const now = new Date("2026-11-23T09:00:00Z");
const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
const taskFetch = (verb: string, value: string) => ({ msteams: { type: "task/fetch" }, opener: { kind: "action", verb, value } });

describe("renderMessageCard", () => {
  it("renders the call card: header, bold subject, facts, notes, context with a link, and dialog buttons", () => {
    const view = callCard(
      {
        id: "c1",
        number: 42,
        direction: "outbound",
        state: "held",
        subject: "discussed renewal",
        notes: "Line one\nLine two",
        contactPhone: "+49 30 1234567",
        durationMinutes: 20,
        callAt: new Date("2026-11-23T08:30:00Z"),
        sourceLink: "https://teams.example/m/1",
        partner: { name: "Acme Corp" },
        owner: { name: "Ana Ruiz" },
      },
      "Europe/Berlin",
      now,
    );
    expect(renderMessageCard(view)).toEqual({
      type: "AdaptiveCard",
      $schema: SCHEMA,
      version: "1.5",
      fallbackText: "Call with Acme Corp: discussed renewal (CALL-0042)",
      body: [
        { type: "TextBlock", text: "Call with Acme Corp", size: "Large", weight: "Bolder", wrap: true },
        { type: "TextBlock", text: "**discussed renewal**", wrap: true },
        {
          type: "FactSet",
          facts: [
            { title: "When", value: "Mon 23 Nov, 09:30" },
            { title: "State", value: "Held" },
            { title: "Direction", value: "Outbound" },
            { title: "Duration", value: "20 min" },
            { title: "Phone", value: "+49 30 1234567" },
          ],
        },
        { type: "TextBlock", text: "Line one\n\nLine two", wrap: true },
        { type: "TextBlock", text: "CALL-0042 · Ana Ruiz · [from this message](https://teams.example/m/1)", size: "Small", isSubtle: true, wrap: true },
        {
          type: "ActionSet",
          actions: [
            { type: "Action.Execute", title: "Create opportunity", verb: "call.to-opportunity", data: { value: "c1:0" } },
            { type: "Action.Submit", title: "Schedule meeting", data: taskFetch("meeting.new-for", "call:c1") },
            { type: "Action.Submit", title: "Schedule follow-up", data: taskFetch("call.follow-up", "c1"), style: "positive" },
            { type: "Action.Submit", title: "Edit", data: taskFetch("call.edit", "c1") },
          ],
        },
      ],
    });
  });

  it("renders immediate buttons as Action.Execute, links as Action.OpenUrl, and a divider as a separator", () => {
    const card = renderMessageCard({
      text: "Pick one",
      blocks: [
        { type: "text", text: "First" },
        { type: "divider" },
        { type: "context", text: "_after the line_" },
        {
          type: "actions",
          actions: [
            { id: "merge.approve", label: "Approve", value: "r1", style: "primary" },
            { id: "merge.reject", label: "Reject", value: "r1", style: "danger" },
            { id: "open", label: "Open", url: "https://example.com/x" },
          ],
        },
      ],
    });
    expect(card.body).toEqual([
      { type: "TextBlock", text: "First", wrap: true },
      { type: "TextBlock", text: "_after the line_", size: "Small", isSubtle: true, wrap: true, separator: true, spacing: "Medium" },
      {
        type: "ActionSet",
        actions: [
          { type: "Action.Execute", title: "Approve", verb: "merge.approve", data: { value: "r1" }, style: "positive" },
          { type: "Action.Execute", title: "Reject", verb: "merge.reject", data: { value: "r1" }, style: "destructive" },
          { type: "Action.OpenUrl", title: "Open", url: "https://example.com/x" },
        ],
      },
    ]);
  });

  it("keeps a card under Teams' size limit by dropping the tail, with a note", () => {
    const blocks = Array.from({ length: 200 }, (_, i) => ({ type: "text" as const, text: `${i} ${"x".repeat(300)}` }));
    const card = renderMessageCard({ text: "Long", blocks });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(card.body.at(-1)).toMatchObject({ text: "…shortened to fit Teams. Ask Switchboard for the rest." });
    expect(card.body.length).toBeGreaterThan(50);
  });
});

describe("toTeamsMarkdown", () => {
  it("turns our markup into Teams Markdown, leaving code spans alone", () => {
    expect(toTeamsMarkdown("*bold* and _italic_ and `a*b*c` and <https://x.example/a|the link> and <https://y.example>")).toBe(
      "**bold** and _italic_ and `a*b*c` and [the link](https://x.example/a) and https://y.example",
    );
  });

  it("does not read multiplication or lone asterisks as bold", () => {
    expect(toTeamsMarkdown("2*3*4 costs 5 * 6")).toBe("2*3*4 costs 5 * 6");
  });
});

describe("renderFormCard", () => {
  it("renders the call form with errors, a date/time pair in the person's zone, a Data.Query search, and hidden data on submit", () => {
    const form = callForm("Europe/Berlin", now, { callId: "c1", partner: { value: "p1", label: "Acme Corp" }, subject: "Renewal", durationMinutes: 20 });
    const card = renderFormCard({ ...form, errors: { subject: "Say what the call was about." } }, "Europe/Berlin", { kind: "action", verb: "call.edit", value: "c1" });
    const radio = (id: string, label: string, value: string, choices: [string, string][]) => ({
      type: "Input.ChoiceSet",
      id,
      label,
      isRequired: true,
      errorMessage: `${label} is required.`,
      style: "expanded",
      choices: choices.map(([title, v]) => ({ title, value: v })),
      value,
    });
    expect(card).toEqual({
      type: "AdaptiveCard",
      $schema: SCHEMA,
      version: "1.5",
      fallbackText: "Edit call",
      body: [
        radio("direction", "Direction", "outbound", [["Outbound", "outbound"], ["Inbound", "inbound"]]),
        radio("state", "State", "held", [["Held", "held"], ["Planned", "planned"]]),
        {
          type: "Input.ChoiceSet",
          id: "partner",
          label: "Partner",
          isRequired: false,
          placeholder: "Type a company or person; a new name creates it",
          style: "filtered",
          choices: [{ title: "Acme Corp", value: "p1" }],
          "choices.data": { type: "Data.Query", dataset: "partners" },
          value: "p1",
        },
        { type: "Input.Text", id: "contactPhone", label: "Contact phone", isRequired: false, placeholder: "+49 30 1234567", maxLength: 40 },
        {
          type: "Input.Text",
          id: "subject",
          label: "Subject",
          isRequired: true,
          errorMessage: "Say what the call was about.",
          placeholder: "What was the call about?",
          maxLength: 500,
          value: "Renewal",
        },
        { type: "TextBlock", text: "Say what the call was about.", color: "Attention", size: "Small", wrap: true, spacing: "Small" },
        { type: "Input.Text", id: "notes", label: "Notes", isRequired: false, isMultiline: true, maxLength: 3000 },
        { type: "Input.Number", id: "durationMinutes", label: "Duration (minutes)", isRequired: false, value: 20 },
        {
          type: "ColumnSet",
          columns: [
            {
              type: "Column",
              width: "stretch",
              items: [{ type: "Input.Date", id: "callAt__date", label: "Date and time", isRequired: true, errorMessage: "Date and time is required.", value: "2026-11-23" }],
            },
            {
              type: "Column",
              width: "stretch",
              items: [{ type: "Input.Time", id: "callAt__time", label: "Time", isRequired: true, errorMessage: "Date and time is required.", value: "10:00" }],
            },
          ],
        },
        { type: "TextBlock", text: "Your time zone: Europe/Berlin", size: "Small", isSubtle: true, wrap: true, spacing: "Small" },
      ],
      actions: [
        {
          type: "Action.Submit",
          title: "Save",
          style: "positive",
          data: { formId: "call.form", context: { callId: "c1" }, opener: { kind: "action", verb: "call.edit", value: "c1" } },
        },
      ],
    });
  });

  it("shows the intro and errors that belong to no field at the top", () => {
    const form = callForm("UTC", now, { intro: "Logging a call from a chat message." });
    const card = renderFormCard({ ...form, errors: { form: "That call no longer exists." } }, "UTC");
    expect(card.body.slice(0, 2)).toEqual([
      { type: "TextBlock", text: "Logging a call from a chat message.", wrap: true },
      { type: "TextBlock", text: "That call no longer exists.", color: "Attention", size: "Small", wrap: true, spacing: "Small" },
    ]);
    expect(card.actions?.[0]).toMatchObject({ data: { formId: "call.form", context: {} } });
  });

  it("renders checkboxes as an expanded multi-select ChoiceSet whose value is the comma-separated initial", () => {
    const options = [{ value: "a", label: "OPP-0010" }, { value: "b", label: "OPP-0015" }];
    const form = { id: "merge.request", title: "Request a merge", submitLabel: "Request", schema: z.object({}), fields: [{ id: "leadIds", label: "Records", kind: "checkboxes" as const, initial: "a,b", options }] };
    expect(renderFormCard(form, "UTC").body[0]).toEqual({
      type: "Input.ChoiceSet",
      id: "leadIds",
      label: "Records",
      isRequired: true,
      errorMessage: "Records is required.",
      isMultiSelect: true,
      style: "expanded",
      choices: [{ title: "OPP-0010", value: "a" }, { title: "OPP-0015", value: "b" }],
      value: "a,b",
    });
  });

  it("offers a form in a chat message as a button that opens the dialog", () => {
    expect(renderOpenFormCard(callForm("UTC", now), { kind: "command", text: "call" })).toEqual({
      type: "AdaptiveCard",
      $schema: SCHEMA,
      version: "1.5",
      fallbackText: "Log a call",
      body: [{ type: "TextBlock", text: "Log a call", size: "Medium", weight: "Bolder", wrap: true }],
      actions: [{ type: "Action.Submit", title: "Open: Log a call", style: "positive", data: { msteams: { type: "task/fetch" }, opener: { kind: "command", text: "call" } } }],
    });
  });
});

describe("reading a submitted dialog", () => {
  it("joins date and time inputs into a local value and drops the hidden data", () => {
    expect(
      readCardValues({ formId: "call.form", context: { callId: "c1" }, opener: {}, msteams: {}, subject: "Hi", durationMinutes: 20, callAt__date: "2026-11-24", callAt__time: "10:00:00" }),
    ).toEqual({ subject: "Hi", durationMinutes: "20", callAt: "2026-11-24T10:00" });
  });

  it("reads a multi-select ChoiceSet as Teams sends it: values joined by commas", () => {
    expect(readCardValues({ formId: "merge.request", leadIds: "a,b" })).toEqual({ leadIds: "a,b" });
  });

  it("reads a date without a time as the start of the day, and a time alone as no date", () => {
    expect(readCardValues({ a__date: "2026-11-24", b__time: "10:00" })).toEqual({ a: "2026-11-24T00:00" });
  });
});

describe("htmlToText", () => {
  it("keeps the words and line breaks of a Teams message, drops tags and scripts, decodes entities", () => {
    expect(htmlToText('<div><p>Hello <b>Ana</b>&nbsp;&amp; team</p><p>Line&#160;2<br/>Line 3 &lt;ok&gt; &#x1F600;</p><script>alert("x")</script><img src=x onerror=alert(1)></div>')).toBe(
      "Hello Ana & team\nLine 2\nLine 3 <ok> 😀",
    );
  });
});
