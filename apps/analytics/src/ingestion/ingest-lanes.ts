/**
 * Ordered work per partition ("lane"), at most `concurrency` lanes working at once, and a bound
 * on the items queued. It lets the Kafka consumer hand a batch over and fetch the next one while
 * Postgres ingests: kafkajs fetches again only once every batch of a fetch has been handled, so
 * ingesting inside eachBatch left Postgres idle during each fetch and decode, and the consumer
 * idle behind the slowest partition of each fetch.
 *
 * Batching adapts to the load: a lane takes everything queued on it (up to `batchSize`) into
 * one call, so a busy partition is ingested in large transactions and a quiet one right away.
 */
export class IngestLanes<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private readonly pending = new Set<Promise<void>>();
  private running = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  queued = 0;

  constructor(
    private readonly options: {
      concurrency: number;
      batchSize: number;
      maxQueued: number;
      /** Ingests items of one lane, in order; a rejection cancels the lane. */
      process: (lane: string, items: T[]) => Promise<void>;
      /** A lane failed: it is cancelled (nothing queued behind runs) before this is called. */
      onError: (lane: string, err: Error) => void;
    },
  ) {}

  get full(): boolean {
    return this.queued >= this.options.maxQueued;
  }

  push(lane: string, items: T[]): void {
    if (!items.length) return;
    let l = this.lanes.get(lane);
    if (!l) this.lanes.set(lane, (l = { queue: [], cancelled: false, draining: false }));
    for (const item of items) l.queue.push(item);
    this.queued += items.length;
    if (!l.draining) {
      l.draining = true;
      const drained: Promise<void> = this.drain(lane, l).finally(() =>
        this.pending.delete(drained),
      );
      this.pending.add(drained);
    }
  }

  /** Drops every queued item (calls under way finish); later pushes start fresh lanes. */
  cancelAll(): void {
    for (const l of this.lanes.values()) this.cancel(l);
    this.lanes.clear();
  }

  /** Resolves once every lane, cancelled ones included, has stopped working. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Resolves when the queue is below its bound, or after `ms` (so the caller can heartbeat). */
  room(ms: number): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.roomWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private cancel(l: Lane<T>): void {
    l.cancelled = true;
    this.dequeued(l.queue.length);
    l.queue = [];
  }

  private async drain(name: string, l: Lane<T>): Promise<void> {
    try {
      while (l.queue.length && !l.cancelled) {
        await this.acquire();
        try {
          if (l.cancelled) return;
          const items = l.queue.splice(0, this.options.batchSize);
          try {
            await this.options.process(name, items);
          } finally {
            this.dequeued(items.length);
          }
        } finally {
          this.release();
        }
      }
    } catch (err) {
      this.cancel(l);
      if (this.lanes.get(name) === l) this.lanes.delete(name);
      this.options.onError(name, err as Error);
    } finally {
      l.draining = false;
    }
  }

  private dequeued(n: number): void {
    this.queued -= n;
    if (this.full) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next) next();
    else this.running--;
  }
}

interface Lane<T> {
  queue: T[];
  cancelled: boolean;
  draining: boolean;
}
