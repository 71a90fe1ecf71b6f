// Unit tests of the Slack adapter's work gate (kept with the Slack tests; it has no I/O).
import { describe, expect, it } from "vitest";
import { GateFullError, WorkGate } from "../../src/bot/slack/work-gate.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("the Slack work gate", () => {
  it("runs at most `limit` pieces of work at once, the rest in arrival order", async () => {
    const gate = new WorkGate(() => 2, 100);
    const started: number[] = [];
    const blockers = [deferred(), deferred(), deferred(), deferred()];
    const runs = blockers.map((b, i) =>
      gate.run(async () => {
        started.push(i);
        await b.promise;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(2);
    blockers[1]!.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    blockers.forEach((b) => b.resolve());
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it("lets urgent work (a request Slack holds open) overtake waiting work", async () => {
    const gate = new WorkGate(() => 1, 100);
    const order: string[] = [];
    const first = deferred();
    const running = gate.run(() => first.promise);
    const normal = gate.run(async () => void order.push("normal"));
    const urgent = gate.run(async () => void order.push("urgent"), true);
    first.resolve();
    await Promise.all([running, normal, urgent]);
    expect(order).toEqual(["urgent", "normal"]);
  });

  it("follows a lower limit once running work finishes (the event loop is late)", async () => {
    let limit = 3;
    const gate = new WorkGate(() => limit, 100);
    let concurrent = 0;
    let peak = 0;
    const work = async () => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      await new Promise((r) => setTimeout(r, 5));
      concurrent--;
    };
    await Promise.all([work, work, work].map((w) => gate.run(w)));
    expect(peak).toBe(3);
    limit = 1;
    peak = 0;
    await Promise.all([work, work, work, work].map((w) => gate.run(w)));
    expect(peak).toBe(1);
  });

  it("refuses new work when too much is waiting, instead of queueing without end", async () => {
    const gate = new WorkGate(() => 1, 2);
    const block = deferred();
    const runs = [gate.run(() => block.promise), gate.run(async () => undefined), gate.run(async () => undefined)];
    await expect(gate.run(async () => undefined)).rejects.toBeInstanceOf(GateFullError);
    block.resolve();
    await Promise.all(runs);
  });

  it("frees the slot when work throws", async () => {
    const gate = new WorkGate(() => 1, 10);
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.run(async () => "ok")).resolves.toBe("ok");
  });
});
