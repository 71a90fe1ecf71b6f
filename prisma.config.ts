// Prisma CLI configuration (Prisma 7): schema and migrations live in prisma/.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
