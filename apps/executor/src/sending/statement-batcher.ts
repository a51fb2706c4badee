/**
 * Coalesces concurrent single-row statements into set-based ones, the way a database groups
 * commits: calls made while earlier batches are being written wait and go together in the next
 * statement, so a busy send worker pays one round trip per batch instead of one per message,
 * and an idle one adds no delay (the first call goes out on the next turn of the event loop).
 * A batch is one statement, so it either happened as a whole or not at all; when it fails, its
 * items are retried one by one, so one bad row fails only its own caller.
 *
 * `lingerMs` (0: none) holds a batch that is not full until its oldest call has waited that
 * long, for calls that trickle in one at a time (send outcomes arrive as each SMTP answer
 * does): a few milliseconds more per caller buy one statement and one commit for many of them.
 * Time spent queued behind statements in flight counts towards it.
 */
export interface BatchOps<I, O> {
  /** One statement for many items; returns one result per item, in order. */
  many(items: I[]): Promise<O[]>;
  /** The same for one item (used for single calls and when a batch fails). */
  one(item: I): Promise<O>;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
  /** When the call was made (ms), for the linger. */
  since: number;
}

export class StatementBatcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | null = null;

  constructor(
    private readonly ops: BatchOps<I, O>,
    private readonly maxBatch: number,
    private readonly maxInFlight = 2,
    private readonly lingerMs = 0,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject, since: Date.now() });
      // A full batch does not wait out the linger.
      if (this.lingering && this.queue.length >= this.maxBatch) {
        clearTimeout(this.lingering);
        this.lingering = null;
        this.scheduled = false;
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.queue.length || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    const lingerLeft =
      this.lingerMs > 0 && this.queue.length < this.maxBatch
        ? this.queue[0].since + this.lingerMs - Date.now()
        : 0;
    if (lingerLeft > 0) {
      this.lingering = setTimeout(() => {
        this.lingering = null;
        this.flush();
      }, lingerLeft);
      return;
    }
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.ops.many(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
        return;
      } catch {
        // Fall through: each item alone, so the callers get their own result or error.
      }
    }
    await Promise.all(
      batch.map((w) =>
        this.ops.one(w.item).then(
          (r) => w.resolve(r),
          (err) => w.reject(err),
        ),
      ),
    );
  }
}
