/**
 * Ordered work per partition ("lane"), at most `concurrency` tasks running across lanes, and a
 * bound on the messages queued. It lets the Kafka consumer hand a batch over and fetch the next
 * one while Postgres ingests: kafkajs fetches again only once every batch of a fetch has been
 * handled, so ingesting inside eachBatch left Postgres idle during each fetch and decode, and
 * the consumer idle behind the slowest partition of each fetch.
 */
export class IngestLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly pending = new Set<Promise<void>>();
  private running = 0;
  private readonly slotWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  queued = 0;

  constructor(
    private readonly concurrency: number,
    readonly maxQueued: number,
    /** A task failed: the lane is cancelled (nothing behind it runs) before this is called. */
    private readonly onError: (lane: string, err: Error) => void,
  ) {}

  /**
   * Queues `task` behind the lane's earlier tasks. A task still queued when its lane is cancelled
   * never runs. `size` counts toward the queue bound until the task settles.
   */
  push(lane: string, size: number, task: () => Promise<void>): void {
    let l = this.lanes.get(lane);
    if (!l) this.lanes.set(lane, (l = { tail: Promise.resolve(), cancelled: false }));
    const current = l;
    this.queued += size;
    const tail = current.tail.then(async () => {
      try {
        if (current.cancelled) return;
        await this.acquire();
        try {
          if (!current.cancelled) await task();
        } finally {
          this.release();
        }
      } catch (err) {
        current.cancelled = true;
        if (this.lanes.get(lane) === current) this.lanes.delete(lane);
        this.onError(lane, err as Error);
      } finally {
        this.queued -= size;
        if (this.queued < this.maxQueued) this.wakeRoom();
        this.pending.delete(tail);
      }
    });
    current.tail = tail;
    this.pending.add(tail);
  }

  /** Drops every queued task (running ones finish); later pushes start fresh lanes. */
  cancelAll(): void {
    for (const l of this.lanes.values()) l.cancelled = true;
    this.lanes.clear();
  }

  /** Resolves once every task pushed so far, cancelled lanes' included, has settled. */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** Resolves when the queue is below its bound, or after `ms` (so the caller can heartbeat). */
  room(ms: number): Promise<void> {
    if (this.queued < this.maxQueued) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.roomWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wakeRoom(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
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

interface Lane {
  tail: Promise<void>;
  cancelled: boolean;
}
