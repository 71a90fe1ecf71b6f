// `admin user update`: change a person's name, email, role or time zone; deactivate or reactivate them.
import { z } from "zod";
import { personSavedView } from "../../bot/views/admin.js";
import { checkPersonChange, isEmail, normaliseEmail } from "../../domain/admin-rules.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { defineCommand, emailArg, isUniqueViolation, personNameArg, refuse, roleArg, timeZoneArg, yesNoArg, type AdminResult } from "./command.js";
import { personSummary } from "./list-users.js";
import { emailTaken, findPerson } from "./lookup.js";

const SETTINGS = ["name", "email", "role", "time-zone", "active"] as const;

const schema = z
  .object({
    user: z
      .string({ error: "say whose details to change: user update ana@example.com --role manager" })
      .transform(normaliseEmail)
      .refine(isEmail, { error: "user update: the first word must be the email of the person to change, e.g. user update ana@example.com --role manager" }),
    name: personNameArg().optional(),
    email: emailArg("--email", "the new email address").optional(),
    role: roleArg().optional(),
    "time-zone": timeZoneArg().optional(),
    active: yesNoArg("--active").optional(),
  })
  .refine((input) => SETTINGS.some((key) => input[key] !== undefined), {
    error: `nothing to change: give at least one of ${SETTINGS.map((s) => `--${s}`).join(", ")}`,
  });

export type UpdateUserInput = z.output<typeof schema>;

export async function updateUser(deps: Deps, actor: Actor, input: UpdateUserInput): Promise<AdminResult> {
  const found = await findPerson(deps.db, input.user);
  const allowed = policy.changePerson(actor, found.ok ? found.value : { id: "" }, { role: input.role, isActive: input.active });
  if (!allowed.ok) return refuse(allowed.reason);
  if (!found.ok) return refuse(found.message);
  const person = found.value;
  const rule = checkPersonChange(person, { role: input.role, isActive: input.active }, await roleFacts(deps, person.id));
  if (!rule.ok) return refuse(rule.reason);
  const taken = input.email && input.email !== person.email ? await emailTaken(deps.db, input.email, person.id) : undefined;
  if (taken) return refuse(`--email: ${taken}`);
  const data = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input["time-zone"] !== undefined ? { timeZone: input["time-zone"] } : {}),
    ...(input.active !== undefined ? { isActive: input.active } : {}),
  };
  try {
    await deps.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: person.id }, data });
      const before = Object.fromEntries(Object.keys(data).map((key) => [key, person[key as keyof typeof data]]));
      await recordAdminChange(tx, actor, { type: "user", id: person.id }, `${person.name} changed`, { before, after: data });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return refuse(`--email: ${input.email} was just taken by someone else`);
    throw error;
  }
  const saved = await personSummary(deps.db, person.id);
  const notes = input.active === false ? [`${saved.name} can no longer use Switchboard; their records stay.`] : [];
  return { ok: true, view: personSavedView("User updated", saved, notes), data: saved };
}

async function roleFacts(deps: Deps, personId: string) {
  const admins = await deps.db.user.findMany({ where: { role: "admin", isActive: true }, select: { id: true } });
  const managed = await deps.db.team.findMany({ where: { managerId: personId }, select: { name: true }, orderBy: { name: "asc" } });
  return { activeAdminIds: admins.map((a) => a.id), managedTeamNames: managed.map((t) => t.name) };
}

export const updateUserCommand = defineCommand({
  path: "user update",
  summary: "Change a person's name, email, role or time zone; --active no deactivates them",
  positional: { name: "email", flag: "user", help: "the email of the person to change", isRequired: true },
  flags: [
    { name: "name", value: "full name", help: "Their full name" },
    { name: "email", value: "new email", help: "A new email address" },
    { name: "role", value: "role", help: "admin, manager or agent" },
    { name: "time-zone", value: "zone", help: "IANA time zone, e.g. America/New_York" },
    { name: "active", value: "yes|no", help: "no deactivates them (they can no longer use Switchboard; their records stay); yes reactivates" },
  ],
  examples: ["user update ana@example.com --role admin", "user update bo@example.com --active no", "user update ana@example.com --name \"Ana Ruiz-Soto\" --time-zone Europe/Madrid"],
  schema,
  run: updateUser,
});
