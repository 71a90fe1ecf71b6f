// Reading an admin command line (typed in chat or given as argv) into words and --flags.

export interface ReadArgs {
  words: string[];
  /** Every value a flag was given, in order; `true` for a flag written without a value. */
  flags: Map<string, (string | true)[]>;
}

/** Flags that never take a value, so a word after them stays a word. */
export const SWITCHES = new Set(["help", "json"]);

/**
 * Splits chat text into tokens, honouring "double" and 'single' quotes. Chat clients "improve"
 * what people type: curly quotes and an em dash for `--` (macOS smart punctuation), so those count too.
 */
export function tokenize(text: string): string[] {
  const plain = text.replace(/[“”„]/g, '"');
  return [...plain.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => (m[3] !== undefined ? m[3].replace(/^[—–]/, "--") : (m[1] ?? m[2] ?? "")));
}

/**
 * Slack may send what people type in its link syntax: an email as <mailto:a@b.com|a@b.com>,
 * a channel as <#C123|support>. Admin commands want the plain email and the channel id.
 */
export function unwrapChatMarkup(text: string): string {
  return text.replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, "$1").replace(/<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/g, "$1");
}

export function readArgs(tokens: string[]): ReadArgs {
  const words: string[] = [];
  const flags = new Map<string, (string | true)[]>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === "-h") {
      flags.set("help", [true]);
      continue;
    }
    if (!token.startsWith("--") || token === "--") {
      if (token !== "--") words.push(token);
      continue;
    }
    const eq = token.indexOf("=");
    const name = (eq > 0 ? token.slice(2, eq) : token.slice(2)).toLowerCase();
    let value: string | true = true;
    if (eq > 0) value = token.slice(eq + 1);
    else if (!SWITCHES.has(name) && i + 1 < tokens.length && !tokens[i + 1]!.startsWith("--")) value = tokens[++i]!;
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { words, flags };
}
