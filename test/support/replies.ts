// Reading handler replies in tests: the private message (or "done" view) a handler answered, and all its text.
import { expect } from "vitest";
import type { MessageView, Reply } from "../../src/bot/views/view.js";

/** The view of a private answer (asserting it is private), or of a "done" with a view. */
export function privateViewOf(reply: Reply): MessageView {
  if (reply.kind === "message") {
    expect(reply.visibility).toBe("private");
    return reply.view;
  }
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
}

/** The view's summary and every text block, one per line. */
export const readAll = (view: MessageView): string => [view.text, ...view.blocks.flatMap((b) => ("text" in b ? [b.text] : []))].join("\n");
