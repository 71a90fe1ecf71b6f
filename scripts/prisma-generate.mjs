// Runs `prisma generate` offline: Prisma only checks that the schema-engine binary
// exists (it does not run it to generate), and the binary cannot be downloaded here.
// Skips the work when the schema and Prisma version are unchanged since the last run.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const schema = readFileSync("prisma/schema.prisma");
const version = require("prisma/package.json").version;
const stamp = "src/db/generated/.stamp";
const hash = createHash("sha256").update(schema).update(version).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) process.exit(0);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
execFileSync(process.execPath, [require.resolve("prisma/build/index.js"), "generate"], { stdio: ["ignore", "ignore", "inherit"], env });
writeFileSync(stamp, hash);
