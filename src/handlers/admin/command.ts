// What an admin subcommand is (its flags, zod schema and handler), what it returns, and the flag schemas they share.
import { z } from "zod";
import type { MessageView } from "../../bot/views/view.js";
import { CLEAR_WORD, isEmail, normaliseEmail, oneOf, ROLES, TEAM_KINDS, teamNameProblem } from "../../domain/admin-rules.js";
import { isValidTimeZone } from "../../domain/time.js";
import type { Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";

/** A done change or list (`data` is what `--json` prints), or a refusal a person can act on. */
export type AdminResult = { ok: true; view: MessageView; data?: unknown } | { ok: false; message: string };

export interface AdminContext {
  surface: "chat" | "cli";
  /** How the admin command is typed here: "/crm admin" (Slack), "admin" (Teams), "npm run admin --". */
  invocation: string;
}

export interface FlagSpec {
  name: string;
  /** Placeholder for the value in help (`--name <full name>`); absent for switches such as --json. */
  value?: string;
  help: string;
  isRequired?: boolean;
  /** May be repeated or comma-separated: `--team Support,Sales`. */
  isList?: boolean;
  /** Only on the command line (e.g. --json). */
  isCliOnly?: boolean;
}

export interface AdminCommand<S extends z.ZodType = z.ZodType> {
  /** "user add": noun and verb. */
  path: string;
  /** Typing only the noun runs this command ("outbox" lists). */
  isNounDefault?: boolean;
  summary: string;
  /** A leading word that stands for a flag: `user add ana@example.com` = `--email ana@example.com`. */
  positional?: { name: string; flag: string; help: string; isRequired?: boolean };
  flags: FlagSpec[];
  /** Written after the invocation: `user add ana@example.com --name "Ana Ruiz"`. */
  examples: string[];
  schema: S;
  run(deps: Deps, actor: Actor, input: z.output<S>, ctx: AdminContext): Promise<AdminResult>;
}

export function defineCommand<S extends z.ZodType>(command: AdminCommand<S>): AdminCommand {
  return command as unknown as AdminCommand;
}

/** A name as it must be typed in a command: quoted when it has spaces. */
export function quoted(name: string): string {
  return /\s/.test(name) ? `"${name}"` : name;
}

export const refuse = (message: string): AdminResult => ({ ok: false, message });

/** A required or optional email, normalised to lower case. */
export function emailArg(flag: string, what = "an email address") {
  return z
    .string({ error: `${flag} is required: ${what} like ana@example.com` })
    .transform(normaliseEmail)
    .refine(isEmail, { error: `${flag} must be ${what} like ana@example.com` });
}

export function roleArg(flag = "--role") {
  return z.enum(ROLES, { error: `${flag} must be ${oneOf(ROLES)}` });
}

export function kindArg(flag = "--kind") {
  return z.enum(TEAM_KINDS, { error: `${flag} must be ${oneOf(TEAM_KINDS)}` });
}

export function personNameArg(flag = "--name") {
  return z
    .string({ error: `${flag} is required: the person's full name, e.g. ${flag} "Ana Ruiz"` })
    .trim()
    .min(1, { error: `${flag} cannot be empty` })
    .max(120, { error: `${flag} has at most 120 characters` });
}

export function teamNameArg(flag = "--name") {
  return z
    .string({ error: `${flag} is required: the team's name, e.g. ${flag} Support` })
    .trim()
    .superRefine((name, ctx) => {
      const problem = teamNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: `${flag}: ${problem}` });
    });
}

/** `--team Support,Sales` (or repeated): team names, in the order given, without duplicates. */
export function teamListArg(flag: string) {
  return z
    .string()
    .transform((v) => [...new Set(v.split(",").map((t) => t.trim()).filter(Boolean))])
    .refine((names) => names.length > 0, { error: `${flag} needs at least one team name` });
}

export function emailListArg(flag: string) {
  return z
    .string()
    .transform((v) => [...new Set(v.split(",").map(normaliseEmail).filter(Boolean))])
    .superRefine((emails, ctx) => {
      if (emails.length === 0) ctx.addIssue({ code: "custom", message: `${flag} needs at least one email address` });
      const bad = emails.filter((e) => !isEmail(e));
      if (bad.length) ctx.addIssue({ code: "custom", message: `${flag}: ${bad.join(", ")} ${bad.length > 1 ? "are not email addresses" : "is not an email address"}` });
    });
}

export function timeZoneArg(flag = "--time-zone") {
  return z.string().trim().refine(isValidTimeZone, { error: `${flag} must be an IANA time zone like Europe/Berlin or America/New_York` });
}

export function yesNoArg(flag: string) {
  return z.string().transform((v, ctx) => {
    const word = v.trim().toLowerCase();
    if (["yes", "true", "on"].includes(word)) return true;
    if (["no", "false", "off"].includes(word)) return false;
    ctx.addIssue({ code: "custom", message: `${flag} must be yes or no` });
    return z.NEVER;
  });
}

/** A setting that `none` clears (to null); anything else must pass `inner`. */
export function clearable<T>(inner: z.ZodType<T>) {
  return z.string().transform((v, ctx): T | null => {
    if (v.trim().toLowerCase() === CLEAR_WORD) return null;
    const parsed = inner.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message });
    return z.NEVER;
  });
}

export function checked(check: (value: string) => string | undefined) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = check(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/** Prisma's unique-constraint violation (two admins racing to add the same email or alias). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
