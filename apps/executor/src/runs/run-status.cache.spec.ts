import { CampaignRun } from './run-snapshot';
import { RunRepository } from './run.repository';
import { RunStatusCache } from './run-status.cache';

describe('RunStatusCache without a promise', () => {
  const run = { campaignId: 'c1' } as CampaignRun;
  let reads: number;
  let cache: RunStatusCache;

  beforeEach(() => {
    reads = 0;
    const repo = {
      find: async () => run,
      statuses: async (ids: string[]) => {
        reads++;
        return new Map(ids.map((id) => [id, 'active']));
      },
    } as unknown as RunRepository;
    cache = new RunStatusCache(repo);
  });

  it('knows nothing before the first read', () => {
    expect(cache.cachedRun('c1')).toBeUndefined();
    expect(cache.freshStatus('c1')).toBeUndefined();
  });

  it('serves the snapshot and a fresh status once read, and no stale status', async () => {
    await cache.run('c1');
    expect(await cache.status('c1')).toBe('active');
    expect(cache.cachedRun('c1')).toBe(run);
    expect(cache.freshStatus('c1')).toBe('active');
    expect(reads).toBe(1);
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 250);
    try {
      expect(cache.freshStatus('c1')).toBeUndefined();
    } finally {
      later.mockRestore();
    }
  });

  it('a status this process set is fresh at once', () => {
    cache.set('c1', 'paused');
    expect(cache.freshStatus('c1')).toBe('paused');
  });
});
