// A neutral form as an Adaptive Card 1.5 for a Teams dialog, and the card that offers to open it.
import { toLocalInput } from "../../domain/time.js";
import type { Form, FormField } from "../views/view.js";
import type { Opener } from "./activity-parts.js";
import { capCardSize, card, taskFetchData, type AdaptiveCard, type CardElement } from "./render-adaptive-card.js";
import { toTeamsMarkdown } from "./teams-markdown.js";

/** Suffixes of the two inputs a datetime field becomes; read-card-values joins them again. */
export const DATE_SUFFIX = "__date";
export const TIME_SUFFIX = "__time";

/**
 * `timeZone` is the person's: datetime fields show their local date and time, and the form's schema
 * reads the joined local value in that zone. `from` goes into the submit data so the form can be
 * rebuilt with errors; formId and context travel there too (hidden inputs do not exist in cards).
 */
export function renderFormCard(form: Form, timeZone: string, from?: Opener): AdaptiveCard {
  const fieldIds = new Set(form.fields.map((f) => f.id));
  const formErrors = Object.entries(form.errors ?? {}).filter(([id]) => !fieldIds.has(id));
  const body: CardElement[] = [
    ...(form.intro ? [{ type: "TextBlock", text: toTeamsMarkdown(form.intro), wrap: true }] : []),
    ...formErrors.map(([, message]) => errorText(message)),
    ...form.fields.flatMap((f) => renderField(f, form.errors?.[f.id], timeZone)),
  ];
  const data = { formId: form.id, context: form.context ?? {}, ...(from ? { opener: from } : {}) };
  return capCardSize(card(body, form.title, [{ type: "Action.Submit", title: form.submitLabel, style: "positive", data }]));
}

/** In a chat message Teams cannot open a dialog by itself: the person clicks this card's button. */
export function renderOpenFormCard(form: Form, from: Opener): AdaptiveCard {
  const body: CardElement[] = [
    { type: "TextBlock", text: form.title, size: "Medium", weight: "Bolder", wrap: true },
    ...(form.intro ? [{ type: "TextBlock", text: toTeamsMarkdown(form.intro), wrap: true }] : []),
  ];
  return card(body, form.title, [{ type: "Action.Submit", title: `Open: ${form.title}`, style: "positive", data: taskFetchData(from) }]);
}

function renderField(field: FormField, error: string | undefined, timeZone: string): CardElement[] {
  const isRequired = !field.isOptional;
  const common = {
    id: field.id,
    label: field.label,
    isRequired,
    ...(error || isRequired ? { errorMessage: error ?? `${field.label} is required.` } : {}),
    ...(field.placeholder ? { placeholder: field.placeholder } : {}),
  };
  const input = renderInput(field, common, timeZone);
  return [input, ...(error ? [errorText(error)] : []), ...(field.hint ? [{ type: "TextBlock", text: field.hint, size: "Small", isSubtle: true, wrap: true, spacing: "Small" }] : [])];
}

function renderInput(field: FormField, common: CardElement, timeZone: string): CardElement {
  const initial = field.initial;
  const choices = (field.options ?? []).map((o) => ({ title: o.label, value: o.value }));
  switch (field.kind) {
    case "text":
    case "textarea":
      return {
        type: "Input.Text",
        ...common,
        ...(field.kind === "textarea" ? { isMultiline: true } : {}),
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(initial !== undefined ? { value: initial } : {}),
      };
    case "number": {
      const n = initial === undefined ? NaN : Number(initial);
      return { type: "Input.Number", ...common, ...(Number.isFinite(n) ? { value: n } : {}) };
    }
    case "select":
    case "radio":
      return { type: "Input.ChoiceSet", ...common, style: field.kind === "radio" ? "expanded" : "compact", choices, ...(initial !== undefined ? { value: initial } : {}) };
    case "checkboxes":
      // A multi-select ChoiceSet submits its checked values joined by "," already: the same as Slack's checkboxes read.
      return { type: "Input.ChoiceSet", ...common, isMultiSelect: true, style: "expanded", choices: choices.slice(0, 10), ...(initial ? { value: initial } : {}) };
    case "search":
      return {
        type: "Input.ChoiceSet",
        ...common,
        style: "filtered",
        choices,
        "choices.data": { type: "Data.Query", dataset: field.searchSource ?? field.id },
        ...(initial !== undefined ? { value: initial } : {}),
      };
    case "datetime":
      return renderDateTime(field, common, timeZone);
  }
}

/** Adaptive Cards have no datetime input: a date and a time side by side, in the person's time zone. */
function renderDateTime(field: FormField, common: CardElement, timeZone: string): CardElement {
  const at = field.initial ? new Date(field.initial) : undefined;
  const local = at && !Number.isNaN(at.getTime()) ? toLocalInput(at, timeZone) : undefined;
  const column = (item: CardElement) => ({ type: "Column", width: "stretch", items: [item] });
  return {
    type: "ColumnSet",
    columns: [
      column({ type: "Input.Date", ...common, id: `${field.id}${DATE_SUFFIX}`, ...(local ? { value: local.slice(0, 10) } : {}) }),
      column({ type: "Input.Time", ...common, id: `${field.id}${TIME_SUFFIX}`, label: "Time", ...(local ? { value: local.slice(11, 16) } : {}) }),
    ],
  };
}

function errorText(message: string): CardElement {
  return { type: "TextBlock", text: message, color: "Attention", size: "Small", wrap: true, spacing: "Small" };
}
