// Test child: a job runner with one job whose handler either hangs (to be killed) or finishes.
// Usage: crash-worker.ts <url|DATA_DIR> <signal-dir> hang|finish [send]
// Writes <signal-dir>/started-<attempt> when the handler starts and <signal-dir>/done when it finishes.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { openEmbedded } from "../../../src/db/embedded.js";
import { defineJob } from "../../../src/jobs/define-job.js";
import { startJobRunner } from "../../../src/jobs/job-runner.js";
import { createLogger } from "../../../src/log.js";

const [target, signals, behaviour, send] = process.argv.slice(2);
if (!target || !signals || (behaviour !== "hang" && behaviour !== "finish")) throw new Error("usage: crash-worker.ts <target> <signals> hang|finish [send]");

const crashJob = defineJob({
  name: "crash-test",
  schema: z.object({ n: z.number() }),
  queue: { retryLimit: 3, retryDelay: 0, expireInSeconds: 2 },
  pollingIntervalSeconds: 0.5,
  async handler(_payload, ctx) {
    writeFileSync(path.join(signals, `started-${ctx.retryCount}`), ctx.jobId);
    if (behaviour === "hang") await new Promise(() => {});
    writeFileSync(path.join(signals, "done"), String(ctx.retryCount));
  },
});

const embedded = /^postgres(ql)?:/.test(target) ? undefined : await openEmbedded({ dataDir: target });
const runner = await startJobRunner({
  url: embedded?.url ?? target,
  logger: createLogger({ level: "silent", format: "json" }),
  jobs: [crashJob],
  maintenanceIntervalSeconds: 1,
});
if (send === "send") await runner.send(crashJob, { n: 1 });
console.log("worker ready");
if (behaviour === "finish") {
  process.on("SIGTERM", async () => {
    await runner.stop(1000);
    await embedded?.close();
    process.exit(0);
  });
}
