/**
 * Concurrent calls for one key share one execution: the first starts it, the others get the
 * same promise until it settles. For cache refills on hot paths, where a few hundred sends
 * that find an entry expired at the same moment would otherwise each run the same query.
 */
export class SingleFlight<K, V> {
  private readonly running = new Map<K, Promise<V>>();

  run(key: K, fn: () => Promise<V>): Promise<V> {
    const current = this.running.get(key);
    if (current) return current;
    const started = Promise.resolve()
      .then(fn)
      .finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
