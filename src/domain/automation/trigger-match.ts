// Does a change, a creation or an email make a rule's trigger fire? (Odoo's base.automation trigger semantics,
// notes §1.7: "On save" fires on creation and on writes; "stage is set" fires when the field takes the value.)
import type { RuleDefinition } from "./definition.js";
import type { FieldValue } from "./fields.js";

export type EventKind = "created" | "saved" | "email-received" | "email-sent";

/** Fields whose value differs between the two snapshots ("updated" always moves, so it is not a change of its own). */
export function changedFields(before: Record<string, FieldValue>, after: Record<string, FieldValue>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => k !== "updated" && !sameValue(before[k] ?? null, after[k] ?? null));
}

/** One event is matched against every rule of its record type: its changed fields are worked out once. */
const changedMemo = new WeakMap<object, { before: object; changed: Set<string> }>();

function changedOnce(before: Record<string, FieldValue>, after: Record<string, FieldValue>): Set<string> {
  const hit = changedMemo.get(after);
  if (hit?.before === before) return hit.changed;
  const changed = new Set(changedFields(before, after));
  changedMemo.set(after, { before, changed });
  return changed;
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify([...((a as string[]) ?? [])].sort()) === JSON.stringify([...((b as string[]) ?? [])].sort());
  return a === b;
}

/** Whether `value` (as a rule writes it) is what the field holds: case-insensitive text, tags by membership. */
export function holdsValue(field: FieldValue | undefined, value: string | number | boolean): boolean {
  if (field === null || field === undefined) return false;
  if (Array.isArray(field)) return field.some((t) => t.toLowerCase() === String(value).toLowerCase());
  if (typeof field === "string") return field.trim().toLowerCase() === String(value).trim().toLowerCase();
  if (typeof field === "boolean") return field === (value === true || String(value).toLowerCase() === "yes" || String(value).toLowerCase() === "true");
  return field === Number(value);
}

/**
 * Whether the rule's trigger fires for this event. `before` is null on creation and for email events;
 * record type "opportunity" only sees leads that are opportunities after the change.
 */
export function triggerFires(rule: RuleDefinition, event: { kind: EventKind; before: Record<string, FieldValue> | null; after: Record<string, FieldValue> }): boolean {
  if (rule.record === "opportunity" && !holdsValue(event.after.type, "opportunity")) return false;
  const t = rule.trigger;
  switch (t.kind) {
    case "created":
      return event.kind === "created";
    case "saved": {
      if (event.kind === "created") return true;
      if (event.kind !== "saved" || !event.before) return false;
      const changed = changedOnce(event.before, event.after);
      return t.fields ? t.fields.some((f) => changed.has(f)) : changed.size > 0;
    }
    case "field-set": {
      if (event.kind !== "created" && event.kind !== "saved") return false;
      if (!holdsValue(event.after[t.field], t.value)) return false;
      return event.kind === "created" || !event.before || !holdsValue(event.before[t.field], t.value);
    }
    case "email-received":
      return event.kind === "email-received";
    case "email-sent":
      return event.kind === "email-sent";
    default:
      return false; // time triggers fire from their moment, never from an event
  }
}
