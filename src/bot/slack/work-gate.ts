// Bounds the work running after acks, so a burst cannot starve the next acks (Slack's 3 s rule) or stampede the database pool.
export class GateFullError extends Error {
  constructor() {
    super("too much work waiting");
    this.name = "GateFullError";
  }
}

export class WorkGate {
  private running = 0;
  private readonly urgent: (() => void)[] = [];
  private readonly normal: (() => void)[] = [];

  /** `limit` is read each time a slot could start, so it can follow the load. */
  constructor(
    private readonly limit: () => number,
    private readonly maxQueued: number,
  ) {}

  /** Runs `work` when a slot is free; urgent work (a person waiting on the HTTP answer itself) goes first. */
  async run<T>(work: () => Promise<T>, isUrgent = false): Promise<T> {
    if (this.running >= this.limit() || this.queued > 0) {
      if (this.queued >= this.maxQueued) throw new GateFullError();
      await new Promise<void>((resolve) => (isUrgent ? this.urgent : this.normal).push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      this.running--;
      this.pump();
    }
  }

  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  private pump(): void {
    while (this.running < Math.max(1, this.limit())) {
      const next = this.urgent.shift() ?? this.normal.shift();
      if (!next) return;
      this.running++;
      next();
    }
  }
}
