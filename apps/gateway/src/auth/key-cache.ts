import { ResolvedKey } from '@app/contracts';
import { createHash } from 'node:crypto';

interface Entry {
  value: ResolvedKey;
  expiresAt: number;
}

/**
 * Resolved API keys, by SHA-256 of the key, for a short TTL. Keeps the campaigns service off
 * the hot path of every request; revocations evict entries at once (see KeyRevocations).
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10000,
  ) {}

  static fingerprint(key: string): string {
    return createHash('sha256').update(key).digest('hex');
  }

  get(fingerprint: string): ResolvedKey | undefined {
    const entry = this.entries.get(fingerprint);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      this.entries.delete(fingerprint);
      return undefined;
    }
    return entry.value;
  }

  set(fingerprint: string, value: ResolvedKey): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(fingerprint, { value, expiresAt: Date.now() + this.ttlMs });
  }

  evictKey(apiKeyId: string): void {
    for (const [fp, entry] of this.entries)
      if (entry.value.apiKeyId === apiKeyId) this.entries.delete(fp);
  }
}
