// The platform-neutral view model: messages and forms, rendered to Block Kit and Adaptive Cards 1.5.
import type { z } from "zod";

/**
 * Inline text uses a small, safe markup both platforms can show:
 * *bold*, _italic_, `code`, and links written as <https://url|label>.
 */
export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "fields"; fields: Field[] }
  | { type: "context"; text: string }
  | { type: "divider" }
  | { type: "actions"; actions: Action[] };

export interface Field {
  label: string;
  value: string;
}

/**
 * A button. `id` names the intent (e.g. "call.edit"); `value` carries the opaque argument
 * (a record id). Platforms send both back unchanged when it is pressed.
 * `opensForm` buttons open a form (Slack modal / Teams dialog) instead of acting at once.
 * `url` buttons just open a link.
 */
export interface Action {
  id: string;
  label: string;
  value?: string;
  style?: "primary" | "danger";
  opensForm?: boolean;
  url?: string;
}

export interface MessageView {
  /** Plain-text summary: notification text and fallback for clients that cannot show blocks. */
  text: string;
  blocks: Block[];
  /**
   * Post as a reply under the message that showed this subjectKey in the same place (Slack thread, Teams reply
   * chain), e.g. an email received on a case under the case's channel card; top-level when there is none.
   */
  threadOf?: string;
}

export type FieldKind = "text" | "textarea" | "number" | "select" | "radio" | "checkboxes" | "datetime" | "search";

export interface FormField {
  /** The key of this field's value in the submitted map (same on both platforms). */
  id: string;
  label: string;
  kind: FieldKind;
  isOptional?: boolean;
  placeholder?: string;
  hint?: string;
  /**
   * Initial value: for datetime, an ISO 8601 instant; for select/radio/search, an option value; for checkboxes,
   * the checked option values joined by "," (checkboxes are also submitted that way).
   */
  initial?: string;
  /** For select, radio and checkboxes (at most 10: Slack's limit). For search, the initial option (value and label) if any. */
  options?: { value: string; label: string }[];
  /** For search: the data set the type-ahead queries (e.g. "partners"). */
  searchSource?: string;
  maxLength?: number;
}

export interface Form<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** Identifies the form on submit (Slack callback_id, Teams dialog verb). */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
  /** Validates the submitted `{fieldId: string}` map; issues map to fields by their path. */
  schema: S;
  /** Carried through the form unchanged (≤ 2 KB): record ids, the source message link… */
  context?: Record<string, string>;
  /** Field errors to show, by field id (a re-rendered form after a failed submit). */
  errors?: Record<string, string>;
  /** A note shown above the fields (e.g. "Logging a call from this message"). */
  intro?: string;
}

/** What a handler gives back; each adapter turns it into platform calls. */
export type Reply =
  | { kind: "message"; view: MessageView; visibility: "private" | "public" }
  | { kind: "form"; form: Form }
  | { kind: "errors"; errors: Record<string, string> }
  | { kind: "done"; view?: MessageView };

export const privateMessage = (view: MessageView): Reply => ({ kind: "message", view, visibility: "private" });
export const publicMessage = (view: MessageView): Reply => ({ kind: "message", view, visibility: "public" });
export const openForm = (form: Form): Reply => ({ kind: "form", form });

/** A short message: a sentence for people to read, with no buttons. */
export function notice(text: string, detail?: string): MessageView {
  return { text, blocks: [{ type: "text", text }, ...(detail ? [{ type: "context" as const, text: detail }] : [])] };
}

/** Keeps user text from being read as markup (links, mentions). */
export function escapeMarkup(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === "<" ? "‹" : "›"));
}

/** Cuts text to at most `max` characters, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "1 h 20 min", "45 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ""}` : `${m} min`;
}
