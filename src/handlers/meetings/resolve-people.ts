// Turns an attendee list ("Ana Ruiz, <@U123>, bob@acme.com") into colleagues and guest addresses, naming the unknown.
import type { Tx } from "../../db/outbox.js";
import { parsePeople, type PersonRef } from "../../domain/meetings.js";
import type { Deps } from "../deps.js";

type Reader = Deps["db"] | Tx;

export interface ResolvedPeople {
  userIds: string[];
  /** Addresses that are no colleague's: guests, invited by email. */
  emails: string[];
  /** What matched nobody (or several people), as typed. */
  unknown: string[];
}

export async function resolvePeople(db: Reader, text: string | PersonRef[] | undefined): Promise<ResolvedPeople> {
  const refs = typeof text === "string" ? parsePeople(text) : (text ?? []);
  const out: ResolvedPeople = { userIds: [], emails: [], unknown: [] };
  for (const ref of refs) {
    if (ref.kind === "slack") {
      const user = await db.user.findFirst({ where: { slackUserId: ref.slackUserId, isActive: true }, select: { id: true } });
      if (user) out.userIds.push(user.id);
      else out.unknown.push(`<@${ref.slackUserId}>`);
    } else if (ref.kind === "email") {
      const user = await db.user.findUnique({ where: { email: ref.email }, select: { id: true, isActive: true } });
      if (user?.isActive) out.userIds.push(user.id);
      else out.emails.push(ref.email);
    } else {
      const name = ref.name.slice(0, 100);
      const exact = await db.user.findMany({ where: { isActive: true, name: { equals: name, mode: "insensitive" } }, take: 2, select: { id: true } });
      const found = exact.length
        ? exact
        : await db.user.findMany({ where: { isActive: true, OR: [{ name: { startsWith: name, mode: "insensitive" } }, { email: { startsWith: `${name}@`, mode: "insensitive" } }] }, take: 2, select: { id: true } });
      if (found.length === 1) out.userIds.push(found[0]!.id);
      else out.unknown.push(name);
    }
  }
  return { userIds: [...new Set(out.userIds)], emails: [...new Set(out.emails)], unknown: out.unknown };
}

export function unknownPeopleMessage(unknown: string[]): string {
  const list = unknown.slice(0, 5).map((u) => `“${u}”`).join(", ");
  return `No colleague (or more than one) matches ${list}${unknown.length > 5 ? "…" : ""}. Write their full name or email address; guests are invited by email address.`;
}
