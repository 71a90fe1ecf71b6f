// Serialises the protocol messages of many `pg` connections onto PGlite's single session.
// pglite-socket 0.2.17 queues each message on its own, so outside a transaction one
// connection's Parse/Bind/Execute can interleave with another's and break both
// ("bind message supplies 2 parameters, but prepared statement "" requires 3",
// reproduced with two pools; see test/integration/embedded-concurrency.test.ts).
// Here a connection keeps the session from its first message to its Sync (or simple
// Query), and for the whole of a transaction.
import type { PGlite } from "@electric-sql/pglite";

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(error: Error): void;
}

/** Message types after which a connection gives the session back (unless a transaction is open). */
const ENDS_A_BATCH = new Set([0x53 /* Sync */, 0x51 /* Query */, 0x58 /* Terminate */, 0x70 /* Password */, 0x00 /* startup */]);

export class SessionQueue {
  private waiting: Pending[] = [];
  private owner: number | null = null;
  private isRunning = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  /** The connection went away: drop what it queued. */
  clearQueueForHandler(handlerId: number): void {
    this.waiting = this.waiting.filter((p) => {
      if (p.handlerId !== handlerId) return true;
      p.reject(new Error("connection closed"));
      return false;
    });
  }

  /** The connection went away: roll back its transaction and give the session to the others. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => undefined);
    this.owner = null;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.waiting.findIndex((p) => p.handlerId === this.owner);
        if (index < 0 || this.waiting.length === 0) break; // the owner has not sent its next message yet
        const [next] = this.waiting.splice(index, 1);
        await this.run(next!);
      }
    } finally {
      this.isRunning = false;
    }
  }

  private async run(p: Pending): Promise<void> {
    let bytes = 0;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(p.message, {
          onRawData: (data: Uint8Array) => {
            bytes += data.length;
            p.onData(data);
          },
        }),
      );
      p.resolve(bytes);
    } catch (error) {
      p.reject(error as Error);
    }
    const endsBatch = ENDS_A_BATCH.has(p.message[0] ?? 0);
    this.owner = this.db.isInTransaction() || !endsBatch ? p.handlerId : null;
  }
}
