import { describe, expect, it } from "vitest";
import { z } from "zod";
import { renderHome, renderMessage, renderModal, renderOptions, intentOf } from "../../src/bot/slack/render-block-kit.js";
import { toMrkdwn } from "../../src/bot/slack/mrkdwn.js";
import { readViewState } from "../../src/bot/slack/read-view-state.js";
import type { Form, FormField, MessageView } from "../../src/bot/views/view.js";

const plain = (text: string) => ({ type: "plain_text", text });

function aForm(fields: FormField[], extra: Partial<Form> = {}): Form {
  return { id: "call.form", title: "Log a call", submitLabel: "Save", fields, schema: z.object({}), ...extra };
}

describe("rendering messages as Block Kit", () => {
  it("renders every block kind", () => {
    const view: MessageView = {
      text: "Call with Acme",
      blocks: [
        { type: "header", text: "Call with Acme" },
        { type: "text", text: "*Renewal* _soon_ `CALL-0001` <https://example.com/x|link>" },
        { type: "fields", fields: [{ label: "When", value: "Tue 24 Nov, 10:00" }, { label: "State", value: "Held" }] },
        { type: "divider" },
        { type: "context", text: "CALL-0001 · Ana" },
        {
          type: "actions",
          actions: [
            { id: "call.edit", label: "Edit", value: "id-1", opensForm: true },
            { id: "call.follow-up", label: "Schedule follow-up", value: "id-1", style: "primary" },
            { id: "docs", label: "Docs", url: "https://example.com/docs" },
          ],
        },
      ],
    };
    expect(renderMessage(view)).toEqual({
      text: "Call with Acme",
      blocks: [
        { type: "header", text: plain("Call with Acme") },
        { type: "section", text: { type: "mrkdwn", text: "*Renewal* _soon_ `CALL-0001` <https://example.com/x|link>" } },
        { type: "section", fields: [{ type: "mrkdwn", text: "*When*\nTue 24 Nov, 10:00" }, { type: "mrkdwn", text: "*State*\nHeld" }] },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "CALL-0001 · Ana" }] },
        {
          type: "actions",
          elements: [
            { type: "button", action_id: "call.edit", text: plain("Edit"), value: "id-1" },
            { type: "button", action_id: "call.follow-up", text: plain("Schedule follow-up"), value: "id-1", style: "primary" },
            { type: "button", action_id: "docs", text: plain("Docs"), url: "https://example.com/docs" },
          ],
        },
      ],
    });
  });

  it("escapes &, < and > outside links and mentions", () => {
    expect(toMrkdwn("R&D < 5 > 3 <https://a.example/?q=1&r=2|A&B> <@U1>")).toBe("R&amp;D &lt; 5 &gt; 3 <https://a.example/?q=1&r=2|A&B> <@U1>");
  });

  it("gives repeated button intents in one block distinct action_ids, which map back to the intent", () => {
    const { blocks } = renderMessage({
      text: "Which partner?",
      blocks: [{ type: "actions", actions: [{ id: "call.quick-with-partner", label: "Use A", value: "a" }, { id: "call.quick-with-partner", label: "Use B", value: "b" }] }],
    });
    const ids = (blocks[0] as any).elements.map((e: any) => e.action_id);
    expect(ids).toEqual(["call.quick-with-partner", "call.quick-with-partner#2"]);
    expect(ids.map(intentOf)).toEqual(["call.quick-with-partner", "call.quick-with-partner"]);
  });

  it("truncates to Slack's limits: 3000-char sections, 75-char buttons, 25 actions, 150-char headers", () => {
    const { blocks } = renderMessage({
      text: "x",
      blocks: [
        { type: "header", text: "h".repeat(200) },
        { type: "text", text: "a".repeat(5000) },
        { type: "actions", actions: Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, label: "L".repeat(100) })) },
      ],
    });
    const [header, section, actions] = blocks as any[];
    expect(header.text.text).toBe(`${"h".repeat(149)}…`);
    expect(section.text.text).toBe(`${"a".repeat(2999)}…`);
    expect(actions.elements).toHaveLength(25);
    expect(actions.elements[0].text.text).toBe(`${"L".repeat(74)}…`);
  });

  it("never cuts an escape or a link in half when truncating", () => {
    const { blocks } = renderMessage({ text: "x", blocks: [{ type: "text", text: `${"a".repeat(2996)}&&&&` }] });
    expect((blocks[0] as any).text.text).toBe(`${"a".repeat(2996)}…`);
  });

  it("splits more than 10 fields into several sections", () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: `V${i}` }));
    const { blocks } = renderMessage({ text: "x", blocks: [{ type: "fields", fields }] });
    expect(blocks.map((b: any) => b.fields.length)).toEqual([10, 2]);
  });

  it("keeps a message to 50 blocks, saying how many were left out", () => {
    const { blocks } = renderMessage({ text: "x", blocks: Array.from({ length: 60 }, () => ({ type: "divider" as const })) });
    expect(blocks).toHaveLength(50);
    expect(blocks[49]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…11 more not shown." }] });
  });

  it("drops empty text blocks and empty action rows (Slack rejects them)", () => {
    const { blocks } = renderMessage({ text: "x", blocks: [{ type: "text", text: " " }, { type: "actions", actions: [] }, { type: "context", text: "" }] });
    expect(blocks).toEqual([]);
  });

  it("renders App Home as a home view with up to 100 blocks", () => {
    const home = renderHome({ text: "Home", blocks: [{ type: "header", text: "Hello Ana" }, ...Array.from({ length: 120 }, () => ({ type: "divider" as const }))] });
    expect(home.type).toBe("home");
    expect(home.blocks).toHaveLength(100);
    expect(home.blocks[0]).toEqual({ type: "header", text: plain("Hello Ana") });
  });
});

describe("rendering forms as Slack modals", () => {
  it("renders every field kind with ids, initial values, optional flags and hints", () => {
    const at = "2026-11-24T09:00:00.000Z";
    const form = aForm(
      [
        { id: "subject", label: "Subject", kind: "text", placeholder: "What about?", initial: "Renewal", maxLength: 500 },
        { id: "notes", label: "Notes", kind: "textarea", isOptional: true },
        { id: "minutes", label: "Minutes", kind: "number", isOptional: true, initial: "20" },
        { id: "size", label: "Size", kind: "select", initial: "m", options: [{ value: "s", label: "Small" }, { value: "m", label: "Medium" }] },
        { id: "direction", label: "Direction", kind: "radio", initial: "outbound", options: [{ value: "outbound", label: "Outbound" }, { value: "inbound", label: "Inbound" }] },
        { id: "callAt", label: "Date and time", kind: "datetime", initial: at, hint: "Your time zone: Europe/Berlin" },
        { id: "partner", label: "Partner", kind: "search", searchSource: "partners", isOptional: true, initial: "p1", options: [{ value: "p1", label: "Acme Corp" }] },
      ],
      { context: { callId: "c1" }, intro: "Logging a call from a chat message." },
    );
    expect(renderModal(form)).toEqual({
      type: "modal",
      callback_id: "call.form",
      title: plain("Log a call"),
      submit: plain("Save"),
      close: plain("Cancel"),
      private_metadata: '{"callId":"c1"}',
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "Logging a call from a chat message." } },
        { type: "input", block_id: "subject", label: plain("Subject"), element: { type: "plain_text_input", action_id: "subject", max_length: 500, initial_value: "Renewal", placeholder: plain("What about?") } },
        { type: "input", block_id: "notes", label: plain("Notes"), optional: true, element: { type: "plain_text_input", action_id: "notes", multiline: true } },
        { type: "input", block_id: "minutes", label: plain("Minutes"), optional: true, element: { type: "number_input", action_id: "minutes", is_decimal_allowed: false, initial_value: "20" } },
        {
          type: "input",
          block_id: "size",
          label: plain("Size"),
          element: { type: "static_select", action_id: "size", options: [{ text: plain("Small"), value: "s" }, { text: plain("Medium"), value: "m" }], initial_option: { text: plain("Medium"), value: "m" } },
        },
        {
          type: "input",
          block_id: "direction",
          label: plain("Direction"),
          element: { type: "radio_buttons", action_id: "direction", options: [{ text: plain("Outbound"), value: "outbound" }, { text: plain("Inbound"), value: "inbound" }], initial_option: { text: plain("Outbound"), value: "outbound" } },
        },
        { type: "input", block_id: "callAt", label: plain("Date and time"), hint: plain("Your time zone: Europe/Berlin"), element: { type: "datetimepicker", action_id: "callAt", initial_date_time: Date.parse(at) / 1000 } },
        {
          type: "input",
          block_id: "partner",
          label: plain("Partner"),
          optional: true,
          element: { type: "external_select", action_id: "search:partners", min_query_length: 0, initial_option: { text: plain("Acme Corp"), value: "p1" } },
        },
      ],
    });
  });

  it("cuts the title and submit label to 24 characters", () => {
    const modal = renderModal(aForm([], { title: "Schedule a follow-up call with the partner", submitLabel: "Save and notify everybody now" }));
    expect(modal.title.text).toBe("Schedule a follow-up ca…");
    expect(modal.submit!.text).toBe("Save and notify everybo…");
  });

  it("shows a re-rendered form's errors as the field hint", () => {
    const modal = renderModal(aForm([{ id: "subject", label: "Subject", kind: "text", hint: "Short" }], { errors: { subject: "Say what the call was about." } }));
    expect((modal.blocks[0] as any).hint).toEqual(plain("⚠️ Say what the call was about."));
  });

  it("renders checkboxes with at most 10 options, checking the comma-separated initial values", () => {
    const options = Array.from({ length: 12 }, (_, i) => ({ value: `o${i}`, label: `OPP-${i}` }));
    const modal = renderModal(aForm([{ id: "leadIds", label: "Records", kind: "checkboxes", initial: "o1,o3,o11", options }]));
    const element = (modal.blocks[0] as any).element;
    expect(element.type).toBe("checkboxes");
    expect(element.action_id).toBe("leadIds");
    expect(element.options).toHaveLength(10);
    expect(element.initial_options).toEqual([{ text: plain("OPP-1"), value: "o1" }, { text: plain("OPP-3"), value: "o3" }]);
    const none = renderModal(aForm([{ id: "leadIds", label: "Records", kind: "checkboxes", options }]));
    expect((none.blocks[0] as any).element.initial_options).toBeUndefined();
  });

  it("refuses a context larger than private_metadata allows (a bug in the form, not the person's)", () => {
    expect(() => renderModal(aForm([], { context: { big: "x".repeat(3000) } }))).toThrow(/context is 3\d{3} characters/);
  });
});

describe("reading a submitted modal", () => {
  it("reads checkboxes as the checked values joined by commas, and none checked as empty", () => {
    const values = readViewState({
      leadIds: { leadIds: { type: "checkboxes", selected_options: [{ value: "a" }, { value: "b" }] } },
      none: { none: { type: "checkboxes", selected_options: [] } },
      reason: { reason: { type: "plain_text_input", value: "Same customer" } },
    });
    expect(values).toEqual({ leadIds: "a,b", none: "", reason: "Same customer" });
  });
});

describe("rendering type-ahead options", () => {
  it("cuts labels to 75 characters and returns at most 100 options", () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ value: `v${i}`, label: i === 0 ? "N".repeat(90) : `Partner ${i}` }));
    const { options } = renderOptions(many);
    expect(options).toHaveLength(100);
    expect(options[0]).toEqual({ text: plain(`${"N".repeat(74)}…`), value: "v0" });
  });
});
