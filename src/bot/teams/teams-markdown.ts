// Our inline markup (*bold*, _italic_, `code`, <url|label>) as the Markdown subset Teams shows in a TextBlock.

/** Converts outside code spans only, so `a*b*c` stays literal. */
export function toTeamsMarkdown(text: string): string {
  const parts = text.split(/(`[^`\n]*`)/);
  const converted = parts.map((part, i) => (i % 2 === 1 ? part : convertSpan(part))).join("");
  // A single newline is a soft break in Adaptive Card Markdown; our views mean a line break.
  return converted.replace(/\n+/g, (m) => (m.length === 1 ? "\n\n" : m));
}

function convertSpan(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>\s]+)\|([^>]+)>/g, (_m, url: string, label: string) => `[${label.replace(/[[\]]/g, "")}](${url})`)
    .replace(/<((?:https?|mailto):[^|>\s]+)>/g, "$1")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1**$2**");
}
