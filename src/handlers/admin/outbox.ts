// `admin outbox` and `admin outbox retry <id>`: the undelivered-notification handlers as admin subcommands.
import { z } from "zod";
import type { Reply } from "../../bot/views/view.js";
import { notice } from "../../bot/views/view.js";
import type { Actor } from "../../domain/policy.js";
import { policy } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { listUndelivered, retryUndelivered } from "../outbox-admin.js";
import { defineCommand, refuse, type AdminResult } from "./command.js";

function fromReply(reply: Reply): AdminResult {
  if (reply.kind === "message" || (reply.kind === "done" && reply.view)) return { ok: true, view: reply.view! };
  return { ok: true, view: notice("Done.") };
}

/** The outbox handlers answer refusals as messages too; check here so the command line can exit 1 on them. */
function refusal(actor: Actor): AdminResult | undefined {
  const allowed = policy.manageOutbox(actor);
  return allowed.ok ? undefined : refuse(allowed.reason);
}

export const outboxListCommand = defineCommand({
  path: "outbox list",
  isNounDefault: true,
  summary: "List notifications that could not be delivered (dead, or failing and retrying)",
  flags: [],
  examples: ["outbox"],
  schema: z.object({}),
  run: async (deps: Deps, actor: Actor) => refusal(actor) ?? fromReply(await listUndelivered(deps, actor)),
});

export const outboxRetryCommand = defineCommand({
  path: "outbox retry",
  summary: "Send an undelivered notification again, now (its id is in the outbox list)",
  positional: { name: "id", flag: "id", help: "the notification's id", isRequired: true },
  flags: [],
  examples: ["outbox retry 0b6f3c1e-2d4a-4c57-9a1e-5f2b7c8d9e10"],
  schema: z.object({ id: z.string({ error: "say which notification: outbox retry <id> (the ids are in the outbox list)" }).trim().min(1) }),
  run: async (deps: Deps, actor: Actor, input: { id: string }) => refusal(actor) ?? fromReply(await retryUndelivered(deps, actor, input.id)),
});
