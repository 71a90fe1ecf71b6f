// Starting a chain of delayed jobs (a clock: outbox ticks, the automation catch-up, nightly segmentation, the weekly
// contract digest) once the job runner is up. The runner has no start hook and the handlers' `deps.jobs` is bound
// to it only after it started, so the first send is tried every half second, for a bounded time.
import type { Logger } from "../log.js";

export function seedChain(sendFirst: () => Promise<unknown>, logger: Logger, what: string, giveUpAfterMs = 120_000): void {
  const deadline = Date.now() + giveUpAfterMs;
  const attempt = async (): Promise<void> => {
    try {
      await sendFirst();
    } catch (error) {
      if (Date.now() < deadline) setTimeout(() => void attempt(), 500).unref();
      else logger.error({ err: error }, `${what} could not start: no first job was sent`);
    }
  };
  setTimeout(() => void attempt(), 0).unref();
}
