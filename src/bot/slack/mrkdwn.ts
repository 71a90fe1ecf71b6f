// Our inline markup as Slack mrkdwn, and the length limits Slack enforces on Block Kit text.

/** Slack rejects (not truncates) blocks over these limits (docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextText: 3000,
  headerText: 150,
  actionsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  hint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  radioOptions: 10,
  checkboxOptions: 10,
  inputMaxLength: 3000,
  fallbackText: 4000,
} as const;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Links, mentions and channel references Slack reads inside angle brackets. */
const SLACK_TOKEN = /<(?:https?:\/\/|mailto:|@|#|!)[^<>]*>/g;

/**
 * Our markup is mrkdwn already (*bold*, _italic_, `code`, <url|label>); Slack only needs
 * &, < and > escaped outside link tokens (docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function toMrkdwn(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(SLACK_TOKEN)) {
    out += escapeControl(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeControl(text.slice(last));
}

function escapeControl(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** mrkdwn cut to a limit without leaving half an escape (&amp;) or half a link at the end. */
export function clipMrkdwn(text: string, max: number): string {
  const converted = toMrkdwn(text);
  if (converted.length <= max) return converted;
  let cut = converted.slice(0, max - 1);
  cut = cut.replace(/&[a-z]{0,3}$/, "").replace(/<[^>]*$/, "");
  return `${cut}…`;
}
