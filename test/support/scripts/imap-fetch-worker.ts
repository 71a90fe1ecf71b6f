// Test child: the IMAP fetcher on a database (a PostgreSQL URL or an embedded DATA_DIR), to be killed mid-batch.
// Usage: imap-fetch-worker.ts <url|DATA_DIR> <imap-url>
// Makes the team with alias support@acme.test if it is missing, prints "worker ready", then "ingested <kind>" after each
// committed message. SIGTERM stops the fetcher cleanly and exits 0.
import { createPrismaClient } from "../../../src/db/client.js";
import { openEmbedded } from "../../../src/db/embedded.js";
import { ingestEmail } from "../../../src/handlers/mail/ingest-email.js";
import type { Deps } from "../../../src/handlers/deps.js";
import { createLogger } from "../../../src/log.js";
import { startImapFetcher } from "../../../src/mail/imap-fetcher.js";

const [target, imapUrl] = process.argv.slice(2);
if (!target || !imapUrl) throw new Error("usage: imap-fetch-worker.ts <url|DATA_DIR> <imap-url>");

const embedded = /^postgres(ql)?:/.test(target) ? undefined : await openEmbedded({ dataDir: target });
const db = createPrismaClient(embedded?.url ?? target);
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent", format: "json" });
const deps: Deps = {
  db,
  now: () => new Date(),
  logger,
  settings: { allowedEmailDomains: ["example.com"], publicUrl: "http://localhost" },
  jobs: { send: async () => { throw new Error("no job runner in this worker"); } },
};
await db.team.upsert({
  where: { name: "Acme Support" },
  create: { name: "Acme Support", kind: "support", emailAlias: "support@acme.test", emailAck: false },
  update: {},
});

const fetcher = await startImapFetcher(deps, {
  url: imapUrl,
  logger,
  pollSeconds: 3600,
  batchSize: 20,
  async ingest(d, raw, envelope) {
    const outcome = await ingestEmail(d, raw, envelope);
    console.log(`ingested ${outcome.kind}`);
    return outcome;
  },
});
console.log("worker ready");

process.on("SIGTERM", async () => {
  await fetcher.stop();
  await db.$disconnect();
  await embedded?.close();
  process.exit(0);
});
