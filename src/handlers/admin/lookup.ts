// Finding the people and teams an admin names, with "did you mean …?" when a name or email is mistyped.
import { closestMatch } from "../../domain/admin-rules.js";
import type { Db } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";

export type Found<T> = { ok: true; value: T } | { ok: false; message: string };

type Reader = Db | Tx;

export async function findTeam(db: Reader, name: string) {
  const team = await db.team.findFirst({ where: { name: { equals: name.trim(), mode: "insensitive" } } });
  if (team) return { ok: true, value: team } as const;
  const names = (await db.team.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((t) => t.name);
  return { ok: false, message: missing("team named", name, closestMatch(name, names), names.length ? undefined : "there are no teams yet: add one with team add") } as const;
}

/** All the teams named, or one message listing every name that matched none. */
export async function findTeams(db: Reader, names: string[]) {
  const teams = [];
  const problems: string[] = [];
  for (const name of names) {
    const found = await findTeam(db, name);
    if (found.ok) teams.push(found.value);
    else problems.push(found.message);
  }
  return problems.length ? ({ ok: false, message: problems.join("; ") } as const) : ({ ok: true, value: teams } as const);
}

export async function findPerson(db: Reader, email: string) {
  const person = await db.user.findUnique({ where: { email } });
  if (person) return { ok: true, value: person } as const;
  const emails = (await db.user.findMany({ select: { email: true } })).map((u) => u.email);
  return { ok: false, message: missing("user with the email", email, closestMatch(email, emails), "add them with user add") } as const;
}

export async function findPeople(db: Reader, emails: string[]) {
  const people = [];
  const problems: string[] = [];
  for (const email of emails) {
    const found = await findPerson(db, email);
    if (found.ok) people.push(found.value);
    else problems.push(found.message);
  }
  return problems.length ? ({ ok: false, message: problems.join("; ") } as const) : ({ ok: true, value: people } as const);
}

/** Another team already using this name, ignoring case ("support" and "Support" would confuse everyone). */
export async function teamNameTaken(db: Reader, name: string, exceptId?: string): Promise<string | undefined> {
  const other = await db.team.findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) } });
  return other ? `there is already a team named ${other.name}` : undefined;
}

/**
 * An email alias routes mail to a team, so it must not be another team's alias nor a person's
 * address (mail to it would be ambiguous).
 */
export async function aliasTaken(db: Reader, alias: string, exceptTeamId?: string): Promise<string | undefined> {
  const team = await db.team.findFirst({ where: { emailAlias: alias, ...(exceptTeamId ? { id: { not: exceptTeamId } } : {}) } });
  if (team) return `${alias} is already the email alias of ${team.name}`;
  const person = await db.user.findUnique({ where: { email: alias } });
  return person ? `${alias} is ${person.name}'s email address, so it cannot be a team's alias` : undefined;
}

export async function emailTaken(db: Reader, email: string, exceptPersonId?: string): Promise<string | undefined> {
  const person = await db.user.findUnique({ where: { email } });
  if (person && person.id !== exceptPersonId) return `${email} is already a user (${person.name}, ${person.role}${person.isActive ? "" : ", deactivated"}): change them with user update ${email} …`;
  const team = await db.team.findUnique({ where: { emailAlias: email } });
  return team ? `${email} is the email alias of the team ${team.name}, so it cannot be a person's address` : undefined;
}

function missing(what: string, typed: string, suggestion: string | undefined, otherwise?: string): string {
  if (suggestion) return `no ${what} ${typed} — did you mean ${suggestion}?`;
  return `no ${what} ${typed}${otherwise ? ` (${otherwise})` : ""}`;
}
