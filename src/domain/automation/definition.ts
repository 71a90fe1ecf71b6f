// What an automation rule is (Odoo's base.automation, notes §1.7): a record type, a trigger, conditions and
// actions. The zod schema here checks the shape; checkRule (rule-check.ts) then checks fields, values and
// placeholders against the catalog, so a rule that saves is a rule that can run. No code is ever executed.
import { z } from "zod";

/** "opportunity" is a lead whose type is opportunity (one model, as in Odoo's crm.lead); "partner" is a customer, supplier or contact. */
export const RECORD_TYPES = ["case", "claim", "lead", "opportunity", "call", "meeting", "merge-request", "contract", "partner"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
/** The stored model a record type reads. */
export type RecordModel = Exclude<RecordType, "opportunity">;
export const modelOf = (type: RecordType): RecordModel => (type === "opportunity" ? "lead" : type);

export const OFFSET_UNITS = ["minutes", "hours", "days", "months"] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

const fieldName = z.string().trim().min(1, "Name a field.").max(60);
/** A value in a condition or a field-set trigger: text, number, yes/no, or a list of them (for in / not-in). */
const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);
const value = z.union([scalar, z.array(scalar).max(50)]);

export const offsetSchema = z.object({
  /** Signed: -5 minutes is 5 minutes before the date (Odoo's trg_date_range help). */
  amount: z.number().int().min(-100_000).max(100_000),
  unit: z.enum(OFFSET_UNITS),
});
export type Offset = z.infer<typeof offsetSchema>;

export const triggerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("created") }).strict(),
  /** Any change, or a change of one of `fields`. */
  z.object({ kind: z.literal("saved"), fields: z.array(fieldName).max(20).optional() }).strict(),
  /** A field becomes a value ("stage becomes Won"): it had another value before and has this one after. */
  z.object({ kind: z.literal("field-set"), field: fieldName, value: scalar }).strict(),
  z.object({ kind: z.literal("email-received") }).strict(),
  z.object({ kind: z.literal("email-sent") }).strict(),
  /** A date field of the record plus the offset. */
  z.object({ kind: z.literal("time"), field: fieldName, offset: offsetSchema }).strict(),
  /** Creation plus the offset. */
  z.object({ kind: z.literal("after-created"), offset: offsetSchema }).strict(),
  /** The last change plus the offset, if nothing changed since. */
  z.object({ kind: z.literal("after-updated"), offset: offsetSchema }).strict(),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerKind = Trigger["kind"];
export const TIME_TRIGGERS: readonly TriggerKind[] = ["time", "after-created", "after-updated"];
export const isTimeTrigger = (t: Trigger): t is Extract<Trigger, { kind: "time" | "after-created" | "after-updated" }> => TIME_TRIGGERS.includes(t.kind);

export const OPERATORS = ["=", "!=", "in", "not-in", ">", ">=", "<", "<=", "contains", "not-contains", "is-set", "is-not-set"] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition =
  | { field: string; op: Operator; value?: z.infer<typeof value> }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ field: fieldName, op: z.enum(OPERATORS), value: value.optional() }).strict(),
    z.object({ all: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1).max(20) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

const text = (max: number) => z.string().trim().min(1, "Write the text.").max(max);

export const DM_TARGETS = ["responsible", "team-manager", "attendees", "watchers"] as const;
export const EMAIL_TARGETS = ["customer", "responsible", "watchers"] as const;
/** A planned call, a meeting (Meeting model: invitations, reminders, iCalendar) or a to-do (docs/automation.md). */
export const FOLLOW_UP_KINDS = ["call", "meeting", "todo"] as const;

export const actionSchema = z.discriminatedUnion("do", [
  z.object({ do: z.literal("post"), to: z.literal("team-channel"), text: text(3000) }).strict(),
  z.object({ do: z.literal("dm"), to: z.enum(DM_TARGETS), text: text(3000) }).strict(),
  z.object({ do: z.literal("email"), to: z.enum(EMAIL_TARGETS), subject: text(200), body: text(20_000) }).strict(),
  /** One field per action: responsible (an email), team (a name), stage (a name), priority, tags (added). */
  z.object({ do: z.literal("set"), field: fieldName, value: value }).strict(),
  /** People (emails of users) or outside addresses that follow the record from now on. */
  z.object({ do: z.literal("add-watchers"), people: z.array(z.string().trim().min(3).max(200)).min(1).max(20) }).strict(),
  /** A call, meeting or to-do for the responsible person, due `in` after the firing; `minutes` and `invite-customer` for meetings. */
  z
    .object({
      do: z.literal("follow-up"),
      kind: z.enum(FOLLOW_UP_KINDS),
      title: text(500),
      in: offsetSchema,
      minutes: z.number().int("Write the minutes as a whole number.").min(5, "A meeting lasts at least 5 minutes.").max(480, "A meeting lasts at most 480 minutes (8 hours).").optional(),
      "invite-customer": z.boolean().optional(),
    })
    .strict(),
  /** A JSON POST, signed with HMAC-SHA256 (header X-Switchboard-Signature), retried from the outbox. */
  z.object({ do: z.literal("webhook"), url: z.string().url().max(2000).refine((u) => /^https?:\/\//i.test(u), "Use an http:// or https:// address.") }).strict(),
]);
export type Action = z.infer<typeof actionSchema>;
export type ActionKind = Action["do"];

export const ruleDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, "Give the rule a name.").max(120),
    record: z.enum(RECORD_TYPES),
    enabled: z.boolean().default(false),
    trigger: triggerSchema,
    /** Odoo's "Before Update Domain": must hold before the change (not checked on creation or time triggers). */
    before: conditionSchema.optional(),
    /** Odoo's "Apply on": must hold after the change (and at the moment, for time triggers). */
    conditions: conditionSchema.optional(),
    actions: z.array(actionSchema).min(1, "Give the rule at least one action.").max(10),
    /** IANA zone in which days and months are counted (wall-clock days across DST). Default UTC. */
    timeZone: z.string().max(60).default("UTC"),
  })
  .strict();
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;
/** A definition as written (defaults not applied yet). */
export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;

/** A problem with a rule, at a path into it (["actions", 1, "text"]), with a message a person can act on. */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}
