// The neutral view model as Slack Block Kit: messages, App Home, modals and type-ahead options.
import type { types } from "@slack/bolt";
import type { Action, Block, Form, FormField, MessageView } from "../views/view.js";
import { clip, clipMrkdwn, LIMITS } from "./mrkdwn.js";

type KnownBlock = types.KnownBlock;
type InputElement = types.InputBlockElement;
type Option = types.PlainTextOption;

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Prefix of the action_id of a search field: `search:<source>` tells the options listener what to query. */
export const SEARCH_ACTION_PREFIX = "search:";

export function renderMessage(view: MessageView): RenderedMessage {
  return { text: clip(view.text, LIMITS.fallbackText), blocks: capBlocks(view.blocks.flatMap(renderBlock), LIMITS.messageBlocks) };
}

export function renderHome(view: MessageView): types.HomeView {
  return { type: "home", blocks: capBlocks(view.blocks.flatMap(renderBlock), LIMITS.viewBlocks) };
}

export function renderModal(form: Form): types.ModalView {
  const metadata = JSON.stringify(form.context ?? {});
  // A bug, not a user error: forms keep their context small (ids and a link).
  if (metadata.length > LIMITS.privateMetadata) throw new Error(`form ${form.id} context is ${metadata.length} characters; Slack allows ${LIMITS.privateMetadata}`);
  const intro: KnownBlock[] = form.intro ? [{ type: "section", text: { type: "mrkdwn", text: clipMrkdwn(form.intro, LIMITS.sectionText) } }] : [];
  return {
    type: "modal",
    callback_id: form.id,
    title: plain(clip(form.title, LIMITS.viewTitle)),
    submit: plain(clip(form.submitLabel, LIMITS.viewButton)),
    close: plain("Cancel"),
    private_metadata: metadata,
    blocks: capBlocks([...intro, ...form.fields.map((f) => renderInput(f, form.errors?.[f.id]))], LIMITS.viewBlocks),
  };
}

export function renderOptions(options: { value: string; label: string }[]): { options: Option[] } {
  return { options: options.slice(0, LIMITS.optionsPerSelect).map(renderOption) };
}

/** The button id as sent to Slack; duplicates in one block get a `#n` suffix (Slack rejects them otherwise). */
export function actionIdOf(id: string, index: number): string {
  return index === 0 ? id : `${id}#${index + 1}`;
}

/** Reverses actionIdOf. */
export function intentOf(actionId: string): string {
  return actionId.replace(/#\d+$/, "");
}

function renderBlock(block: Block): KnownBlock[] {
  switch (block.type) {
    case "header":
      return block.text.trim() ? [{ type: "header", text: plain(clip(block.text, LIMITS.headerText)) }] : [];
    case "text":
      return block.text.trim() ? [{ type: "section", text: { type: "mrkdwn", text: clipMrkdwn(block.text, LIMITS.sectionText) } }] : [];
    case "fields":
      return chunk(block.fields, LIMITS.fieldsPerSection).map((fields) => ({
        type: "section",
        fields: fields.map((f) => ({ type: "mrkdwn", text: clipMrkdwn(`*${f.label}*\n${f.value}`, LIMITS.fieldText) })),
      }));
    case "context":
      return block.text.trim() ? [{ type: "context", elements: [{ type: "mrkdwn", text: clipMrkdwn(block.text, LIMITS.contextText) }] }] : [];
    case "divider":
      return [{ type: "divider" }];
    case "actions":
      return block.actions.length ? [{ type: "actions", elements: renderButtons(block.actions.slice(0, LIMITS.actionsPerBlock)) }] : [];
  }
}

function renderButtons(actions: Action[]): types.Button[] {
  const seen = new Map<string, number>();
  return actions.map((a) => {
    const index = seen.get(a.id) ?? 0;
    seen.set(a.id, index + 1);
    const button: types.Button = { type: "button", action_id: clip(actionIdOf(a.id, index), LIMITS.actionId), text: plain(clip(a.label, LIMITS.buttonText)) };
    if (a.value !== undefined) button.value = a.value.slice(0, LIMITS.buttonValue);
    if (a.style) button.style = a.style;
    if (a.url) button.url = a.url.slice(0, LIMITS.url);
    return button;
  });
}

function renderInput(field: FormField, error?: string): types.InputBlock {
  const hint = error ? `⚠️ ${error}` : field.hint;
  return {
    type: "input",
    block_id: field.id,
    label: plain(clip(field.label, LIMITS.inputLabel)),
    ...(field.isOptional ? { optional: true } : {}),
    ...(hint ? { hint: plain(clip(hint, LIMITS.hint)) } : {}),
    element: renderElement(field),
  };
}

function renderElement(field: FormField): InputElement {
  const placeholder = field.placeholder ? { placeholder: plain(clip(field.placeholder, LIMITS.placeholder)) } : {};
  const options = (field.options ?? []).map(renderOption);
  const initialOption = options.find((o) => o.value === field.initial);
  const withInitialOption = initialOption ? { initial_option: initialOption } : {};
  switch (field.kind) {
    case "text":
    case "textarea": {
      const maxLength = Math.min(field.maxLength ?? LIMITS.inputMaxLength, LIMITS.inputMaxLength);
      return {
        type: "plain_text_input",
        action_id: field.id,
        ...(field.kind === "textarea" ? { multiline: true } : {}),
        ...(field.maxLength ? { max_length: maxLength } : {}),
        ...(field.initial ? { initial_value: field.initial.slice(0, maxLength) } : {}),
        ...placeholder,
      };
    }
    case "number":
      return { type: "number_input", action_id: field.id, is_decimal_allowed: false, ...(field.initial ? { initial_value: field.initial } : {}), ...placeholder };
    case "select":
      return { type: "static_select", action_id: field.id, options: options.slice(0, LIMITS.optionsPerSelect), ...withInitialOption, ...placeholder };
    case "radio":
      return { type: "radio_buttons", action_id: field.id, options: options.slice(0, LIMITS.radioOptions), ...withInitialOption };
    case "checkboxes": {
      const shown = options.slice(0, LIMITS.checkboxOptions);
      const checked = new Set((field.initial ?? "").split(","));
      const initialOptions = shown.filter((o) => o.value !== undefined && checked.has(o.value));
      return { type: "checkboxes", action_id: field.id, options: shown, ...(initialOptions.length ? { initial_options: initialOptions } : {}) };
    }
    case "datetime": {
      const seconds = field.initial ? Math.floor(new Date(field.initial).getTime() / 1000) : NaN;
      return { type: "datetimepicker", action_id: field.id, ...(Number.isFinite(seconds) ? { initial_date_time: seconds } : {}) };
    }
    case "search":
      return { type: "external_select", action_id: `${SEARCH_ACTION_PREFIX}${field.searchSource ?? field.id}`, min_query_length: 0, ...withInitialOption, ...placeholder };
  }
}

function renderOption(o: { value: string; label: string }): Option {
  return { text: plain(clip(o.label, LIMITS.optionText)), value: o.value.slice(0, LIMITS.optionValue) };
}

function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text };
}

/** Over the limit: keep what fits and say that the rest was left out. */
function capBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const left = blocks.length - (max - 1);
  return [...blocks.slice(0, max - 1), { type: "context", elements: [{ type: "mrkdwn", text: `…${left} more not shown.` }] }];
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A modal that only shows a message (a refusal, an apology) in place of the form. */
export function renderNoticeModal(view: MessageView): types.ModalView {
  return { type: "modal", title: plain("Switchboard"), close: plain("Close"), blocks: capBlocks(view.blocks.flatMap(renderBlock), LIMITS.viewBlocks) };
}
