// Finding a partner by what a person typed, and creating one when it is new.
import type { Prisma } from "../db/client.js";
import type { Tx } from "../db/outbox.js";
import { recordCreated } from "./automation/events.js";
import type { Deps } from "./deps.js";

export type PartnerMatch = { kind: "found"; id: string; name: string } | { kind: "none" } | { kind: "several"; candidates: { id: string; name: string }[] };

/** Exact name (any case) first, then a single name starting with the text, else the candidates. */
export async function matchPartner(deps: Pick<Deps, "db">, name: string): Promise<PartnerMatch> {
  const exact = await deps.db.partner.findMany({ where: { name: { equals: name, mode: "insensitive" } }, take: 2, orderBy: { createdAt: "asc" } });
  if (exact.length >= 1) return { kind: "found", id: exact[0]!.id, name: exact[0]!.name };
  const similar = await deps.db.partner.findMany({
    where: { name: { contains: name, mode: "insensitive" } },
    take: 4,
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  if (similar.length === 1 && similar[0]!.name.toLowerCase().startsWith(name.toLowerCase())) return { kind: "found", ...similar[0]! };
  return similar.length === 0 ? { kind: "none" } : { kind: "several", candidates: similar.slice(0, 3) };
}

/** Every new partner is made here, so partner rules hear of it (created) in the creating transaction. */
export async function createPartner(tx: Tx, deps: Deps, data: Prisma.PartnerUncheckedCreateInput, actorId: string | null): Promise<{ id: string; name: string }> {
  const created = await tx.partner.create({ data, select: { id: true, name: true } });
  await recordCreated(tx, deps, "partner", created.id, actorId);
  return created;
}

/** A form's partner value: an existing partner id, "new:<name>", or a typed name (matched, else created). */
export async function partnerFromFormValue(tx: Tx, deps: Deps, value: string | undefined, ownerId: string): Promise<string | null> {
  if (!value) return null;
  if (/^[0-9a-f-]{36}$/i.test(value)) {
    const found = await tx.partner.findUnique({ where: { id: value }, select: { id: true } });
    if (found) return found.id;
  }
  const name = value.startsWith("new:") ? value.slice(4).trim() : value.trim();
  if (!name) return null;
  const existing = await tx.partner.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, select: { id: true } });
  if (existing) return existing.id;
  const created = await createPartner(tx, deps, { kind: "company", name, salespersonId: ownerId }, ownerId);
  return created.id;
}

export async function searchPartners(deps: Pick<Deps, "db">, query: string): Promise<{ value: string; label: string }[]> {
  const q = query.trim().slice(0, 100);
  const found = await deps.db.partner.findMany({
    where: q ? { name: { contains: q, mode: "insensitive" } } : {},
    orderBy: { name: "asc" },
    take: 20,
    select: { id: true, name: true, parent: { select: { name: true } } },
  });
  const options = found.map((p) => ({ value: p.id, label: p.parent ? `${p.name} (${p.parent.name})` : p.name }));
  if (q && !found.some((p) => p.name.toLowerCase() === q.toLowerCase())) options.push({ value: `new:${q}`, label: `Create “${q}”` });
  return options.slice(0, 20);
}
