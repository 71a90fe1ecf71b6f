// The Prisma client on the `pg` driver adapter: the same code for the embedded database and a server.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.js";

export type Db = PrismaClient;
export { Prisma } from "./generated/client.js";

export function createPrismaClient(url: string, opts: { maxConnections?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: opts.maxConnections ?? 10, application_name: "switchboard" });
  return new PrismaClient({ adapter });
}
