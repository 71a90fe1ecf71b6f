// Type-ahead for people: active users by name or email.
import type { Deps } from "./deps.js";

export async function searchUsers(deps: Pick<Deps, "db">, query: string): Promise<{ value: string; label: string }[]> {
  const q = query.trim().slice(0, 100);
  const found = await deps.db.user.findMany({
    where: { isActive: true, ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] } : {}) },
    orderBy: { name: "asc" },
    take: 20,
    select: { id: true, name: true, email: true },
  });
  return found.map((u) => ({ value: u.id, label: `${u.name} (${u.email})`.slice(0, 75) }));
}
