// The hooks handlers call so automation rules see what happens to records. Each runs inside the caller's
// transaction: the rules' effects (outbox rows, field changes, time jobs, the firing records) commit or roll
// back with the change itself, and cost nothing when no enabled rule is about the record's type.
import type { Tx } from "../../db/outbox.js";
import type { RecordModel } from "../../domain/automation/definition.js";
import type { Deps } from "../deps.js";
import { afterChange, enabledRulesFor, hasRulesFor, type EventKind } from "./engine.js";
import { loadSnapshot } from "./records.js";

export interface ChangeWatch {
  /** Call after the change, still inside the transaction. */
  done(): Promise<void>;
}

const NOTHING: ChangeWatch = { done: async () => {} };

/** Call before changing a record (it reads the record as it was), then `done()` after the change. */
export async function watchRecord(tx: Tx, deps: Deps, model: RecordModel, id: string, actorId: string | null): Promise<ChangeWatch> {
  const rules = await enabledRulesFor(tx, model, deps.logger);
  if (rules.length === 0) return NOTHING;
  const before = await loadSnapshot(tx, model, id);
  return { done: () => afterChange(tx, deps, { kind: "saved", model, id, before, actorId }, undefined, rules) };
}

/** Call after creating a record, inside the creating transaction. */
export async function recordCreated(tx: Tx, deps: Deps, model: RecordModel, id: string, actorId: string | null): Promise<void> {
  if (!(await hasRulesFor(tx, model))) return;
  await afterChange(tx, deps, { kind: "created", model, id, before: null, actorId });
}

/** Call after an email about the record was stored (received from outside, or sent from chat). */
export async function recordEmailed(tx: Tx, deps: Deps, model: RecordModel, id: string, direction: "received" | "sent", opts: { automatic: boolean }): Promise<void> {
  if (!(await hasRulesFor(tx, model))) return;
  const kind: EventKind = direction === "received" ? "email-received" : "email-sent";
  await afterChange(tx, deps, { kind, model, id, before: null, actorId: null, automaticEmail: opts.automatic });
}
